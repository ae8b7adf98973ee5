// Wires the Bridge to real brokers: Home Assistant's (discovery, states, birth) and the
// gateways' (status and online topics), which is the same one unless configured apart.
import type { MqttClient } from 'mqtt';
import { loadTemplates } from '../homeassistant/templates';
import {
  bridgeStateTopic,
  commandWildcards,
  discoveryWildcard,
  homeAssistantStatusTopic,
} from '../homeassistant/topics';
import { Bridge } from './bridge';
import { Control } from './control';
import { fleetMode, observe, observedTopics, protocolVersion, shared } from './fleet';
import { ControlStore } from './control-store';
import type { Logger } from './logger';
import { connectGatewayBroker } from './gateway-link';
import { localBrokerHint } from './local-broker';
import { connectBroker, publisherFor } from './mqtt-link';
import type { BridgeOptions } from './options';

/** How long to listen for the retained configs of a previous run before bridging. */
const RETAINED_QUIET_MS = 300;
const RETAINED_MAX_MS = 3000;
/** Staleness is checked a few times within the stale time, at most every 5 s. */
const MAX_TICK_MS = 5000;

export interface RunningBridge {
  bridge: Bridge;
  homeAssistant: MqttClient;
  gateways: MqttClient;
  /** Resolves once gateway topics are subscribed. */
  ready: Promise<void>;
  stop(): Promise<void>;
}

export function runBridge(options: BridgeOptions, logger: Logger): RunningBridge {
  const templates = loadTemplates();
  const mqttLog = logger.child({ area: 'mqtt' });
  const stateTopic = bridgeStateTopic(options);
  const homeAssistant = connectBroker(
    options.gatewayBroker ? 'Home Assistant' : 'MQTT',
    options.broker,
    {
      will: { topic: stateTopic, payload: 'offline', qos: 1, retain: true },
      protocolVersion: protocolVersion(options),
      ...(options.autoBroker ? { urlHint: localBrokerHint(options.localBrokerPort) } : {}),
    },
    mqttLog,
  );
  // The bridge's own availability, which every entity's includes; logged like every publish.
  const sayAvailability = (availability: 'online' | 'offline'): Promise<void> => {
    mqttLog.debug({ topic: stateTopic, bytes: availability.length }, `published ${stateTopic}`);
    return new Promise((resolve) => {
      homeAssistant.publish(stateTopic, availability, { qos: 1, retain: true }, () => resolve());
    });
  };
  const gatewayLink = options.gatewayBroker
    ? connectGatewayBroker(options.gatewayBroker, mqttLog, {}, protocolVersion(options))
    : undefined;
  const gateways = gatewayLink?.client ?? homeAssistant;
  // The bridge and its controls share one publisher, so one window bounds what of theirs
  // waits on the broker's acknowledgement.
  const toHomeAssistant = publisherFor(homeAssistant, mqttLog);
  const bridge = new Bridge(options, templates, toHomeAssistant, logger);
  // Commands and plans leave through the gateways' broker, only while it is connected, with
  // a window of their own even on one broker, so a command never queues behind a start's
  // thousands of discovery configs.
  const toGateways = publisherFor(gateways, mqttLog);
  const control = new Control(
    bridge,
    templates,
    options,
    toHomeAssistant,
    {
      get connected() {
        return gateways.connected;
      },
      publish: (topic, payload, publishOptions) =>
        toGateways.publish(topic, payload, publishOptions),
    },
    new ControlStore(options.dataDir, logger),
    logger,
  );
  bridge.extensions.push(control);
  gateways.on('connect', () => control.onGatewayConnect());

  const discoveryTopics = discoveryWildcard(options);
  const birthTopic = homeAssistantStatusTopic(options);
  let birthTimer: NodeJS.Timeout | undefined;
  const commandPrefix = `${options.baseTopic}/`;
  let stopping = false;
  homeAssistant.on('message', (topic, payload, packet) => {
    if (topic.startsWith(commandPrefix) && topic.endsWith('/set')) {
      control.handleSet(topic, payload, packet.retain);
    } else if (topic === stateTopic) {
      // Another bridge that stopped left 'offline' (its last will) on the topic every
      // entity's availability shares: the bridges still running say they are there.
      if (payload.toString() === 'offline' && !stopping) void sayAvailability('online');
    } else if (observe(bridge, options, topic, payload)) {
      // A fellow's state or flag, learned.
    } else if (topic === birthTopic) {
      if (payload.toString() !== 'online') return;
      logger.info('Home Assistant started: sending discovery and states again');
      bridge.republish();
      clearTimeout(birthTimer);
      birthTimer = setTimeout(() => bridge.republishStates(), options.birthStateDelayMs);
    } else if (topic.startsWith(`${options.discoveryPrefix}/`)) {
      bridge.handleDiscoveryConfig(topic, payload);
    }
  });

  const statusPrefix = `${options.gatewayPrefix}/`;
  // At debug level every message in and out is logged; the check is made once, not per message.
  const traced = mqttLog.isLevelEnabled('debug');
  gateways.on('message', (topic, payload) => {
    if (traced) mqttLog.debug({ topic, bytes: payload.length }, `received ${topic}`);
    if (!topic.startsWith(statusPrefix)) return;
    const [id, kind, ...rest] = topic.slice(statusPrefix.length).split('/');
    if (id === undefined || rest.length > 0) return;
    if (kind === 'status') bridge.handleStatus(id, payload);
    else if (kind === 'online') bridge.handleOnline(id, payload);
  });

  const ready = new Promise<void>((resolve) => {
    let settled = false;
    homeAssistant.on('connect', () => {
      void sayAvailability('online');
      // In a fleet one bridge takes each command, as one takes each gateway message.
      const commands = commandWildcards(options).map((filter) => shared(options, filter));
      // Configs at QoS 0: the broker then sends every retained one at once instead of
      // queueing them behind a QoS 1 window, where a large installation's would be dropped.
      homeAssistant.subscribe(discoveryTopics, { qos: 0 });
      homeAssistant.subscribe([birthTopic, ...commands], { qos: 1 });
      // The bridges' availability is one topic: another bridge on this broker and base topic
      // (a fellow of a fleet, or a demo run beside this one) that stops says offline on it
      // for every entity, and this one answers that it is still there. A fleet's bridges
      // follow more of one another, {base}/+/state taking in that topic too.
      const watched = fleetMode(options) ? observedTopics(options) : [stateTopic];
      homeAssistant.subscribe(watched, { qos: 0 });
      if (settled) return;
      settled = true;
      // Retained configs arrive right after subscribing; wait for them to stop coming.
      waitForQuiet(homeAssistant, RETAINED_QUIET_MS, RETAINED_MAX_MS).then(() => {
        bridge.watchRetainedGateways();
        subscribeGateways(gateways, options);
        if (gateways !== homeAssistant) {
          gateways.on('connect', () => subscribeGateways(gateways, options));
        }
        logger.info(
          { gatewayTopics: `${options.gatewayPrefix}/+/status`, baseTopic: options.baseTopic },
          'bridging gateways',
        );
        resolve();
      });
    });
  });

  const tickMs = Math.min(MAX_TICK_MS, options.staleAfterSeconds * 250);
  const ticker = setInterval(() => bridge.tick(), tickMs);
  ticker.unref();

  return {
    bridge,
    homeAssistant,
    gateways,
    ready,
    async stop(): Promise<void> {
      stopping = true;
      clearInterval(ticker);
      clearTimeout(birthTimer);
      control.stop();
      gatewayLink?.stop();
      if (homeAssistant.connected) await sayAvailability('offline');
      await Promise.all([
        homeAssistant.endAsync(),
        gateways === homeAssistant ? Promise.resolve() : gateways.endAsync(),
      ]);
    },
  };
}

/**
 * Telemetry is taken at QoS 0. The bridge's session is clean, so a QoS 1 message not yet
 * acknowledged when the connection drops is lost either way; QoS 1 would only add an
 * acknowledgement per message for the bridge and the broker to send and track. Telemetry
 * comes again every few seconds, and the retained online flag on every subscribe.
 */
function subscribeGateways(client: MqttClient, options: BridgeOptions): void {
  const filters = [`${options.gatewayPrefix}/+/status`, `${options.gatewayPrefix}/+/online`];
  client.subscribe(
    filters.map((filter) => shared(options, filter)),
    { qos: 0 },
  );
}

function waitForQuiet(client: MqttClient, quietMs: number, maxMs: number): Promise<void> {
  return new Promise((resolve) => {
    let quiet: NodeJS.Timeout;
    const finish = (): void => {
      clearTimeout(quiet);
      clearTimeout(cap);
      client.off('message', onMessage);
      resolve();
    };
    const onMessage = (): void => {
      clearTimeout(quiet);
      quiet = setTimeout(finish, quietMs);
    };
    const cap = setTimeout(finish, maxMs);
    quiet = setTimeout(finish, quietMs);
    client.on('message', onMessage);
  });
}
