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
    managed: true,
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
      state: haState(inverterState(inverter)),
      subStates: inverter.ems.sub_inverters.map((unit) => ({
        suffix: `sub_inverter/${unit.slot}`,
        state: haState({ ...unit }),
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
      state: haState({ ...charger }),
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
  return state;
}

function haState(value: Record<string, unknown>): Record<string, unknown> {
  return haValue(value) as Record<string, unknown>;
}

function haValue(value: unknown): unknown {
  if (value === true) return 'ON';
  if (value === false) return 'OFF';
  if (Array.isArray(value)) return value.map(haValue);
  if (value !== null && typeof value === 'object') {
    // for-in over the model's plain objects: the same keys as Object.entries, without
    // an array of pairs per object on a path every message takes.
    const out: Record<string, unknown> = {};
    for (const key in value) out[key] = haValue((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

export const ORIGIN_NAME = BRIDGE_NAME;
