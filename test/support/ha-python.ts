// Python value model used to render templates the way HA's Jinja does. JSON ints stay bigint
// and JSON floats stay number because Python keeps them apart: `{"a": 1.0}` renders `1.0`,
// `{"a": 1}` renders `1`, and JS's JSON.parse would turn both into 1.

export type PyValue = null | boolean | bigint | number | string | PyValue[] | PyDict;
export type PyDict = Map<string, PyValue>;

/**
 * HA's `json_loads` (orjson, strict RFC 8259: no NaN/Infinity) as Python sees the result,
 * keeping int and float apart.
 */
export function parsePyJson(text: string): PyValue {
  let pos = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`invalid JSON at ${pos}: ${what}`);
  };
  const skip = (): void => {
    while (pos < text.length && ' \t\n\r'.includes(text[pos])) pos += 1;
  };
  const take = (literal: string): boolean => {
    if (!text.startsWith(literal, pos)) return false;
    pos += literal.length;
    return true;
  };
  const parseString = (): string => {
    // Reuse JSON.parse for escapes once the closing quote is found; control chars are
    // rejected by it exactly as by Python's strict mode.
    const start = pos;
    pos += 1;
    while (pos < text.length && text[pos] !== '"') pos += text[pos] === '\\' ? 2 : 1;
    if (pos >= text.length) fail('unterminated string');
    pos += 1;
    return JSON.parse(text.slice(start, pos)) as string;
  };
  const parseValue = (): PyValue => {
    skip();
    const c = text[pos];
    if (c === '"') return parseString();
    if (c === '{') {
      pos += 1;
      const dict: PyDict = new Map();
      skip();
      if (take('}')) return dict;
      for (;;) {
        skip();
        if (text[pos] !== '"') fail('expected key');
        const key = parseString();
        skip();
        if (!take(':')) fail('expected ":"');
        dict.set(key, parseValue());
        skip();
        if (take('}')) return dict;
        if (!take(',')) fail('expected "," or "}"');
      }
    }
    if (c === '[') {
      pos += 1;
      const list: PyValue[] = [];
      skip();
      if (take(']')) return list;
      for (;;) {
        list.push(parseValue());
        skip();
        if (take(']')) return list;
        if (!take(',')) fail('expected "," or "]"');
      }
    }
    if (take('true')) return true;
    if (take('false')) return false;
    if (take('null')) return null;
    const m = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(pos));
    if (!m) return fail('unexpected character');
    pos += m[0].length;
    return m[1] === undefined && m[2] === undefined ? BigInt(m[0]) : Number(m[0]);
  };
  const value = parseValue();
  skip();
  if (pos !== text.length) fail('extra data');
  return value;
}

const DIGITS = '\\d(?:_?\\d)*';
const PY_FLOAT = new RegExp(
  `^[+-]?(?:(?:${DIGITS})?\\.${DIGITS}(?:e[+-]?${DIGITS})?|${DIGITS}\\.?(?:e[+-]?${DIGITS})?|inf(?:inity)?|nan)$`,
  'i',
);
const PY_INT = new RegExp(`^[+-]?${DIGITS}$`);

/** Python `float(str)`: surrounding whitespace, `_` separators, inf/nan. */
export function parsePyFloat(text: string): number | undefined {
  const s = text.trim();
  if (!PY_FLOAT.test(s)) return undefined;
  const lower = s.toLowerCase().replace(/_/g, '');
  const sign = lower.startsWith('-') ? -1 : 1;
  if (lower.includes('nan')) return NaN;
  if (lower.includes('inf')) return sign * Infinity;
  return Number(lower);
}

/** Python `int(str)` in base 10. */
export function parsePyInt(text: string): bigint | undefined {
  const s = text.trim();
  return PY_INT.test(s) ? BigInt(s.replace(/_/g, '')) : undefined;
}

/** Python `float(x)`; undefined where Python raises ValueError/TypeError. */
export function toPyFloat(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') return parsePyFloat(value);
  return undefined;
}

/** Python `int(x)` (truncating floats); undefined where Python raises. */
export function toPyInt(value: unknown): bigint | undefined {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'boolean') return value ? 1n : 0n;
  if (typeof value === 'number')
    return Number.isFinite(value) ? BigInt(Math.trunc(value)) : undefined;
  if (typeof value === 'string') return parsePyInt(value);
  return undefined;
}

/** The exact decimal value of a finite double as digits / 10^scale (every double has one). */
function exactDecimal(x: number): { digits: bigint; scale: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const mantissa = biased === 0 ? fraction : fraction | (1n << 52n);
  const exponent = (biased === 0 ? 1 : biased) - 1075;
  if (exponent >= 0) return { digits: mantissa << BigInt(exponent), scale: 0 };
  return { digits: mantissa * 5n ** BigInt(-exponent), scale: -exponent };
}

/**
 * Python `round(x, n)`: rounds the exact binary value half-to-even, so `round(2.675, 2)` is
 * 2.67 and `round(0.125, 2)` is 0.12, unlike `toFixed`.
 */
export function pyRound(x: number, ndigits: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const { digits, scale } = exactDecimal(x);
  if (ndigits >= scale) return x;
  const divisor = 10n ** BigInt(scale - ndigits);
  let q = digits / divisor;
  const twice = (digits % divisor) * 2n;
  if (twice > divisor || (twice === divisor && q % 2n === 1n)) q += 1n;
  return Math.sign(x) * Number(`${q}e${-ndigits}`);
}

/** Python `repr(float)`: shortest round-trip digits, fixed notation for 1e-4 <= |x| < 1e16. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const [mantissa, exp] = Math.abs(x).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const e = Number(exp);
  if (e < -4 || e >= 16) {
    const frac = digits.length > 1 ? `.${digits.slice(1)}` : '';
    return `${sign}${digits[0]}${frac}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  if (e < 0) return `${sign}0.${'0'.repeat(-e - 1)}${digits}`;
  const whole = digits.padEnd(e + 1, '0');
  return `${sign}${whole.slice(0, e + 1)}.${whole.slice(e + 1) || '0'}`;
}

/** Python `repr(str)`: single quotes unless the text has ' but no ". */
function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    if (ch === '\\' || ch === quote) out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch !== ' ' && /[\p{C}\p{Z}]/u.test(ch)) {
      // Python escapes what str.isprintable() rejects: categories C* and Z* except space.
      const hex = cp.toString(16);
      out +=
        cp < 0x100
          ? `\\x${hex.padStart(2, '0')}`
          : cp < 0x10000
            ? `\\u${hex.padStart(4, '0')}`
            : `\\U${hex.padStart(8, '0')}`;
    } else out += ch;
  }
  return quote + out + quote;
}

/** Python `repr()`, used for items inside containers. */
export function pyRepr(value: PyValue): string {
  return typeof value === 'string' ? pyStrRepr(value) : pyStr(value);
}

/** Python `str()`, which is what `{{ expr }}` outputs. */
export function pyStr(value: PyValue): string {
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return pyFloatRepr(value);
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  return `{${[...value].map(([k, v]) => `${pyStrRepr(k)}: ${pyRepr(v)}`).join(', ')}}`;
}

/** Python truthiness, for `default(x, true)`. */
export function pyTruthy(value: PyValue): boolean {
  if (value === null || value === false || value === 0 || value === 0n || value === '')
    return false;
  if (Array.isArray(value)) return value.length > 0;
  if (value instanceof Map) return value.size > 0;
  return true; // NaN is truthy in Python
}

const JSON_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

function jsonString(s: string): string {
  // json.dumps default ensure_ascii=True: everything outside ASCII becomes \uXXXX.
  let out = '"';
  for (let i = 0; i < s.length; i += 1) {
    const ch = s[i];
    const code = s.charCodeAt(i);
    if (JSON_ESCAPES[ch] !== undefined) out += JSON_ESCAPES[ch];
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

function pyJsonDumps(value: PyValue): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
    return pyFloatRepr(value);
  }
  if (typeof value === 'string') return jsonString(value);
  if (Array.isArray(value)) return `[${value.map(pyJsonDumps).join(', ')}]`;
  // sort_keys=True compares code points; UTF-16 order only differs for astral characters.
  const keys = [...value.keys()].sort();
  return `{${keys.map((k) => `${jsonString(k)}: ${pyJsonDumps(value.get(k) as PyValue)}`).join(', ')}}`;
}

/** Jinja's `tojson` filter: `json.dumps(sort_keys=True)` then HTML-safe escapes. */
export function jinjaToJson(value: PyValue): string {
  return pyJsonDumps(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/'/g, '\\u0027');
}
