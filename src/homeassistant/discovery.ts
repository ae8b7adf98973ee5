// Home Assistant devices + entity templates → discovery configs (single-component
// topics, full key names, has_entity_name naming, default_entity_id, origin).
import { BRIDGE_NAME, BRIDGE_VERSION } from '../package-root';
import { timeText } from '../site/values';
import { readPath } from './deadbands';
import { BRIDGE_PREFIX, type HaDevice } from './devices';
import type { EntityTemplate, Templates } from './templates';
import { type TopicOptions, bridgeStateTopic, discoveryTopic } from './topics';

export interface DiscoveryOptions extends TopicOptions {
  /** Maximum for a number whose own maximum is not reported, by unit (W, A). */
  fallbackMax: Record<string, number>;
  /**
   * Seconds after which a sensor with no new state becomes unavailable. States come at
   * least every heartbeat while the gateway reports, so heartbeat plus the stale time.
   */
  expireAfterSeconds?: number;
}

export interface DiscoveryConfig {
  topic: string;
  /** The template key, unique within the device. */
  key: string;
  payload: Record<string, unknown>;
}

const ORIGIN = { name: BRIDGE_NAME, sw_version: BRIDGE_VERSION };

/** The templates that apply to a device as it is now. */
export function entitiesFor(device: HaDevice, templates: Templates): EntityTemplate[] {
  return templates[device.template].filter((entity) => {
    if (entity.when === 'managed' && !device.managed) return false;
    if (entity.when === 'read_only' && device.managed) return false;
    if (entity.requires === undefined || device.groups === 'all') return true;
    return device.groups.includes(entity.requires);
  });
}

export function discoveryConfigs(
  device: HaDevice,
  templates: Templates,
  o: DiscoveryOptions,
): DiscoveryConfig[] {
  return entitiesFor(device, templates).map((entity) => discoveryConfig(device, entity, o));
}

/** The entity id Home Assistant gives an entity of the bridge's: select.predbat_…_battery_mode. */
export function entityId(platform: string, entityPrefix: string, key: string): string {
  return `${platform}.${entityPrefix}_${key}`;
}

function objectId(device: HaDevice, key: string): string {
  return `${device.id}_${key}`;
}

function commandTopic(device: HaDevice, key: string): string {
  return `${device.topic}/${key}/set`;
}

export function discoveryConfig(
  device: HaDevice,
  entity: EntityTemplate,
  o: DiscoveryOptions,
): DiscoveryConfig {
  const id = objectId(device, entity.key);
  const bridge = [{ topic: bridgeStateTopic(o) }];
  const availability =
    entity.availability === 'bridge'
      ? bridge
      : [...bridge, ...device.availabilityTopics.map((topic) => ({ topic }))];
  const payload: Record<string, unknown> = {
    name: entity.name,
    unique_id: `${BRIDGE_PREFIX}${id}`,
    default_entity_id: entityId(entity.platform, device.entityPrefix, entity.key),
    device: device.device,
    origin: ORIGIN,
    availability,
    availability_mode: 'all',
  };
  if (entity.value !== undefined) {
    payload.state_topic = device.stateTopic;
    payload.value_template = `{{ value_json.${entity.value} }}`;
  }
  if (entity.attributes !== undefined) {
    payload.json_attributes_topic = device.stateTopic;
    payload.json_attributes_template = `{{ value_json.${entity.attributes} | tojson }}`;
  }
  if (entity.command !== undefined) payload.command_topic = commandTopic(device, entity.key);
  copyDefined(entity, payload, [
    'device_class',
    'state_class',
    'unit_of_measurement',
    'suggested_display_precision',
    'icon',
    'entity_category',
  ]);
  if (entity.enabled_by_default === false) payload.enabled_by_default = false;
  if (expires(entity, o)) payload.expire_after = o.expireAfterSeconds;
  if (entity.platform === 'number') Object.assign(payload, numberRange(device, entity, o));
  if (entity.platform === 'select') payload.options = selectOptions(device, entity);
  return { topic: discoveryTopic(o, entity.platform, id), key: entity.key, payload };
}

/**
 * Sensors the gateway's telemetry feeds expire; those that stay available without it
 * (the bridge's own view: online, last seen) must not.
 */
function expires(entity: EntityTemplate, o: DiscoveryOptions): boolean {
  if (o.expireAfterSeconds === undefined || entity.availability === 'bridge') return false;
  return entity.platform === 'sensor' || entity.platform === 'binary_sensor';
}

function copyDefined(
  entity: EntityTemplate,
  payload: Record<string, unknown>,
  keys: Array<keyof EntityTemplate>,
): void {
  for (const key of keys) if (entity[key] !== undefined) payload[key] = entity[key];
}

/** A dotted path into a device's state; undefined when any step is missing. */
export function stateValue(state: Record<string, unknown>, path: string): unknown {
  return readPath(state, path.split('.'));
}

function numberRange(
  device: HaDevice,
  entity: EntityTemplate,
  o: DiscoveryOptions,
): Record<string, unknown> {
  const min = entity.min ?? 0;
  // A template's max is a hard ceiling: telemetry can narrow the range, never widen it
  // past what the setting can mean (an SOC above 100 %, a rate of 4 GW).
  const ceiling = entity.max ?? Number.POSITIVE_INFINITY;
  const reported = entity.max_from ? stateValue(device.state, entity.max_from) : undefined;
  const fallback =
    entity.max_from === undefined
      ? (entity.max ?? 100)
      : Math.min(o.fallbackMax[entity.unit_of_measurement ?? ''] ?? 100, ceiling);
  let max =
    typeof reported === 'number' && reported > min && reported <= ceiling ? reported : fallback;
  // Home Assistant drops a state outside the range, so a value the unit reports above its
  // own limit still fits, as long as it is a value the setting can have.
  const current = entity.value === undefined ? undefined : stateValue(device.state, entity.value);
  if (typeof current === 'number' && current <= ceiling) max = Math.max(max, current);
  if (!(max > min)) max = min + (entity.step ?? 1);
  return { min, max, step: entity.step ?? 1, mode: entity.mode ?? 'auto' };
}

/** Every time of day in 5-minute steps, as HH:MM. */
const TIMES_OF_DAY_5MIN: readonly string[] = Array.from({ length: 288 }, (_, i) => timeText(i * 5));

/** The current value is always an option, even off the grid, so HA can show it. */
function selectOptions(device: HaDevice, entity: EntityTemplate): string[] {
  const options = entity.options ?? [...TIMES_OF_DAY_5MIN];
  const current = entity.value === undefined ? undefined : stateValue(device.state, entity.value);
  if (typeof current === 'string' && !options.includes(current)) {
    return [...options, current].sort();
  }
  return options;
}
