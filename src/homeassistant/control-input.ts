// A payload on a control's command topic → the control's value, checked against exactly
// what Home Assistant was told in the entity's discovery config (range, step, options),
// so the bridge accepts what the entity offers and nothing else.
import type { ControlValue } from '../site/commands';
import type { HaDevice } from './devices';
import { type DiscoveryOptions, discoveryConfig, entitiesFor, stateValue } from './discovery';
import type { EntityTemplate, Templates } from './templates';

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Home Assistant's MQTT defaults: switches send ON/OFF, buttons PRESS. */
const PAYLOAD_ON = 'ON';
const PAYLOAD_OFF = 'OFF';
const PAYLOAD_PRESS = 'PRESS';

/** Longer payloads are no value any control takes. */
const MAX_VALUE_LENGTH = 64;
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** The control a command topic names on a device, if the device offers it now. */
export function controlOf(
  device: HaDevice,
  key: string,
  templates: Templates,
): Checked<EntityTemplate> {
  const entity = templates[device.template].find((e) => e.key === key && e.command !== undefined);
  const name = device.device.name;
  if (entity === undefined) return { ok: false, reason: `'${name}' has no control '${key}'` };
  if (entity.when === 'managed' && !device.managed) {
    return {
      ok: false,
      reason: `'${name}' is read-only: its gateway reports that it does not accept commands`,
    };
  }
  if (!entitiesFor(device, templates).includes(entity)) {
    return {
      ok: false,
      reason: `'${name}' does not report its ${entity.requires ?? 'settings'}, so '${key}' is not offered`,
    };
  }
  return { ok: true, value: entity };
}

export function parseControlValue(
  device: HaDevice,
  entity: EntityTemplate,
  payload: string,
  o: DiscoveryOptions,
): Checked<ControlValue> {
  const text = payload.trim();
  const shown = text.length > 32 ? `${text.slice(0, 32)}…` : text;
  if (text.length > MAX_VALUE_LENGTH) return { ok: false, reason: `'${shown}' is too long` };
  const config = discoveryConfig(device, entity, o).payload;
  switch (entity.platform) {
    case 'number':
      return parseNumber(text, shown, config);
    case 'switch':
      if (text === PAYLOAD_ON) return { ok: true, value: true };
      if (text === PAYLOAD_OFF) return { ok: true, value: false };
      return { ok: false, reason: `'${shown}' is neither ${PAYLOAD_ON} nor ${PAYLOAD_OFF}` };
    case 'select': {
      const options = config.options as string[];
      return options.includes(text)
        ? { ok: true, value: text }
        : { ok: false, reason: `'${shown}' is not one of the options` };
    }
    case 'button':
      return text === PAYLOAD_PRESS
        ? { ok: true, value: null }
        : { ok: false, reason: `'${shown}' is not ${PAYLOAD_PRESS}` };
    default:
      return { ok: false, reason: `a ${entity.platform} takes no commands` };
  }
}

function parseNumber(
  text: string,
  shown: string,
  config: Record<string, unknown>,
): Checked<ControlValue> {
  const value = DECIMAL.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(value)) return { ok: false, reason: `'${shown}' is not a finite number` };
  const min = config.min as number;
  const max = config.max as number;
  const step = config.step as number;
  if (value < min) return { ok: false, reason: `${value} is below the minimum ${min}` };
  if (value > max) return { ok: false, reason: `${value} is above the maximum ${max}` };
  const steps = (value - min) / step;
  if (Math.abs(steps - Math.round(steps)) > 1e-9) {
    return { ok: false, reason: `${value} is not on a step of ${step} from ${min}` };
  }
  // On the step from a whole minimum with a whole step, the value is whole: say it exactly.
  const snapped = min + Math.round(steps) * step;
  return { ok: true, value: Number.isInteger(snapped) ? snapped : value };
}

/** The value the device's telemetry reports for a control, as its state JSON has it. */
export function reportedValue(device: HaDevice, entity: EntityTemplate): unknown {
  return entity.value === undefined ? undefined : stateValue(device.state, entity.value);
}

/** A control's value as the device's state JSON writes it (on/off as ON/OFF). */
export function stateForm(value: ControlValue): unknown {
  if (value === true) return PAYLOAD_ON;
  if (value === false) return PAYLOAD_OFF;
  return value;
}

/** Whether the telemetry already reports the value; a press never is. */
export function isReported(value: ControlValue, reported: unknown): boolean {
  if (value === null || reported === undefined || reported === null) return false;
  return stateForm(value) === reported;
}
