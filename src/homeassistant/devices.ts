// The model → Home Assistant devices: identity, device block, state topic and the JSON
// state each device publishes.
import { BRIDGE_NAME } from '../package-root';
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
  /** Availability topics on top of the bridge's own. */
  availabilityTopics: string[];
  managed: boolean;
  /** Inverter groups the gateway reported; other kinds have every group. */
  groups: string[] | 'all';
  device: DeviceBlock;
  /** The state JSON, booleans as ON/OFF the way Home Assistant's MQTT entities expect. */
  state: Record<string, unknown>;
  /** Sub-states published beside the device's own: topic suffix → state. */
  subStates: Array<{ suffix: string; state: Record<string, unknown> }>;
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

export function haDevices(site: SiteModel, o: TopicOptions, extras: GatewayExtras): HaDevice[] {
  const gateway = encodeId(site.gateway_id);
  const firmware = site.gateway.firmware ?? undefined;
  const availabilityTopics = [gatewayOnlineTopic(o, gateway), gatewayFreshTopic(o, gateway)];
  const gatewayIdentifier = `${BRIDGE_PREFIX}${gateway}`;
  const swVersion = firmware === undefined ? {} : { sw_version: firmware };
  const gatewayDevice: HaDevice = {
    template: 'gateway',
    gateway,
    id: gateway,
    entityPrefix: `${BRIDGE_PREFIX}${slug(site.gateway_id)}`,
    topic: gatewayTopic(o, gateway),
    availabilityTopics,
    // A gateway takes plans only for units that take commands.
    managed: site.inverters.some((inverter) => inverter.managed),
    groups: 'all',
    device: {
      identifiers: [gatewayIdentifier],
      name: `Predbat gateway ${site.gateway_id}`,
      manufacturer: 'Predbat',
      model: 'ESP32 gateway',
      serial_number: site.gateway_id,
      ...swVersion,
    },
    state: haState({ ...site.gateway, ...extras }),
    subStates: [],
  };
  const inverters = site.inverters.map((inverter): HaDevice => {
    const serial = encodeId(inverter.serial);
    return {
      template: 'inverter',
      gateway,
      id: `${gateway}_${serial}`,
      entityPrefix: `${BRIDGE_PREFIX}${slug(inverter.serial)}`,
      topic:
        inverter.kind === 'ems' ? emsTopic(o, gateway, serial) : inverterTopic(o, gateway, serial),
      availabilityTopics,
      managed: inverter.managed,
      groups: inverter.reported,
      device: {
        identifiers: [`${BRIDGE_PREFIX}${gateway}_${serial}`],
        name: `${inverter.manufacturer} ${inverter.kind === 'ems' ? 'EMS ' : ''}${inverter.serial}`,
        manufacturer: inverter.manufacturer,
        model: inverter.model,
        serial_number: inverter.serial,
        ...swVersion,
        via_device: gatewayIdentifier,
      },
      state: inverterState(inverter),
      subStates: inverter.ems.sub_inverters.map((unit) => ({
        suffix: `sub_inverter/${unit.slot}`,
        state: haState(unit),
      })),
    };
  });
  const chargers = site.ev_chargers.map((charger: EvChargerModel): HaDevice => {
    const chargePoint = encodeId(charger.charge_point_id);
    return {
      template: 'ev_charger',
      gateway,
      id: `${gateway}_ev_${chargePoint}`,
      entityPrefix: `${BRIDGE_PREFIX}ev_${slug(charger.charge_point_id)}`,
      topic: evChargerTopic(o, gateway, chargePoint),
      availabilityTopics,
      managed: true,
      groups: 'all',
      device: {
        identifiers: [`${BRIDGE_PREFIX}${gateway}_ev_${chargePoint}`],
        name: `EV charger ${charger.charge_point_id}`,
        manufacturer: 'OCPP',
        model: 'Charge point',
        serial_number: charger.charge_point_id,
        ...swVersion,
        via_device: gatewayIdentifier,
      },
      state: haState(charger),
      subStates: [],
    };
  });
  return [gatewayDevice, ...inverters, ...chargers];
}

/** Identifiers and unique ids all start with this, so they never clash with others'. */
export const BRIDGE_PREFIX = 'predbat_';

/** The state JSON of an inverter: the model without its bookkeeping. */
function inverterState(inverter: InverterModel): Record<string, unknown> {
  const { reported: _reported, kind: _kind, ...state } = inverter;
  return haState(state);
}

/**
 * A copy of a model object with booleans as ON/OFF. Every message takes this path for
 * about a hundred values: a spread copies an object's shape at once, and only the values
 * that are not numbers or text are then replaced.
 */
function haState(value: object): Record<string, unknown> {
  const out: Record<string, unknown> = { ...value };
  for (const key in out) out[key] = haItem(out[key]);
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

export const ORIGIN_NAME = BRIDGE_NAME;
