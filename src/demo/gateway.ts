// The demo gateway on MQTT: publishes its telemetry every few seconds on the topics a real
// gateway uses, with the same last will, and obeys what arrives on its command, EV command
// and schedule topics. Unlike a real gateway it leaves nothing behind when it stops.
import mqtt, { type MqttClient } from 'mqtt';
import { DateTime } from 'luxon';
import { commandTopic, evCommandTopic, scheduleTopic } from '../gateway/commands';
import { encodeStatus } from '../gateway/wire';
import type { Logger } from '../bridge/logger';
import type { BrokerOptions } from '../bridge/options';
import { applyCommandPayload, applyEvPayload, applyPlanPayload, type Outcome } from './commands';
import { type DemoSite, newDemoSite, stepSite } from './site';
import { demoStatus } from './status';

const DEMO_GATEWAY_ID = 'pbgw_demo';

export interface DemoGatewayOptions {
  broker: Pick<BrokerOptions, 'url' | 'username' | 'password' | 'rejectUnauthorized'>;
  gatewayPrefix: string;
  id?: string;
  intervalMs?: number;
  /** The site's clock zone; the machine's own by default. */
  zone?: string;
  now?: () => number;
}

export interface DemoGateway {
  id: string;
  client: MqttClient;
  site(): DemoSite;
  /** Publishes a status now, as the timer would. */
  publishStatus(): void;
  /**
   * No more telemetry or answers, so the bridge can remove the demo without it coming back.
   * Resolves once the broker has passed on everything the demo sent before.
   */
  silence(): Promise<void>;
  /** Clears its retained online flag and the plan sent to it, and disconnects. */
  stop(): Promise<void>;
}

const INTERVAL_MS = 5000;

export function startDemoGateway(options: DemoGatewayOptions, log: Logger): DemoGateway {
  const id = options.id ?? DEMO_GATEWAY_ID;
  const now = options.now ?? Date.now;
  const zone = options.zone ?? DateTime.local().zoneName;
  const prefix = options.gatewayPrefix;
  const topics = {
    status: `${prefix}/${id}/status`,
    online: `${prefix}/${id}/online`,
    command: commandTopic(prefix, id),
    ev: evCommandTopic(prefix, id),
    schedule: scheduleTopic(prefix, id),
  };
  let site = newDemoSite(id, now(), zone);
  let silent = false;
  const client = mqtt.connect(options.broker.url, {
    username: options.broker.username,
    password: options.broker.password,
    rejectUnauthorized: options.broker.rejectUnauthorized,
    clientId: `${id}_${Math.random().toString(16).slice(2, 10)}`,
    reconnectPeriod: 2000,
    will: { topic: topics.online, payload: Buffer.from('0'), qos: 1, retain: true },
  });

  const publishStatus = (): void => {
    const ms = now();
    site = stepSite(site, ms);
    if (!client.connected || silent) return;
    client.publish(topics.status, Buffer.from(encodeStatus(demoStatus(site, ms))), { qos: 1 });
  };
  const report = (what: string, outcome: Outcome): void => {
    site = outcome.site;
    if (outcome.accepted) {
      log.info({ gateway: id }, `demo gateway '${id}': ${outcome.message}`);
      // Answer at once rather than at the next tick, so a control shows its effect quickly.
      publishStatus();
    } else {
      log.warn({ gateway: id }, `demo gateway '${id}' refused ${what}: ${outcome.message}`);
    }
  };

  client.on('connect', () => {
    log.info({ gateway: id }, `demo gateway '${id}' publishing on ${topics.status}`);
    client.publish(topics.online, '1', { qos: 1, retain: true });
    client.subscribe([topics.command, topics.ev, topics.schedule], { qos: 1 }, () =>
      publishStatus(),
    );
  });
  client.on('error', (error) => {
    log.error({ gateway: id }, `demo gateway '${id}': ${error.message}`);
  });
  client.on('message', (topic, payload) => {
    if (silent) return;
    if (topic === topics.command) report('a command', applyCommandPayload(site, payload));
    else if (topic === topics.ev) report('an EV action', applyEvPayload(site, payload));
    else if (topic === topics.schedule) report('a plan', applyPlanPayload(site, payload, now()));
  });

  const timer = setInterval(publishStatus, options.intervalMs ?? INTERVAL_MS);
  const silence = async (): Promise<void> => {
    silent = true;
    clearInterval(timer);
    // A broker confirms a QoS 1 message only after passing on those sent before it; an
    // online flag it already holds changes nothing for the bridge.
    if (client.connected) await client.publishAsync(topics.online, '1', { qos: 1 });
  };
  return {
    id,
    client,
    site: () => site,
    publishStatus,
    silence,
    async stop(): Promise<void> {
      silent = true;
      clearInterval(timer);
      if (client.connected) {
        // Its own schedule would come back to it while it disconnects.
        await client.unsubscribeAsync([topics.command, topics.ev, topics.schedule]);
        // Empty retained payloads delete them: a bridge started later finds no trace of it.
        await Promise.all(
          [topics.online, topics.schedule].map((topic) =>
            client.publishAsync(topic, '', { qos: 1, retain: true }),
          ),
        );
      }
      await client.endAsync();
    },
  };
}
