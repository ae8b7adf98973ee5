// Checks on one expanded entity config: platform options (section 3), units and classes
// (section 4), identity and naming (sections 5.1, 6). Every finding goes through `report`.
import {
  BINARY_SENSOR_DEVICE_CLASSES,
  BUTTON_DEVICE_CLASSES,
  LEGACY_UNIT_SPELLINGS,
  NON_ENTITY_COMPONENTS,
  NON_NUMERIC_SENSOR_CLASSES,
  NUMBER_DEVICE_CLASSES,
  NUMBER_DEVICE_CLASS_UNITS,
  SENSOR_DEVICE_CLASSES,
  SENSOR_DEVICE_CLASS_UNITS,
  SENSOR_STATE_CLASSES,
  STATE_CLASSES,
  SWITCH_DEVICE_CLASSES,
} from './ha-discovery-tables';
import { toPyFloat, toPyInt } from './ha-python';
import {
  checkDevice,
  checkDeviceName,
  checkOrigin,
  checkSharedOptions,
  isStringLike,
  isValidUrl,
  list,
  type Config,
  type Report,
} from './ha-discovery-common';

function requireKeys(config: Config, keys: string[], report: Report): void {
  for (const key of keys) {
    if (config[key] === undefined) {
      report('error', 'required-key', `required key not provided @ data['${key}']`);
    }
  }
}

/** device_class / state_class are lower-cased by HA (vol.Lower) before the enum check. */
function enumOption(
  config: Config,
  key: string,
  allowed: ReadonlySet<string> | readonly string[],
  report: Report,
): string | undefined {
  const value = config[key];
  if (value === undefined || value === null) return undefined;
  const lower = String(value).toLowerCase();
  if (isStringLike(value) && [...allowed].includes(lower)) return lower;
  const rule = key.replace('_', '-');
  report('error', rule, `${key} '${String(value)}' is not valid; expected one of ${list(allowed)}`);
  return undefined;
}

function exactOption(config: Config, key: string, allowed: string[], rule: string, report: Report) {
  if (config[key] !== undefined && !allowed.includes(config[key] as string)) {
    report('error', rule, `${key} '${String(config[key])}' is not one of ${list(allowed)}`);
  }
}

function positiveInt(config: Config, keys: string[], report: Report): void {
  for (const key of keys) {
    const value = config[key];
    const n = value === undefined ? 0n : toPyInt(value); // cv.positive_int
    if (n === undefined || n < 0n) report('error', 'option-type', `${key} must be an integer >= 0`);
  }
}

/** Unit against a class's unit set, after HA's legacy-spelling normalisation (section 4.4). */
function checkUnit(
  deviceClass: string | undefined,
  unit: string | undefined,
  table: Readonly<Record<string, readonly (string | null)[]>>,
  report: Report,
): void {
  const allowed = deviceClass === undefined ? undefined : table[deviceClass];
  if (allowed === undefined) return;
  if (unit === undefined) {
    if (!allowed.includes(null)) {
      report(
        'warning',
        'unit-missing',
        `device_class ${deviceClass} expects a unit (${list(allowed.filter((u) => u !== null))})`,
      );
    }
    return;
  }
  const normalised = LEGACY_UNIT_SPELLINGS[unit] ?? unit;
  if (normalised !== unit) {
    report(
      'warning',
      'unit-legacy-spelling',
      `unit '${unit}' is only accepted as '${normalised}' from HA 2025.9 (micro sign) / 2026.x (VAr); older HA compares the exact string`,
    );
  }
  if (!allowed.includes(normalised)) {
    report(
      'error',
      'unit',
      `The unit of measurement \`${unit}\` is not valid together with device class \`${deviceClass}\``,
    );
  }
}

/** unit_of_measurement as HA reads it: null and whitespace-only mean "no unit". */
function unitOf(config: Config, report: Report): string | undefined {
  const unit = config.unit_of_measurement;
  if (unit === undefined || unit === null) return undefined;
  if (typeof unit !== 'string') {
    report('error', 'option-type', 'unit_of_measurement must be a string');
    return undefined;
  }
  return unit.trim() === '' ? undefined : unit;
}

function checkSensor(config: Config, report: Report): void {
  requireKeys(config, ['state_topic'], report);
  const deviceClass = enumOption(config, 'device_class', SENSOR_DEVICE_CLASSES, report);
  const stateClass = enumOption(config, 'state_class', STATE_CLASSES, report);
  const unit = unitOf(config, report);
  if (stateClass === 'measurement_angle' && unit !== '°') {
    report(
      'error',
      'measurement-angle-unit',
      `The unit of measurement '${unit ?? 'None'}' is not valid together with state class 'measurement_angle'`,
    );
  }
  checkUnit(deviceClass, unit, SENSOR_DEVICE_CLASS_UNITS, report);
  if (deviceClass !== undefined && NON_NUMERIC_SENSOR_CLASSES.has(deviceClass)) {
    for (const [what, value] of [
      ['a unit of measurement', unit],
      ['a state class', stateClass],
    ]) {
      if (value !== undefined) {
        report(
          'error',
          'non-numeric-class',
          `sensor has ${what} and thus indicates a numeric value; however, it has the non-numeric device class: ${deviceClass}`,
        );
      }
    }
  } else if (deviceClass !== undefined && stateClass !== undefined) {
    const allowed = SENSOR_STATE_CLASSES[deviceClass] ?? STATE_CLASSES;
    if (!allowed.includes(stateClass)) {
      report(
        'warning',
        'state-class-mismatch',
        `state class '${stateClass}' is impossible for device class '${deviceClass}'; expected one of ${list(allowed)}`,
      );
    }
  }
  if (config.options !== undefined) {
    const bad = (why: string): void => report('error', 'sensor-options', `options ${why}`);
    if (deviceClass !== 'enum') bad('can only be used together with device class `enum`');
    if (!Array.isArray(config.options) || config.options.length === 0) {
      bad('must be a non-empty list');
    }
    if (stateClass !== undefined) bad('cannot be used together with a state class');
    if (unit !== undefined) bad('cannot be used together with a unit of measurement');
  } else if (deviceClass === 'enum') {
    report(
      'warning',
      'sensor-options',
      'enum sensor without options: HA cannot list or check its states',
    );
  }
  if (config.last_reset_value_template !== undefined && stateClass !== 'total') {
    report(
      'error',
      'last-reset',
      `The option last_reset_value_template cannot be used together with state class ${stateClass ?? 'None'}`,
    );
  }
  positiveInt(config, ['expire_after', 'suggested_display_precision'], report);
}

function checkNumber(config: Config, report: Report): void {
  requireKeys(config, ['command_topic'], report);
  const deviceClass = enumOption(config, 'device_class', NUMBER_DEVICE_CLASSES, report);
  checkUnit(deviceClass, unitOf(config, report), NUMBER_DEVICE_CLASS_UNITS, report);
  const num = (key: string, fallback: number): number | undefined =>
    config[key] === undefined ? fallback : toPyFloat(config[key]); // vol.Coerce(float)
  const [min, max, step] = [num('min', 0), num('max', 100), num('step', 1)];
  if (min === undefined || max === undefined) {
    report('error', 'number-range', 'min and max must be numbers');
  } else if (min >= max) {
    report('error', 'number-range', `'max' must be > 'min' (min ${min}, max ${max})`);
  }
  if (step === undefined || !(step >= 0.001)) {
    report('error', 'number-step', `step ${String(config.step)} must be a number >= 0.001`);
  }
  exactOption(config, 'mode', ['auto', 'box', 'slider'], 'number-mode', report);
}

function checkText(config: Config, report: Report): void {
  requireKeys(config, ['command_topic'], report);
  const int = (key: string, fallback: bigint): bigint | undefined =>
    config[key] === undefined ? fallback : toPyInt(config[key]);
  const [min, max] = [int('min', 0n), int('max', 255n)];
  if (min === undefined || max === undefined || min < 0n || max < 0n) {
    report('error', 'text-length', 'min and max must be integers >= 0');
  } else if (min > max) {
    report('error', 'text-length', 'text length min must be <= max');
  } else if (max > 255n) {
    report('error', 'text-length', 'max text length must be <= 255');
  }
  exactOption(config, 'mode', ['text', 'password'], 'text-mode', report);
  if (config.pattern !== undefined && !compilesAsPythonRegex(config.pattern)) {
    report(
      'error',
      'text-pattern',
      `pattern ${JSON.stringify(config.pattern)} is not a valid regex`,
    );
  }
}

/**
 * HA compiles `pattern` with Python's `re`. JS RegExp (non-unicode mode, the more lenient one)
 * stands in after translating the Python-only spellings bridges actually use.
 */
function compilesAsPythonRegex(pattern: unknown): boolean {
  if (typeof pattern !== 'string') return false;
  const inline = /^\(\?([aiLmsux]+)\)/.exec(pattern);
  const flags = [...(inline?.[1] ?? '')].filter((f) => 'ims'.includes(f)).join('');
  const body = pattern
    .slice(inline?.[0].length ?? 0)
    .replace(/\(\?P</g, '(?<')
    .replace(/\(\?P=(\w+)\)/g, '\\k<$1>');
  try {
    new RegExp(body, flags);
    return true;
  } catch {
    return false;
  }
}

function checkSelect(config: Config, report: Report): void {
  requireKeys(config, ['command_topic', 'options'], report);
  const options = config.options;
  if (options === undefined) return;
  if (!Array.isArray(options) || !options.every(isStringLike)) {
    report('error', 'select-options', 'options must be a list of strings');
  } else if (options.length === 0) {
    report('warning', 'select-options', 'options is empty; emit at least one option');
  }
}

const PLATFORM_CHECKS: Record<string, (config: Config, report: Report) => void> = {
  sensor: checkSensor,
  binary_sensor: (config, report) => {
    requireKeys(config, ['state_topic'], report);
    enumOption(config, 'device_class', BINARY_SENSOR_DEVICE_CLASSES, report);
    positiveInt(config, ['expire_after', 'off_delay'], report);
  },
  number: checkNumber,
  select: checkSelect,
  switch: (config, report) => {
    requireKeys(config, ['command_topic'], report);
    enumOption(config, 'device_class', SWITCH_DEVICE_CLASSES, report);
  },
  button: (config, report) => {
    requireKeys(config, ['command_topic'], report);
    enumOption(config, 'device_class', BUTTON_DEVICE_CLASSES, report);
  },
  text: checkText,
  device_automation: (config, report) => {
    requireKeys(config, ['automation_type', 'topic', 'type', 'subtype', 'device'], report);
    exactOption(config, 'automation_type', ['trigger'], 'automation-type', report);
  },
  tag: (config, report) => requireKeys(config, ['topic', 'device'], report),
};

/** Options every entity platform shares (section 3.0) and the naming rules of section 6. */
function checkEntityCommon(platform: string, config: Config, report: Report, deviceName?: string) {
  if (config.unique_id === undefined || config.unique_id === null) {
    const ignored = config.device === undefined ? '' : '; its device block is ignored';
    report('warning', 'unique-id-missing', `no unique_id: no entity registry entry${ignored}`);
  } else if (!isStringLike(config.unique_id)) {
    report('error', 'option-type', 'unique_id must be a string');
  }
  if (config.name !== undefined && config.name !== null && !isStringLike(config.name)) {
    report('error', 'option-type', 'name must be a string or null');
  }
  exactOption(config, 'entity_category', ['config', 'diagnostic'], 'entity-category', report);
  if (config.entity_category === 'config' && ['sensor', 'binary_sensor'].includes(platform)) {
    report(
      'error',
      'entity-category-config',
      `Entity ${platform} cannot be added as the entity category is set to config`,
    );
  }
  if (
    config.icon !== undefined &&
    !(isStringLike(config.icon) && String(config.icon).includes(':'))
  ) {
    report('error', 'icon', 'Icons should be specified in the form "prefix:name"');
  }
  if (config.entity_picture !== undefined && !isValidUrl(config.entity_picture, false)) {
    report('error', 'entity-picture', 'entity_picture must be an http(s) URL');
  }
  if (config.object_id !== undefined) {
    report(
      'warning',
      'object-id-deprecated',
      `object_id is deprecated (HA 2025.10, ignored from 2026.4); use "default_entity_id": "${platform}.${String(config.object_id)}"`,
    );
  }
  const defaultId = config.default_entity_id;
  if (defaultId !== undefined && !(typeof defaultId === 'string' && defaultId.includes('.'))) {
    report(
      'warning',
      'default-entity-id',
      `default_entity_id must look like "${platform}.<object_id>"`,
    );
  }
  const name = config.name;
  if (typeof name === 'string' && deviceName) {
    const [lname, ldevice] = [name.toLowerCase(), deviceName.toLowerCase()];
    if (lname === ldevice) {
      report(
        'warning',
        'name-prefix',
        `entity name '${name}' equals the device name; use "name": null for the main feature`,
      );
    } else if (lname.startsWith(ldevice) && /^[^\p{L}\p{N}]/u.test(name.slice(deviceName.length))) {
      report(
        'warning',
        'name-prefix',
        `entity name '${name}' starts with the device name; HA shows '${deviceName} ${name}'`,
      );
    }
  }
}

export interface EntityOptions {
  /** Device discovery checks device and origin once, at the root. */
  sharedBlocksChecked: boolean;
  /** The entity's device name, from its own block or another message naming the same device. */
  deviceName: string | undefined;
}

/** All checks for one entity config, already expanded and `~`-substituted. */
export function checkEntity(
  platform: string,
  config: Config,
  report: Report,
  options: EntityOptions,
) {
  checkSharedOptions(config, report);
  const isEntity = !NON_ENTITY_COMPONENTS.has(platform);
  if (!options.sharedBlocksChecked) {
    if (config.device !== undefined) {
      checkDevice(config.device, report);
      if (isEntity) checkDeviceName(config.device, report);
    }
    if (config.origin === undefined) {
      report('warning', 'origin-missing', 'no origin: HA cannot name the application in its logs');
    } else {
      checkOrigin(config.origin, report);
    }
  }
  if (isEntity) checkEntityCommon(platform, config, report, options.deviceName);
  PLATFORM_CHECKS[platform]?.(config, report);
}
