// Fleet mode: bridges behind one broker split the gateways' messages through an MQTT 5
// shared subscription ($share/GROUP/…), so each message reaches one of them, and each
// translates any gateway's message on its own. Discovery needs nothing more: every bridge
// learns the configs on the broker, its fellows' included, as it does at start-up, and
// publishes only what differs. What a bridge would otherwise know only from a gateway's
// earlier messages it learns from what its fellows publish: the states (so the lean path
// compares with what Home Assistant holds, not with what this bridge sent last), the
// gateway's last_seen (so it does not call a gateway stale that a fellow hears from), the
// availability flags and the count of rejected messages.
import type { TemplateDevice } from '../homeassistant/templates';
import { BRIDGE_LEVEL } from '../homeassistant/topics';
import type { Bridge, GatewayPublished, GatewayRecord } from './bridge';
import type { BridgeOptions } from './options';

export function fleetMode(options: BridgeOptions): boolean {
  return options.shareGroup !== undefined;
}

/** Shared subscriptions need MQTT 5. */
export function protocolVersion(options: BridgeOptions): 4 | 5 {
  return fleetMode(options) ? 5 : 4;
}

/** A topic filter as this bridge subscribes to it: shared with the fleet in fleet mode. */
export function shared(options: BridgeOptions, filter: string): string {
  return options.shareGroup === undefined ? filter : `$share/${options.shareGroup}/${filter}`;
}

/**
 * What a bridge of a fleet follows of its fellows' output (nothing outside a fleet); the
 * first filter also brings the bridges' shared availability topic, {base}/bridge/state.
 */
export function observedTopics(options: BridgeOptions): string[] {
  if (!fleetMode(options)) return [];
  const base = options.baseTopic;
  return [`${base}/+/state`, `${base}/+/connection`, `${base}/+/telemetry`, `${base}/+/+/+/state`];
}

const DEVICE_KINDS: Record<string, TemplateDevice> = {
  inverter: 'inverter',
  ems: 'inverter',
  ev_charger: 'ev_charger',
};

/** A message on one of observedTopics; false when the topic is none of them. */
export function observe(
  bridge: Bridge,
  options: BridgeOptions,
  topic: string,
  payload: Buffer,
): boolean {
  const prefix = `${options.baseTopic}/`;
  if (!topic.startsWith(prefix)) return false;
  const levels = topic.slice(prefix.length).split('/');
  const [enc = '', kind = ''] = levels;
  // {base}/bridge/state is the bridges' own availability, not a gateway's state.
  if (enc === BRIDGE_LEVEL) return false;
  const text = payload.toString('utf8');
  const gateway = bridge.gatewayByEnc(enc);
  if (levels.length === 2 && (kind === 'connection' || kind === 'telemetry')) {
    learnFlag(bridge.publishedOf(enc), kind, text);
    return true;
  }
  if (levels[levels.length - 1] !== 'state') return false;
  if (levels.length === 2) {
    bridge.observeState(topic, 'gateway', text);
    learnGatewayState(bridge, bridge.publishedOf(enc), gateway, text);
    return true;
  }
  if (levels.length === 4 && DEVICE_KINDS[kind] !== undefined) {
    bridge.observeState(topic, DEVICE_KINDS[kind], text);
    return true;
  }
  if (levels.length === 6) {
    bridge.observeState(topic, undefined, text);
    return true;
  }
  return false;
}

/**
 * A flag as a fellow published it. An empty one was cleared (a gateway retired): none is
 * held any more, so the gateway's next message sends both again.
 */
function learnFlag(
  gateway: GatewayPublished,
  kind: 'connection' | 'telemetry',
  text: string,
): void {
  if (text !== 'online' && text !== 'offline' && text !== '') return;
  if (kind === 'connection') gateway.connection = text === '' ? undefined : text;
  else gateway.fresh = text === 'online';
}

/**
 * The gateway's rejected-message count and last_seen, as a fellow published them; the
 * extensions (commands) see the whole state of a gateway this bridge has met.
 */
function learnGatewayState(
  bridge: Bridge,
  published: GatewayPublished,
  gateway: GatewayRecord | undefined,
  text: string,
): void {
  let state: Record<string, unknown>;
  try {
    state = JSON.parse(text) as typeof state;
  } catch {
    return;
  }
  if (state === null || typeof state !== 'object') return;
  const rejected = state.rejected_messages;
  if (typeof rejected === 'number' && rejected > published.rejected) {
    published.rejected = rejected;
    if (typeof state.last_rejection === 'string') published.lastRejection = state.last_rejection;
  }
  if (gateway === undefined) return;
  for (const extension of bridge.extensions) extension.observeGatewayState?.(gateway, state);
  const seenMs = typeof state.last_seen === 'string' ? Date.parse(state.last_seen) : Number.NaN;
  // Only a gateway this bridge has handled is watched for staleness here.
  if (gateway.lastStatusMs !== undefined && seenMs > gateway.lastStatusMs) {
    gateway.lastStatusMs = seenMs;
  }
}
