// Every topic the bridge publishes to or reads from on Home Assistant's side.
// Ids in topics are always encoded (site/identity), so no level holds '/', '+' or '#'.

export interface TopicOptions {
  /** Root of the bridge's own state and command topics. */
  baseTopic: string;
  /** Home Assistant's discovery prefix. */
  discoveryPrefix: string;
}

/** The discovery node id: one level shared by every config this bridge publishes. */
const DISCOVERY_NODE = 'predbat';

/** The level under the base topic the bridge keeps for itself: no gateway may have it. */
export const BRIDGE_LEVEL = 'bridge';

export function bridgeStateTopic(o: TopicOptions): string {
  return `${o.baseTopic}/${BRIDGE_LEVEL}/state`;
}

/** A device's JSON state, under the device's own topic. */
export function stateTopic(deviceTopic: string): string {
  return `${deviceTopic}/state`;
}

/** Mirror of the gateway's own online topic, as online/offline. */
export function gatewayOnlineTopic(o: TopicOptions, gateway: string): string {
  return `${o.baseTopic}/${gateway}/connection`;
}

/** online while telemetry keeps coming, offline once it is stale. */
export function gatewayFreshTopic(o: TopicOptions, gateway: string): string {
  return `${o.baseTopic}/${gateway}/telemetry`;
}

export function gatewayTopic(o: TopicOptions, gateway: string): string {
  return `${o.baseTopic}/${gateway}`;
}

export function inverterTopic(o: TopicOptions, gateway: string, serial: string): string {
  return `${o.baseTopic}/${gateway}/inverter/${serial}`;
}

export function emsTopic(o: TopicOptions, gateway: string, serial: string): string {
  return `${o.baseTopic}/${gateway}/ems/${serial}`;
}

export function evChargerTopic(o: TopicOptions, gateway: string, chargePoint: string): string {
  return `${o.baseTopic}/${gateway}/ev_charger/${chargePoint}`;
}

export function discoveryTopic(o: TopicOptions, platform: string, objectId: string): string {
  return `${o.discoveryPrefix}/${platform}/${DISCOVERY_NODE}/${objectId}/config`;
}

/** What the bridge subscribes to, to learn the configs it published before a restart. */
export function discoveryWildcard(o: TopicOptions): string {
  return `${o.discoveryPrefix}/+/${DISCOVERY_NODE}/+/config`;
}

/** Where Home Assistant says online when it starts, so the bridge publishes again. */
export function homeAssistantStatusTopic(o: TopicOptions): string {
  return `${o.discoveryPrefix}/status`;
}

/** Where the bridge says what became of each command sent to a gateway. */
export function commandResultTopic(o: TopicOptions, gateway: string): string {
  return `${o.baseTopic}/${gateway}/command_result`;
}

/**
 * The plan in force, as JSON. An automation sends a whole plan to `plan/set` beside it,
 * which the command wildcards take in.
 */
export function planStateTopic(o: TopicOptions, gateway: string): string {
  return `${o.baseTopic}/${gateway}/plan/state`;
}

/**
 * Every control's command topic, `{device topic}/{key}/set`: a gateway's own controls and
 * its plan two levels under the base, an inverter's, EMS's or charger's four.
 */
export function commandWildcards(o: TopicOptions): string[] {
  return [`${o.baseTopic}/+/+/set`, `${o.baseTopic}/+/+/+/+/set`];
}
