// MQTT connections live here, at the edge: connect options from BrokerOptions, reconnect
// with a capped backoff, connection state in the log, and a publish guard that refuses
// any topic a broker would reject.
import * as fs from 'node:fs';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { Logger } from './logger';
import type { BrokerOptions } from './options';
import type { PublishOptions, Publisher } from './bridge';

const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 30000;

export interface LinkOptions {
  will?: { topic: string; payload: string; qos: 0 | 1; retain: boolean };
  /** MQTT 5 is needed for shared subscriptions; 3.1.1 otherwise. */
  protocolVersion?: 4 | 5;
}

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
  };
  if (broker.ca) options.ca = fs.readFileSync(broker.ca);
  if (broker.cert) options.cert = fs.readFileSync(broker.cert);
  if (broker.key) options.key = fs.readFileSync(broker.key);
  const client = mqtt.connect(broker.url, options);
  const where = { broker: name, url: redactUrl(broker.url) };
  let retryMs = FIRST_RETRY_MS;
  let connected = false;
  client.on('connect', () => {
    retryMs = FIRST_RETRY_MS;
    client.options.reconnectPeriod = retryMs;
    connected = true;
    log.info(where, `connected to the ${name} broker at ${where.url}`);
  });
  client.on('close', () => {
    if (connected) {
      log.warn(where, `lost the ${name} broker at ${where.url}; reconnecting`);
    }
    connected = false;
    retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
    client.options.reconnectPeriod = retryMs;
  });
  client.on('error', (error) => {
    log.error(
      { ...where, error: error.message },
      `${name} broker at ${where.url}: ${error.message}; check the URL, credentials and TLS options`,
    );
  });
  return client;
}

/** A broker URL without any password it may carry. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//***@');
  }
}

/** MQTT topic names may not hold wildcards, NUL or be empty; such a publish never leaves. */
export function isPublishableTopic(topic: string): boolean {
  return (
    topic.length > 0 &&
    Buffer.byteLength(topic) <= 65535 &&
    !/[+#\u0000]/.test(topic) &&
    !topic.split('/').some((level) => level === '' )
  );
}

export function publisherFor(client: MqttClient, log: Logger): Publisher {
  return {
    publish(topic: string, payload: string | Uint8Array, options: PublishOptions): void {
      if (!isPublishableTopic(topic)) {
        log.error({ topic }, 'refused to publish to an illegal topic');
        return;
      }
      client.publish(topic, typeof payload === 'string' ? payload : Buffer.from(payload), options);
    },
  };
}
