// Checks shared by entity configs and the device-discovery root: topic values, templates,
// availability, qos, and the strict device and origin blocks (sections 1.4, 5.2-5.4).
import { DEVICE_KEYS, ORIGIN_KEYS } from './ha-discovery-tables';
import { toPyInt } from './ha-python';

export type Level = 'error' | 'warning';
export type Report = (level: Level, rule: string, message: string) => void;
export type Config = Record<string, unknown>;

export function isPlainObject(value: unknown): value is Config {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What voluptuous' cv.string accepts: any scalar (coerced with str()), not None/list/dict. */
export function isStringLike(value: unknown): boolean {
  return ['string', 'number', 'boolean'].includes(typeof value);
}

export const list = (items: Iterable<string>): string => [...items].join(', ');

/** HA's cv.url / configuration_url: http(s) with a host, or (device/origin) homeassistant://. */
export function isValidUrl(value: unknown, allowHomeAssistant: boolean): boolean {
  if (!isStringLike(value)) return false;
  const url = String(value);
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url)?.[1].toLowerCase();
  if (scheme === 'http' || scheme === 'https') return /^[^:]+:\/\/[^/?#]+/.test(url);
  return allowHomeAssistant && scheme === 'homeassistant';
}

/** Publish topics (HA valid_publish_topic); every other `*topic` option is a subscription. */
function isPublishTopic(key: string): boolean {
  return (
    key.endsWith('command_topic') || key === 'set_position_topic' || key === 'set_fan_speed_topic'
  );
}

/** HA util.py valid_topic + valid_subscribe_topic / valid_publish_topic. */
export function checkTopicValue(key: string, value: unknown, report: Report): void {
  const bad = (why: string): void => report('error', 'topic-value', `${key} ${why}`);
  if (typeof value !== 'string' || value === '') return bad('must be a non-empty string');
  if (Buffer.byteLength(value, 'utf8') > 65535) return bad('is longer than 65535 bytes');
  const codePoints = [...value].map((ch) => ch.codePointAt(0) as number);
  if (codePoints.some((cp) => cp <= 0x1f || (cp >= 0x7f && cp <= 0x9f))) {
    return bad('contains a control character');
  }
  if (/\p{Cs}/u.test(value)) return bad('is not valid UTF-8 (lone surrogate)');
  if (codePoints.some(isNonCharacter)) return bad('contains a Unicode non-character');
  if (isPublishTopic(key)) {
    if (/[+#]/.test(value)) {
      report(
        'error',
        'topic-wildcard',
        `${key} '${value}': Wildcards cannot be used in topic names`,
      );
    }
    return;
  }
  const levels = value.split('/');
  if (levels.some((level) => level.includes('+') && level !== '+')) {
    report('error', 'topic-wildcard', `${key} '${value}': '+' must occupy an entire level`);
  }
  const hash = value.indexOf('#');
  if (hash !== -1 && (hash !== value.length - 1 || (value.length > 1 && value[hash - 1] !== '/'))) {
    report('error', 'topic-wildcard', `${key} '${value}': '#' must be the last level`);
  }
}

function isNonCharacter(cp: number): boolean {
  return (cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) === 0xfffe;
}

function checkTemplate(key: string, value: unknown, report: Report): void {
  // Jinja is compiled lazily, so only a value that cannot become a string fails discovery.
  if (value !== undefined && !isStringLike(value)) {
    report('error', 'template-type', `${key} must be a template string`);
  }
}

/**
 * Options valid both on an entity and on a device-discovery root: topics, templates,
 * availability and qos. `last_reset_topic` is skipped because HA strips it unread.
 */
export function checkSharedOptions(config: Config, report: Report): void {
  for (const [key, value] of Object.entries(config)) {
    if (key.endsWith('topic') && key !== 'last_reset_topic') checkTopicValue(key, value, report);
    if (key.endsWith('_template')) checkTemplate(key, value, report);
  }
  if (config.availability !== undefined && config.availability_topic !== undefined) {
    report(
      'error',
      'availability-exclusive',
      "two or more values in the same group of exclusion 'availability' (availability and availability_topic)",
    );
  }
  if (config.availability !== undefined && config.availability !== null) {
    // cv.ensure_list: a single object is accepted as a one-entry list.
    const entries = Array.isArray(config.availability)
      ? config.availability
      : [config.availability];
    entries.forEach((entry: unknown, i) => {
      if (!isPlainObject(entry)) {
        report('error', 'availability-entry', `availability[${i}] must be an object`);
      } else if (entry.topic === undefined) {
        report(
          'error',
          'availability-entry',
          `availability[${i}]: required key 'topic' not provided`,
        );
      } else {
        checkTopicValue(`availability[${i}].topic`, entry.topic, report);
        checkTemplate(`availability[${i}].value_template`, entry.value_template, report);
      }
    });
  }
  const mode = config.availability_mode;
  if (mode !== undefined && !['all', 'any', 'latest'].includes(mode as string)) {
    report(
      'error',
      'availability-mode',
      `availability_mode '${String(mode)}' is not all, any or latest`,
    );
  }
  if (config.qos !== undefined) {
    const qos = toPyInt(config.qos); // vol.Coerce(int), so "1" and 1.0 pass
    if (qos === undefined || qos < 0n || qos > 2n) {
      report('error', 'qos', `qos ${JSON.stringify(config.qos)} is not 0, 1 or 2`);
    }
  }
}

export function hasName(device: Config): boolean {
  return device.name !== undefined && device.name !== null && device.name !== '';
}

/** HA warns about a device block without a name; the entity still works. */
export function checkDeviceName(device: unknown, report: Report): void {
  if (isPlainObject(device) && !hasName(device)) {
    report(
      'warning',
      'device-name-missing',
      'MQTT device information always needs to include a name',
    );
  }
}

/** Section 5.2: the device schema is strict; one bad key rejects the whole entity. */
export function checkDevice(device: unknown, report: Report): void {
  if (!isPlainObject(device)) return report('error', 'device-block', 'device must be an object');
  for (const [key, value] of Object.entries(device)) {
    if (!DEVICE_KEYS.has(key)) {
      report('error', 'device-unknown-key', `extra keys not allowed @ data['device']['${key}']`);
    } else if (
      !['identifiers', 'connections', 'configuration_url'].includes(key) &&
      !isStringLike(value)
    ) {
      report('error', 'device-value-type', `device.${key} must be a string`);
    }
  }
  // cv.ensure_list: a missing or null value is an empty list, a scalar a one-item list.
  const ids = device.identifiers == null ? [] : [device.identifiers].flat();
  if (!ids.every(isStringLike)) {
    report(
      'error',
      'device-identifiers',
      'device.identifiers must be a string or a list of strings',
    );
  }
  const connections = device.connections == null ? [] : device.connections;
  const pairs: unknown[] = Array.isArray(connections) ? connections : [connections];
  if (!pairs.every((c) => Array.isArray(c) && c.length === 2 && c.every(isStringLike))) {
    report(
      'error',
      'device-connections',
      'device.connections must be a list of [type, value] pairs',
    );
  }
  if (!ids.some((id) => isStringLike(id) && String(id) !== '') && pairs.length === 0) {
    report(
      'error',
      'device-identifiers',
      "Device must have at least one identifying value in 'identifiers' and/or 'connections'",
    );
  }
  if (device.configuration_url !== undefined && !isValidUrl(device.configuration_url, true)) {
    report('error', 'device-configuration-url', `device.configuration_url is not a valid URL`);
  }
}

/** Section 5.3: origin is strict too; `name` is its only required key. */
export function checkOrigin(origin: unknown, report: Report): void {
  if (!isPlainObject(origin)) return report('error', 'origin-block', 'origin must be an object');
  for (const key of Object.keys(origin)) {
    if (!ORIGIN_KEYS.has(key)) {
      report('error', 'origin-unknown-key', `extra keys not allowed @ data['origin']['${key}']`);
    }
  }
  if (!isStringLike(origin.name)) {
    report('error', 'origin-name', 'origin.name is required (a string)');
  }
  if (origin.sw_version !== undefined && !isStringLike(origin.sw_version)) {
    report('error', 'origin-value-type', 'origin.sw_version must be a string');
  }
  if (origin.support_url !== undefined && !isValidUrl(origin.support_url, true)) {
    report('error', 'origin-support-url', 'origin.support_url is not a valid URL');
  }
}
