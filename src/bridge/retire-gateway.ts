// Removing a gateway from Home Assistant for good: every discovery config the bridge knows
// of it (what it published and what it found retained) and every retained state it
// publishes for it, each replaced by an empty retained payload. The demo gateway uses it
// when the bridge stops, so trying the demo leaves no device behind in Home Assistant.
import {
  gatewayFreshTopic,
  gatewayOnlineTopic,
  planStateTopic,
  stateTopic,
  type TopicOptions,
} from '../homeassistant/topics';
import { encodeId } from '../site/identity';
import type { Bridge } from './bridge';
import { within } from './within';

export interface RetiredTopics {
  configs: string[];
  states: string[];
}

/** The retained topics on Home Assistant's broker that belong to one gateway. */
export function retiredTopics(bridge: Bridge, id: string): RetiredTopics {
  const enc = encodeId(id);
  const { discovery } = bridge;
  const configs = [enc, ...discovery.devicesOf(enc)].flatMap((device) => discovery.topics(device));
  const o: TopicOptions = bridge.options;
  const states = new Set<string>();
  const gateway = bridge.gateways.get(id);
  if (gateway !== undefined) {
    for (const device of bridge.devicesOf(gateway)) {
      states.add(device.stateTopic);
    }
    // Devices seen earlier and missing from the latest telemetry still have their state.
    for (const device of gateway.devices.values()) {
      if (device.topic !== '') states.add(stateTopic(device.topic));
    }
  }
  // Devices known only from configs a previous run left: their topics come from those.
  for (const device of discovery.devicesOf(enc)) {
    const known = gateway?.devices.get(device);
    const topic = discovery.deviceTopic(device);
    if (topic === undefined || (known !== undefined && !known.adopted)) continue;
    states.add(stateTopic(topic));
  }
  states.add(gatewayOnlineTopic(o, enc));
  states.add(gatewayFreshTopic(o, enc));
  states.add(planStateTopic(o, enc));
  return { configs, states: [...states] };
}

export interface RetainedPublisher {
  readonly connected: boolean;
  publishAsync(topic: string, payload: string, options: { qos: 1; retain: true }): Promise<unknown>;
}

/**
 * Empties the gateway's retained topics: configs first, so Home Assistant drops the entities
 * before their states go and has no empty state to complain about. Returns what was cleared,
 * or undefined when the broker is away or does not confirm within `timeoutMs`, so a stop
 * never hangs on it.
 */
export async function retireGateway(
  client: RetainedPublisher,
  bridge: Bridge,
  id: string,
  timeoutMs = 5000,
): Promise<RetiredTopics | undefined> {
  const topics = retiredTopics(bridge, id);
  if (!client.connected) return undefined;
  const clear = (topic: string): Promise<unknown> =>
    client.publishAsync(topic, '', { qos: 1, retain: true });
  return within(timeoutMs, async () => {
    await Promise.all(topics.configs.map(clear));
    await Promise.all(topics.states.map(clear));
    return topics;
  });
}
