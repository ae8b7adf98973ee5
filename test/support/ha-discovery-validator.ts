// Independent Home Assistant MQTT discovery validator for tests, written from
// /work/shared/ha-discovery.md rather than from the bridge code, so the two cannot share a
// misunderstanding. Errors are what HA rejects, drops or refuses; warnings are what HA logs
// (or what the doc recommends) while the entity still works.
import {
  DEVICE_ABBREVIATIONS,
  DEVICE_ROOT_KEYS,
  LEGACY_ABBREVIATIONS,
  MAIN_ABBREVIATIONS,
  NON_ENTITY_COMPONENTS,
  ORIGIN_ABBREVIATIONS,
  SHARED_ROOT_OPTIONS,
  SUPPORTED_COMPONENTS,
} from './ha-discovery-tables';
import {
  checkDevice,
  checkDeviceName,
  checkOrigin,
  checkSharedOptions,
  hasName,
  isPlainObject,
  type Config,
  type Level,
  type Report,
} from './ha-discovery-common';
import { checkEntity } from './ha-discovery-entity';

export { entityStateFromMessage, renderValueTemplate } from './ha-discovery-template';

export interface DiscoveryIssue {
  topic: string;
  level: Level;
  rule: string;
  message: string;
}

const ENTITY_ABBREVIATIONS = { ...MAIN_ABBREVIATIONS, ...LEGACY_ABBREVIATIONS };

function expandWith(config: Config, table: Readonly<Record<string, string>>): Config {
  const out: Config = { ...config };
  for (const [short, long] of Object.entries(table)) {
    // The short key wins when both spellings are present (HA pops it over the long one).
    if (short !== long && Object.prototype.hasOwnProperty.call(out, short)) {
      out[long] = out[short];
      delete out[short];
    }
  }
  return out;
}

/**
 * HA's `_replace_all_abbreviations`: main table at the top level and inside each availability
 * entry, device table inside `device`, origin table inside `origin`, nothing else nested.
 * Device-discovery components are expanded the same way. The input is not modified.
 */
export function expandAbbreviations(config: Record<string, unknown>): Record<string, unknown> {
  const out = expandWith(config, ENTITY_ABBREVIATIONS);
  if (isPlainObject(out.device)) out.device = expandWith(out.device, DEVICE_ABBREVIATIONS);
  if (isPlainObject(out.origin)) out.origin = expandWith(out.origin, ORIGIN_ABBREVIATIONS);
  const entry = (e: unknown): unknown => (isPlainObject(e) ? expandWith(e, MAIN_ABBREVIATIONS) : e);
  if (Array.isArray(out.availability)) out.availability = out.availability.map(entry);
  else if (isPlainObject(out.availability)) out.availability = entry(out.availability);
  if (isPlainObject(out.components)) {
    const components = Object.entries(out.components).map(([id, component]) => [
      id,
      isPlainObject(component) ? expandAbbreviations(component) : component,
    ]);
    out.components = Object.fromEntries(components);
  }
  return out;
}

/**
 * `~` substitution (section 1.4), mirroring HA's quirk: both ends are computed from the
 * original value, so with `~` at both ends only the trailing one is replaced.
 */
function applyTopicBase(config: Config, report: Report): Config {
  if (!('~' in config)) return config;
  const { '~': base, ...rest } = config;
  if (typeof base !== 'string') {
    report('error', 'topic-base', '~ (topic base) must be a string');
    return rest;
  }
  const substitute = (value: string): string => {
    let out = value;
    if (value.startsWith('~')) out = base + value.slice(1);
    if (value.endsWith('~')) out = value.slice(0, -1) + base;
    return out;
  };
  for (const [key, value] of Object.entries(rest)) {
    if (key.endsWith('topic') && typeof value === 'string' && value !== '')
      rest[key] = substitute(value);
  }
  if (rest.availability !== undefined) {
    const entries = [rest.availability]
      .flat()
      .map((e: unknown) =>
        isPlainObject(e) && typeof e.topic === 'string' && e.topic !== ''
          ? { ...e, topic: substitute(e.topic) }
          : e,
      );
    rest.availability = Array.isArray(rest.availability) ? entries : entries[0];
  }
  return rest;
}

interface TopicInfo {
  component: string;
  nodeId?: string;
  objectId: string;
}

const TOPIC_ID = /^[a-zA-Z0-9_-]+$/;

/** Section 1.1/1.2 topic shape; an invalid topic is never turned into an entity by HA. */
function parseTopic(topic: string, prefix: string, report: Report): TopicInfo | undefined {
  const shape = `${prefix}/<component>/[<node_id>/]<object_id>/config`;
  if (!topic.startsWith(`${prefix}/`)) {
    report('error', 'topic-shape', `topic is not under the discovery prefix; expected ${shape}`);
    return undefined;
  }
  const levels = topic.slice(prefix.length + 1).split('/');
  if (levels.length < 3 || levels.length > 4 || levels[levels.length - 1] !== 'config') {
    report('error', 'topic-shape', `HA never receives this topic; expected ${shape}`);
    return undefined;
  }
  const [component, ...ids] = levels.slice(0, -1);
  if (!/^\w+$/.test(component) || !ids.every((id) => TOPIC_ID.test(id))) {
    report(
      'error',
      'topic-chars',
      `Received message on illegal discovery topic '${topic}'. The topic contains non allowed characters (levels must match [a-zA-Z0-9_-]+)`,
    );
    return undefined;
  }
  if (component !== 'device' && !SUPPORTED_COMPONENTS.has(component)) {
    report('error', 'component-unsupported', `Integration ${component} is not supported`);
    return undefined;
  }
  return ids.length === 2
    ? { component, nodeId: ids[0], objectId: ids[1] }
    : { component, objectId: ids[0] };
}

interface Parsed {
  topic: string;
  info: TopicInfo;
  config: Config;
}

/** One entity HA would set up, for the checks that span messages. */
interface EntityRecord {
  topic: string;
  platform: string;
  discoveryId: string;
  uniqueId: unknown;
  label: string;
}

/** Device identifiers/connections → device name, so a name-less repeat can still be matched. */
function deviceKeys(device: Config): string[] {
  const ids = [device.identifiers ?? []].flat().map((id) => `id:${String(id)}`);
  const connections = Array.isArray(device.connections) ? device.connections : [];
  return [...ids, ...connections.map((c) => `cn:${[c].flat().map(String).join('|')}`)];
}

function deviceName(device: unknown, index: Map<string, string>): string | undefined {
  if (!isPlainObject(device)) return undefined;
  if (hasName(device)) return String(device.name);
  return deviceKeys(device)
    .map((key) => index.get(key))
    .find((name) => name !== undefined);
}

function checkDeviceDiscovery(parsed: Parsed, report: Report, names: Map<string, string>) {
  const { config: root, info } = parsed;
  let rejected = false;
  // Any root or component-structure error rejects the whole device message (section 1.2).
  const rootReport: Report = (level, rule, message) => {
    rejected ||= level === 'error';
    report(level, rule, message);
  };
  for (const key of Object.keys(root).filter((k) => !DEVICE_ROOT_KEYS.has(k))) {
    rootReport('error', 'device-discovery-extra-key', `extra keys not allowed @ data['${key}']`);
  }
  for (const key of ['device', 'origin', 'components'].filter((k) => root[k] === undefined)) {
    rootReport('error', 'device-discovery-required', `required key not provided @ data['${key}']`);
  }
  if (root.device !== undefined) checkDevice(root.device, rootReport);
  if (root.origin !== undefined) checkOrigin(root.origin, rootReport);
  checkSharedOptions(root, rootReport);
  if (root.components !== undefined && !isPlainObject(root.components)) {
    rootReport(
      'error',
      'device-discovery-components',
      "expected a dictionary for dictionary value @ data['components']",
    );
  }
  const components = Object.entries(isPlainObject(root.components) ? root.components : {});
  for (const [id, component] of components) {
    const at = `@ data['components']['${id}']`;
    if (!isPlainObject(component)) {
      rootReport('error', 'device-discovery-components', `expected a dictionary ${at}`);
      continue;
    }
    const platform = component.platform;
    if (platform === undefined) {
      rootReport('error', 'component-platform', `required key not provided ${at}['platform']`);
    } else if (typeof platform !== 'string' || !SUPPORTED_COMPONENTS.has(platform)) {
      rootReport(
        'error',
        'component-platform',
        `platform '${String(platform)}' is not supported ${at}`,
      );
    } else if (
      !NON_ENTITY_COMPONENTS.has(platform) &&
      Object.keys(component).length > 1 &&
      component.unique_id === undefined
    ) {
      rootReport('error', 'component-unique-id', `required key not provided ${at}['unique_id']`);
    }
    if (!TOPIC_ID.test(id)) {
      report('warning', 'component-id-chars', `component id '${id}' should match [a-zA-Z0-9_-]+`);
    }
  }
  if (rejected) return [];
  checkDeviceName(root.device, report);
  const name = deviceName(root.device, names);
  const records: EntityRecord[] = [];
  for (const [id, component] of components as [string, Config][]) {
    // {"platform": ...} alone is the removal marker for one component.
    if (Object.keys(component).length === 1) continue;
    const label = `components.${id}: `;
    const componentReport: Report = (level, rule, message) => report(level, rule, label + message);
    const config = { ...applyTopicBase(component, componentReport) };
    for (const key of SHARED_ROOT_OPTIONS) {
      if (root[key] !== undefined && config[key] === undefined) config[key] = root[key];
    }
    config.device = root.device;
    config.origin = root.origin;
    const platform = component.platform as string;
    checkEntity(platform, config, componentReport, { sharedBlocksChecked: true, deviceName: name });
    const node = info.nodeId === undefined ? info.objectId : `${info.objectId} ${info.nodeId}`;
    records.push({
      topic: parsed.topic,
      platform,
      discoveryId: `${node} ${id}`,
      uniqueId: config.unique_id,
      label,
    });
  }
  return records;
}

/** Checks that need every message: discovery-ID conflicts and duplicate unique_ids. */
function checkAcrossMessages(records: EntityRecord[], issues: DiscoveryIssue[]): void {
  const byDiscoveryId = new Map<string, EntityRecord>();
  const byUniqueId = new Map<string, EntityRecord>();
  for (const record of records) {
    const { topic, platform, label } = record;
    const discoveryKey = `${platform} ${record.discoveryId}`;
    const first = byDiscoveryId.get(discoveryKey);
    if (first !== undefined && first.topic !== topic) {
      issues.push({
        topic,
        level: 'warning',
        rule: 'discovery-conflict',
        message: `${label}Received a conflicting MQTT discovery message for ${platform} '${record.discoveryId}', already set up via '${first.topic}'`,
      });
      continue;
    }
    byDiscoveryId.set(discoveryKey, record);
    if (NON_ENTITY_COMPONENTS.has(platform) || record.uniqueId == null) continue;
    const uniqueKey = `${platform}\u0000${String(record.uniqueId)}`;
    const owner = byUniqueId.get(uniqueKey);
    if (owner === undefined) {
      byUniqueId.set(uniqueKey, record);
      continue;
    }
    const where = owner.label === '' ? owner.topic : `${owner.topic} ${owner.label.slice(0, -2)}`;
    issues.push({
      topic,
      level: 'error',
      rule: 'duplicate-unique-id',
      message: `${label}Platform mqtt does not generate unique IDs. ID ${String(record.uniqueId)} already exists (${where}) - ignoring ${platform}`,
    });
  }
}

/**
 * Validates a set of retained discovery messages as HA would receive them. A later message
 * on the same topic replaces an earlier one (retained semantics); issues come back grouped by
 * topic in first-seen order.
 */
export function validateDiscovery(
  messages: Array<{ topic: string; payload: string }>,
  prefix = 'homeassistant',
): DiscoveryIssue[] {
  const issues: DiscoveryIssue[] = [];
  const reporter =
    (topic: string): Report =>
    (level, rule, message) =>
      issues.push({ topic, level, rule, message });
  const retained = new Map<string, string>();
  for (const { topic, payload } of messages) retained.set(topic, payload);

  const parsed: Parsed[] = [];
  for (const [topic, payload] of retained) {
    const report = reporter(topic);
    const info = parseTopic(topic, prefix, report);
    if (info === undefined || payload === '') continue; // empty payload = removal, always fine
    let json: unknown;
    try {
      json = JSON.parse(payload);
    } catch {
      json = undefined;
    }
    if (!isPlainObject(json)) {
      report('error', 'payload-json', `Unable to parse JSON ${info.objectId}: '${payload}'`);
      continue;
    }
    const config = expandAbbreviations(json);
    if ('migrate_discovery' in config) {
      if (config.migrate_discovery !== true) {
        report(
          'warning',
          'migrate-discovery',
          'migrate_discovery must be true; treated as a normal payload',
        );
      } else if (Object.keys(config).length === 1) {
        continue; // a migration request, not a config
      }
    }
    parsed.push({ topic, info, config });
  }

  const names = new Map<string, string>();
  for (const { config } of parsed) {
    const device = config.device;
    if (!isPlainObject(device) || !hasName(device)) continue;
    for (const key of deviceKeys(device)) if (!names.has(key)) names.set(key, String(device.name));
  }

  const records: EntityRecord[] = [];
  for (const item of parsed) {
    const report = reporter(item.topic);
    if (item.info.component === 'device') {
      records.push(...checkDeviceDiscovery(item, report, names));
      continue;
    }
    const { component: platform, nodeId, objectId } = item.info;
    const config = applyTopicBase(item.config, report);
    checkEntity(platform, config, report, {
      sharedBlocksChecked: false,
      deviceName: deviceName(config.device, names),
    });
    const discoveryId = nodeId === undefined ? objectId : `${nodeId} ${objectId}`;
    records.push({
      topic: item.topic,
      platform,
      discoveryId,
      uniqueId: config.unique_id,
      label: '',
    });
  }
  checkAcrossMessages(records, issues);

  // Array.prototype.sort is stable, so each topic keeps its findings in check order.
  const position = new Map([...retained.keys()].map((topic, i) => [topic, i]));
  const at = (issue: DiscoveryIssue): number => position.get(issue.topic) ?? 0;
  return issues.sort((a, b) => at(a) - at(b));
}
