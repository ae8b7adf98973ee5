// A small evaluator for the value templates a bridge emits, and the state HA derives from a
// state message. Anything outside the supported subset throws instead of guessing, so a test
// never passes on a template this file does not really understand.
import {
  jinjaToJson,
  parsePyFloat,
  parsePyInt,
  parsePyJson,
  pyRound,
  pyStr,
  pyTruthy,
  toPyFloat,
  toPyInt,
  type PyValue,
} from './ha-python';
import { NON_NUMERIC_SENSOR_CLASSES } from './ha-discovery-tables';

const UNDEFINED: unique symbol = Symbol('jinja Undefined');
type Val = PyValue | typeof UNDEFINED;

// Attributes of a Python dict: Jinja's `value_json.items` returns the bound method, not the
// JSON key, so a payload field with one of these names must be read with ['items'].
const DICT_METHODS = new Set(
  'clear copy fromkeys get items keys pop popitem setdefault update values'.split(' '),
);

class Expression {
  private pos = 0;

  constructor(
    private readonly src: string,
    private readonly payload: string,
  ) {}

  evaluate(): Val {
    let value = this.primary();
    while (this.eat('|')) value = this.filter(value);
    this.space();
    if (this.pos !== this.src.length) this.fail('unexpected text');
    return value;
  }

  private fail(why: string): never {
    throw new Error(`template '{{${this.src}}}': ${why} at ${this.pos}`);
  }

  private space(): void {
    while (/\s/.test(this.src[this.pos] ?? '')) this.pos += 1;
  }

  private eat(token: string): boolean {
    this.space();
    if (!this.src.startsWith(token, this.pos)) return false;
    this.pos += token.length;
    return true;
  }

  private match(re: RegExp): string | undefined {
    this.space();
    const m = re.exec(this.src.slice(this.pos));
    if (!m) return undefined;
    this.pos += m[0].length;
    return m[0];
  }

  private literal(): PyValue | undefined {
    const str = this.match(/^(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")/);
    if (str !== undefined) return str.slice(1, -1).replace(/\\(.)/g, '$1');
    const num = this.match(/^-?\d+(\.\d+)?(e[+-]?\d+)?/i);
    if (num !== undefined) return /[.e]/i.test(num) ? Number(num) : BigInt(num);
    const word = this.match(/^(?:None|none|True|true|False|false)\b/);
    if (word !== undefined)
      return word.toLowerCase() === 'none' ? null : word.toLowerCase() === 'true';
    return undefined;
  }

  private primary(): Val {
    const lit = this.literal();
    if (lit !== undefined) return lit;
    const name = this.match(/^[A-Za-z_]\w*/);
    if (name === 'value') return this.accessors(this.payload);
    if (name === 'value_json') {
      let json: Val = UNDEFINED; // HA leaves value_json undefined when the payload is not JSON
      try {
        json = parsePyJson(this.payload);
      } catch {
        // keep UNDEFINED
      }
      return this.accessors(json);
    }
    return this.fail(`unsupported expression${name ? ` '${name}'` : ''}`);
  }

  private accessors(start: Val): Val {
    let value = start;
    for (;;) {
      let key: PyValue;
      if (this.eat('.')) {
        const name = this.match(/^\w+/) ?? this.fail('expected attribute');
        if (value instanceof Map && DICT_METHODS.has(name))
          this.fail(`'.${name}' is a dict method`);
        key = /^\d+$/.test(name) ? BigInt(name) : name;
      } else if (this.eat('[')) {
        key = this.literal() ?? this.fail('expected literal subscript');
        if (!this.eat(']')) this.fail("expected ']'");
      } else return value;
      // Jinja raises as soon as an attribute of Undefined is read, even with `| default`.
      if (value === UNDEFINED) this.fail(`cannot read ${pyStr(key)} of an undefined value`);
      value = lookup(value, key);
    }
  }

  private filter(input: Val): Val {
    const name = this.match(/^\w+/) ?? this.fail('expected filter name');
    const args: PyValue[] = [];
    if (this.eat('(') && !this.eat(')')) {
      do args.push(this.literal() ?? this.fail('expected literal argument'));
      while (this.eat(','));
      if (!this.eat(')')) this.fail("expected ')'");
    }
    if (name === 'default' || name === 'd') {
      const useDefault = input === UNDEFINED || (args[1] === true && !pyTruthy(input));
      return useDefault ? (args[0] ?? '') : input;
    }
    if (input === UNDEFINED) this.fail(`'${name}' applied to an undefined value`);
    const value: PyValue = input;
    // HA's forgiving filters: a positional default replaces an unconvertible input, and
    // without one the render fails.
    const orDefault = (result: PyValue | undefined, fallback: PyValue | undefined): PyValue =>
      result ?? fallback ?? this.fail(`'${name}' got invalid input ${pyStr(value)}`);
    switch (name) {
      case 'int': {
        // jinja do_int: int(x), then int(float(x)) so "42.7" | int is 42.
        const direct = typeof value === 'string' ? parsePyInt(value) : toPyInt(value);
        return orDefault(direct ?? toPyInt(toPyFloat(value)), args[0]);
      }
      case 'float':
        return orDefault(toPyFloat(value), args[0]);
      case 'round':
        return orDefault(haRound(value, args[0] ?? 0n, args[1] ?? 'common'), args[2]);
      case 'tojson':
        if (args.length > 0) this.fail('tojson arguments are not supported');
        return jinjaToJson(value);
      default:
        return this.fail(`unsupported filter '${name}'`);
    }
  }
}

function lookup(value: PyValue, key: PyValue): Val {
  if (value instanceof Map)
    return typeof key === 'string' && value.has(key) ? (value.get(key) as PyValue) : UNDEFINED;
  if ((Array.isArray(value) || typeof value === 'string') && typeof key === 'bigint') {
    const index = Number(key < 0n ? BigInt(value.length) + key : key);
    return index >= 0 && index < value.length ? value[index] : UNDEFINED;
  }
  return UNDEFINED;
}

/** HA's `forgiving_round`: float(value), Python rounding, an int when precision is 0. */
function haRound(value: PyValue, precision: PyValue, method: PyValue): PyValue | undefined {
  const x = toPyFloat(value);
  if (x === undefined || typeof precision !== 'bigint') return undefined;
  const n = Number(precision);
  const scale = 10 ** n;
  let rounded: number;
  if (method === 'ceil') rounded = Math.ceil(x * scale) / scale;
  else if (method === 'floor') rounded = Math.floor(x * scale) / scale;
  else if (method === 'half') rounded = pyRound(x * 2, 0) / 2;
  else rounded = pyRound(x, n);
  if (n !== 0) return rounded;
  return Number.isFinite(rounded) ? BigInt(Math.trunc(rounded)) : undefined;
}

/**
 * Renders an MQTT value template as HA does for a state message (`value` = payload,
 * `value_json` = parsed payload, output through Python `str()` and stripped). Without a
 * template the payload is used unchanged. Undefined results (missing keys) throw.
 */
export function renderValueTemplate(template: string | undefined, payload: string): string {
  if (template === undefined) return payload;
  if (/\{%|\{#/.test(template)) throw new Error(`template '${template}': statements unsupported`);
  const rendered = template.replace(/\{\{([\s\S]*?)\}\}/g, (_all, src: string) => {
    const value = new Expression(src, payload).evaluate();
    if (value === UNDEFINED) throw new Error(`template '${template}': result is undefined`);
    return pyStr(value);
  });
  return rendered.trim();
}

function text(config: Record<string, unknown>, key: string, fallback: string): string {
  const v = config[key];
  return v === undefined || v === null ? fallback : String(v);
}

function template(config: Record<string, unknown>): string | undefined {
  const v = config.value_template;
  return typeof v === 'string' ? v : undefined;
}

/** Python `float()` of a config number with a default (min/max are vol.Coerce(float)). */
function configFloat(config: Record<string, unknown>, key: string, fallback: number): number {
  const v = config[key];
  return v === undefined ? fallback : (toPyFloat(v) ?? NaN);
}

/** ISO 8601 as `dt_util.parse_datetime` accepts it; the time part is optional. */
const ISO_DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

function sensorState(config: Record<string, unknown>, payload: string): string {
  const state = renderValueTemplate(template(config), payload);
  if (state === 'None') return 'unknown';
  const deviceClass =
    typeof config.device_class === 'string' ? config.device_class.toLowerCase() : undefined;
  const numeric =
    !NON_NUMERIC_SENSOR_CLASSES.has(deviceClass ?? '') &&
    [
      config.state_class,
      config.unit_of_measurement,
      config.suggested_display_precision,
      deviceClass,
    ].some((v) => v !== undefined && v !== null);
  if (numeric) {
    if (state === '') throw new Error('empty state is ignored for a numeric sensor');
    // Core sensor: int() when there is no '.' or 'e', else float(); inf/nan are refused here.
    const isInt = !/[.e]/.test(state) && parsePyInt(state) !== undefined;
    const asFloat = parsePyFloat(state);
    if (!isInt && (asFloat === undefined || !Number.isFinite(asFloat))) {
      throw new Error(`numeric sensor got the non-numeric value '${state}'`);
    }
    return state;
  }
  const options = config.options;
  if (Array.isArray(options) && options.length > 0 && !options.map(String).includes(state)) {
    throw new Error(`'${state}' is not one of the options ${options.join(', ')}`);
  }
  if (deviceClass === undefined || deviceClass === 'enum') {
    if (state.length > 255) throw new Error('state longer than 255 characters is ignored');
    return state;
  }
  const m = ISO_DATETIME.exec(state);
  if (!m) throw new Error(`'${state}' is not an ISO 8601 ${deviceClass}`);
  if (deviceClass === 'date') return `${m[1]}-${m[2]}-${m[3]}`;
  if (m[7] === undefined) throw new Error(`timestamp '${state}' has no timezone`);
  const [h, min, s] = [m[4], m[5], m[6]].map((part) => Number(part ?? 0));
  const offset = m[7].toUpperCase() === 'Z' ? 0 : offsetMinutes(m[7]);
  const utc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), h, min - offset, s);
  // HA stores timestamps as UTC isoformat(timespec="seconds").
  return `${new Date(utc).toISOString().slice(0, 19)}+00:00`;
}

function offsetMinutes(tz: string): number {
  const digits = tz.slice(1).replace(':', '');
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0);
  return tz.startsWith('-') ? -minutes : minutes;
}

function numberState(config: Record<string, unknown>, payload: string): string {
  const state = renderValueTemplate(template(config), payload);
  if (state.trim() === '') throw new Error('empty state is ignored');
  if (state === text(config, 'payload_reset', 'None')) return 'unknown';
  // HA: int() for str.isnumeric() payloads, float() otherwise; shown through str().
  const value: bigint | number | undefined = /^\d+$/.test(state)
    ? BigInt(state)
    : parsePyFloat(state);
  if (value === undefined) throw new Error(`payload '${state}' is not a number`);
  const [min, max] = [configFloat(config, 'min', 0), configFloat(config, 'max', 100)];
  if (Number(value) < min || Number(value) > max) {
    throw new Error(`value ${pyStr(value)} is outside the range ${min} - ${max}`);
  }
  return pyStr(value);
}

/**
 * The state HA shows after `payload` arrives on the state topic of an entity whose expanded
 * config is `config`. The platform comes from `platform`, else from `config.platform`
 * (device-discovery components carry it). Throws where HA would ignore or fail the message.
 */
export function entityStateFromMessage(
  config: Record<string, unknown>,
  payload: string,
  platform: string | undefined = typeof config.platform === 'string' ? config.platform : undefined,
): string {
  switch (platform) {
    case 'sensor':
      return sensorState(config, payload);
    case 'binary_sensor': {
      const state = renderValueTemplate(template(config), payload);
      if (state.trim() === '') throw new Error('empty state is ignored');
      if (state === text(config, 'payload_on', 'ON')) return 'on';
      if (state === text(config, 'payload_off', 'OFF')) return 'off';
      if (state === 'None') return 'unknown';
      throw new Error(`no matching payload for '${state}'`);
    }
    case 'switch': {
      const state = renderValueTemplate(template(config), payload);
      const on = text(config, 'state_on', text(config, 'payload_on', 'ON'));
      const off = text(config, 'state_off', text(config, 'payload_off', 'OFF'));
      if (state === on) return 'on';
      if (state === off) return 'off';
      if (state === 'None') return 'unknown';
      throw new Error(`'${state}' matches neither state_on '${on}' nor state_off '${off}'`);
    }
    case 'select': {
      const state = renderValueTemplate(template(config), payload);
      if (state.trim() === '') throw new Error('empty state is ignored');
      if (state.toLowerCase() === 'none') return 'unknown';
      const options = Array.isArray(config.options) ? config.options.map(String) : [];
      if (!options.includes(state)) throw new Error(`'${state}' is not one of the options`);
      return state;
    }
    case 'number':
      return numberState(config, payload);
    case 'text': {
      const state = renderValueTemplate(template(config), payload);
      if (state.length > 255) throw new Error('state longer than 255 characters is ignored');
      return state === 'None' ? 'unknown' : state;
    }
    default:
      throw new Error(`no state model for platform '${String(platform)}'`);
  }
}
