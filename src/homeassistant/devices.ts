// The model → Home Assistant devices: identity, device block, state topic and the JSON
// state each device publishes.
import { encodeId, slug } from '../site/identity';
import type { EvChargerModel, InverterModel, SiteModel } from '../site/model';
import type { TemplateDevice } from './templates';
import {
  type TopicOptions,
  emsTopic,
  evChargerTopic,
  gatewayFreshTopic,
  gatewayOnlineTopic,
  gatewayTopic,
  inverterTopic,
  stateTopic,
} from './topics';

export interface DeviceBlock {
  identifiers: string[];
  name: string;
  manufacturer: string;
  model: string;
  serial_number: string;
  sw_version?: string;
  via_device?: string;
}

export interface HaDevice {
  template: TemplateDevice;
  /** Encoded gateway id: the first level under the base topic. */
  gateway: string;
  /** The device's id part of unique ids and discovery object ids. */
  id: string;
  /** Prefix of default_entity_id object ids, e.g. predbat_ce2341g123. */
  entityPrefix: string;
  /** Where the device's state and its command topics live. */
  topic: string;
  /** The device's JSON state: stateTopic(topic). */
  stateTopic: string;
  /** Availability topics on top of the bridge's own. */
  availabilityTopics: string[];
  managed: boolean;
  /** Inverter groups the gateway reported; other kinds have every group. */
  groups: string[] | 'all';
  device: DeviceBlock;
  /** The state JSON, booleans as ON/OFF the way Home Assistant's MQTT entities expect. */
  state: Record<string, unknown>;
}

/** What the bridge itself knows of a gateway, beside its telemetry. */
export type GatewayExtras = Record<string, unknown>;

/**
 * A JSON document the bridge also publishes on a topic of its own (the plan, the last
 * command's outcome). Inside a state it stays exactly as published there, so a script
 * reads `enabled: true` in both places; only the telemetry's own on/off values become
 * ON/OFF for Home Assistant's entities.
 */
export class JsonDocument {
  constructor(readonly json: unknown) {}
}

/** Everything of a device but its state: what changes only when the device does. */
type DeviceFrame = Omit<HaDevice, 'state'>;

interface KeptFrame {
  inputs: unknown[];
  frame: DeviceFrame;
}

/**
 * The frames of one gateway's devices as last built, by place in its telemetry. A
 * gateway's topics, names and identifiers are the same message after message; kept here,
 * they are built again only when what they are made of changes, instead of as new text
 * for every device of every message.
 */
export class DeviceFrames {
  gateway: KeptFrame | undefined;
  inverters: Array<KeptFrame | undefined> = [];
  chargers: Array<KeptFrame | undefined> = [];
}

function framed(
  kept: KeptFrame | undefined,
  inputs: unknown[],
  build: () => DeviceFrame,
): KeptFrame {
  if (kept !== undefined && sameValues(kept.inputs, inputs)) return kept;
  return { inputs, frame: build() };
}

/** Whether two lists hold the same values, place by place (a missing value is not null). */
export function sameValues(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/**
 * The site's devices as Home Assistant sees them. `frames`, kept by the caller from one
 * message of a gateway to the next, saves building what did not change.
 */
export function haDevices(
  site: SiteModel,
  o: TopicOptions,
  extras: GatewayExtras,
  frames: DeviceFrames = new DeviceFrames(),
): HaDevice[] {
  const firmware = site.gateway.firmware ?? undefined;
  const managed = site.inverters.some((inverter) => inverter.managed);
  frames.gateway = framed(frames.gateway, [site.gateway_id, firmware, managed], () =>
    gatewayFrame(site.gateway_id, firmware, managed, o),
  );
  const gatewayFrameNow = frames.gateway.frame;
  // The bridge's own values follow the telemetry's, in one copy.
  const gatewayDevice = withState(
    gatewayFrameNow,
    copyState(haState(site.gateway), extras, NOTHING),
  );
  const inverters = site.inverters.map((inverter, i): HaDevice => {
    const inputs: unknown[] = [
      gatewayFrameNow,
      inverter.serial,
      inverter.kind,
      inverter.manufacturer,
      inverter.model,
      inverter.managed,
      ...inverter.reported,
    ];
    const kept = framed(frames.inverters[i], inputs, () =>
      inverterFrame(gatewayFrameNow, inverter, firmware, o),
    );
    frames.inverters[i] = kept;
    // An EMS's units are in its state, under ems.sub_inverters.
    return withState(kept.frame, haState(inverter, INVERTER_BOOKKEEPING));
  });
  frames.inverters.length = site.inverters.length;
  const chargers = site.ev_chargers.map((charger: EvChargerModel, i): HaDevice => {
    const kept = framed(frames.chargers[i], [gatewayFrameNow, charger.charge_point_id], () =>
      chargerFrame(gatewayFrameNow, charger.charge_point_id, firmware, o),
    );
    frames.chargers[i] = kept;
    return withState(kept.frame, haState(charger));
  });
  frames.chargers.length = site.ev_chargers.length;
  return [gatewayDevice, ...inverters, ...chargers];
}

/**
 * A device of a kept frame and a new state. Written out key by key: a spread with keys
 * added after it costs V8 a new object shape every time, a hundred times the work.
 */
function withState(frame: DeviceFrame, state: Record<string, unknown>): HaDevice {
  return {
    template: frame.template,
    gateway: frame.gateway,
    id: frame.id,
    entityPrefix: frame.entityPrefix,
    topic: frame.topic,
    stateTopic: frame.stateTopic,
    availabilityTopics: frame.availabilityTopics,
    managed: frame.managed,
    groups: frame.groups,
    device: frame.device,
    state,
  };
}

function gatewayFrame(
  gatewayId: string,
  firmware: string | undefined,
  managed: boolean,
  o: TopicOptions,
): DeviceFrame {
  const gateway = encodeId(gatewayId);
  const topic = gatewayTopic(o, gateway);
  return {
    template: 'gateway',
    gateway,
    id: gateway,
    entityPrefix: gatewayEntityPrefix(gatewayId),
    topic,
    stateTopic: stateTopic(topic),
    availabilityTopics: [gatewayOnlineTopic(o, gateway), gatewayFreshTopic(o, gateway)],
    // A gateway takes plans only for units that take commands.
    managed,
    groups: 'all',
    device: {
      identifiers: [`${BRIDGE_PREFIX}${gateway}`],
      name: `Predbat gateway ${gatewayId}`,
      manufacturer: 'Predbat',
      model: 'ESP32 gateway',
      serial_number: gatewayId,
      ...(firmware === undefined ? {} : { sw_version: firmware }),
    },
  };
}

function inverterFrame(
  gatewayFrame: DeviceFrame,
  inverter: InverterModel,
  firmware: string | undefined,
  o: TopicOptions,
): DeviceFrame {
  const { gateway } = gatewayFrame;
  const serial = encodeId(inverter.serial);
  const topic =
    inverter.kind === 'ems' ? emsTopic(o, gateway, serial) : inverterTopic(o, gateway, serial);
  return {
    template: 'inverter',
    gateway,
    id: `${gateway}_${serial}`,
    entityPrefix: `${BRIDGE_PREFIX}${slug(inverter.serial)}`,
    topic,
    stateTopic: stateTopic(topic),
    availabilityTopics: gatewayFrame.availabilityTopics,
    managed: inverter.managed,
    groups: [...inverter.reported],
    device: {
      identifiers: [`${BRIDGE_PREFIX}${gateway}_${serial}`],
      name: `${inverter.manufacturer} ${inverter.kind === 'ems' ? 'EMS ' : ''}${inverter.serial}`,
      manufacturer: inverter.manufacturer,
      model: inverter.model,
      serial_number: inverter.serial,
      ...(firmware === undefined ? {} : { sw_version: firmware }),
      via_device: gatewayFrame.device.identifiers[0],
    },
  };
}

function chargerFrame(
  gatewayFrame: DeviceFrame,
  chargePointId: string,
  firmware: string | undefined,
  o: TopicOptions,
): DeviceFrame {
  const { gateway } = gatewayFrame;
  const chargePoint = encodeId(chargePointId);
  const topic = evChargerTopic(o, gateway, chargePoint);
  return {
    template: 'ev_charger',
    gateway,
    id: `${gateway}_ev_${chargePoint}`,
    entityPrefix: `${BRIDGE_PREFIX}ev_${slug(chargePointId)}`,
    topic,
    stateTopic: stateTopic(topic),
    availabilityTopics: gatewayFrame.availabilityTopics,
    managed: true,
    groups: 'all',
    device: {
      identifiers: [`${BRIDGE_PREFIX}${gateway}_ev_${chargePoint}`],
      name: `EV charger ${chargePointId}`,
      manufacturer: 'OCPP',
      model: 'Charge point',
      serial_number: chargePointId,
      ...(firmware === undefined ? {} : { sw_version: firmware }),
      via_device: gatewayFrame.device.identifiers[0],
    },
  };
}

/** What a gateway's entity ids start with, after the platform: select.predbat_pbgw_a1b2c3_… */
export function gatewayEntityPrefix(gatewayId: string): string {
  return `${BRIDGE_PREFIX}${slug(gatewayId)}`;
}

/** Identifiers and unique ids all start with this, so they never clash with others'. */
export const BRIDGE_PREFIX = 'predbat_';

/** Of an inverter's model, what is bookkeeping and not part of its state JSON. */
const INVERTER_BOOKKEEPING: ReadonlySet<string> = new Set(['reported', 'kind']);
const NOTHING: ReadonlySet<string> = new Set();

/**
 * A copy of a model object with booleans as ON/OFF, without the keys in `leave`. Every
 * message takes this path for about a hundred values, so the copy is built key by key
 * into a new object, the quickest way V8 has for it.
 */
function haState(value: object, leave: ReadonlySet<string> = NOTHING): Record<string, unknown> {
  return copyState({}, value, leave);
}

/** haState into `out`, which may hold keys already: a key of both keeps its place. */
function copyState(
  out: Record<string, unknown>,
  value: object,
  leave: ReadonlySet<string>,
): Record<string, unknown> {
  for (const key in value) {
    if (leave.has(key)) continue;
    out[key] = haItem((value as Record<string, unknown>)[key]);
  }
  return out;
}

/** Home Assistant ignores a state longer than this, so longer text is cut to fit. */
const MAX_STATE_LENGTH = 255;

function haItem(item: unknown): unknown {
  if (item === true) return 'ON';
  if (item === false) return 'OFF';
  if (typeof item === 'string') {
    return item.length > MAX_STATE_LENGTH ? `${item.slice(0, MAX_STATE_LENGTH - 1)}…` : item;
  }
  if (item === null || typeof item !== 'object') return item;
  if (item instanceof JsonDocument) return item.json;
  return Array.isArray(item) ? item.map(haItem) : haState(item);
}
