// MQTT connections live here, at the edge: connect options from BrokerOptions, reconnect
// with a capped backoff, connection state in the log, and a publish guard that refuses
// any topic a broker would reject.
import * as fs from 'node:fs';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { Logger } from './logger';
import type { BrokerOptions } from './options';
import type { PublishOptions, Publisher } from './bridge';
import { PublishWindow } from './publish-window';

const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 30000;

export interface LinkOptions {
  will?: { topic: string; payload: string; qos: 0 | 1; retain: boolean };
  /** MQTT 5 is needed for shared subscriptions; 3.1.1 otherwise. */
  protocolVersion?: 4 | 5;
  /** Wait for client.connect(): the password (a token) is still being fetched. */
  manualConnect?: boolean;
  /** Prefix of this broker's options, so a log line can name the one to check. */
  optionPrefix?: string;
  /** What to check instead of {prefix}_url when the user gave no URL (the local broker). */
  urlHint?: string;
}

/** CONNACK codes (MQTT 3.1.1 and 5) for refused credentials. */
export const AUTH_REFUSED_CODES = new Set([4, 5, 134, 135]);

export function connectBroker(
  name: string,
  broker: BrokerOptions,
  link: LinkOptions,
  log: Logger,
): MqttClient {
  const options: IClientOptions = {
    username: broker.username,
    password: broker.password,
    rejectUnauthorized: broker.rejectUnauthorized,
    clientId: broker.clientId,
    reconnectPeriod: FIRST_RETRY_MS,
    connectTimeout: 10000,
    protocolVersion: link.protocolVersion ?? 4,
    will: link.will,
    manualConnect: link.manualConnect,
    // A broker that refuses us (starting up, credentials being fixed) is tried again with
    // the same capped backoff instead of being given up on.
    reconnectOnConnackError: true,
    // mqtt.js otherwise builds 65,536 two-byte buffers for packet ids up front: 8 MB of a
    // process that needs 80 MB in all, to save an allocation per QoS 1 acknowledgement.
    writeCache: false,
  };
  if (broker.ca) options.ca = fs.readFileSync(broker.ca);
  if (broker.cert) options.cert = fs.readFileSync(broker.cert);
  if (broker.key) options.key = fs.readFileSync(broker.key);
  const client = mqtt.connect(broker.url, options);
  const where = { broker: name, url: redactUrl(broker.url) };
  let retryMs = FIRST_RETRY_MS;
  let connected = false;
  client.on('connect', () => {
    // A state is one small write: sent at once, not held back by Nagle's algorithm until
    // the broker acknowledges the last one (up to 40 ms with delayed acknowledgements).
    (client.stream as { setNoDelay?: (noDelay: boolean) => void }).setNoDelay?.(true);
    retryMs = FIRST_RETRY_MS;
    client.options.reconnectPeriod = retryMs;
    connected = true;
    log.info(where, `connected to the ${name} broker at ${where.url}`);
  });
  client.on('close', () => {
    // A reconnect the bridge asked for (a renewed token) is no loss.
    if (connected && !client.disconnecting) {
      log.warn(
        where,
        `lost the ${name} broker at ${where.url}; reconnecting (check that the broker is` +
          ' running and reachable if this repeats)',
      );
    }
    connected = false;
    retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
    client.options.reconnectPeriod = retryMs;
  });
  const prefix = link.optionPrefix ?? 'mqtt';
  client.on('error', (error) => {
    const code = (error as { code?: unknown }).code;
    const check =
      typeof code === 'number' && AUTH_REFUSED_CODES.has(code)
        ? `check ${prefix}_username and ${prefix}_password`
        : `check ${link.urlHint ?? `${prefix}_url`}, the credentials and the TLS options`;
    log.error(
      { ...where, error: error.message },
      `${name} broker at ${where.url}: ${error.message}; ${check}`,
    );
  });
  batchWrites(client);
  return client;
}

/**
 * mqtt.js writes once per packet it handles: an acknowledgement, and the states the message
 * led to. Under load the broker hands over many messages in one read; holding the socket's
 * writes until the end of that turn of the event loop sends all they led to in one write,
 * instead of a system call per message.
 */
function batchWrites(client: MqttClient): void {
  let corked: { uncork(): void } | undefined;
  client.on('packetreceive', () => {
    const stream = client.stream as { cork?(): void; uncork(): void } | undefined;
    if (corked !== undefined || stream?.cork === undefined) return;
    stream.cork();
    corked = stream;
    setImmediate(() => {
      corked = undefined;
      stream.uncork();
    });
  });
}

/** A broker URL without the credentials it may carry. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username) parsed.username = '***';
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//***@');
  }
}

/** A wildcard or an empty level ('//', or a '/' at either end). */
const ILLEGAL_IN_TOPIC = /[+#]|\/\/|^\/|\/$/;

/**
 * MQTT topic names may not hold wildcards, NUL or be empty, and the bridge's own never have
 * an empty level; such a publish never leaves. Every state passes here, so the topic is
 * scanned, never split.
 */
export function isPublishableTopic(topic: string): boolean {
  return (
    topic.length > 0 &&
    !ILLEGAL_IN_TOPIC.test(topic) &&
    !topic.includes('\u0000') &&
    Buffer.byteLength(topic) <= 65535
  );
}

export function publisherFor(client: MqttClient, log: Logger): Publisher {
  // Start-up refuses topic options a broker would reject, so a refusal here is a bug; said
  // once per topic, so it cannot bury everything else in the log.
  const refused = new Set<string>();
  const window = new PublishWindow(client);
  const traced = log.isLevelEnabled('debug');
  return {
    publish(topic: string, payload: string | Uint8Array, options: PublishOptions): void {
      if (!isPublishableTopic(topic)) {
        const first = !refused.has(topic) && refused.size < 100;
        if (first) refused.add(topic);
        log[first ? 'error' : 'debug']({ topic }, 'refused to publish to an illegal topic');
        return;
      }
      if (traced) log.debug({ topic, bytes: payload.length }, `published ${topic}`);
      window.publish(topic, typeof payload === 'string' ? payload : Buffer.from(payload), options);
    },
  };
}
