// What the bridge remembers of what it published or worked out: a 53-bit digest instead
// of the payload itself, so the memory of ten thousand gateways' states and configs stays small.
// Two different payloads share a digest about once in 2^53 comparisons; the cost of that
// would be one change held back until the heartbeat or Home Assistant's next start.
//
// A state's digest is taken from the state object itself, the way JSON.stringify would
// write it, so that an unchanged state is known without writing it out: most states of
// a busy bridge do not change, and turning their hundred numbers into text was the
// largest part of handling a message. stateHash(JSON.parse(JSON.stringify(x))) equals
// stateHash(x), so a state read back from the broker compares with one made here.

const float = new Float64Array(1);
// Signed, so each word is a small integer to V8 and taking it in makes no garbage.
const words = new Int32Array(float.buffer);

/** A digest being built: two 32-bit lanes mixed differently, as in cyrb53. */
class Digest {
  a = 0xdeadbeef;
  b = 0x41c6ce57;

  add(word: number): void {
    this.a = Math.imul(this.a ^ word, 2654435761);
    this.b = Math.imul(this.b ^ word, 1597334677);
  }

  /** A text, its end marked: "ab" then "c" differs from "a" then "bc". */
  text(value: string): void {
    for (let i = 0; i < value.length; i++) this.add(value.charCodeAt(i));
    this.add(0x110000 + value.length);
  }

  value(): number {
    let { a, b } = this;
    a = Math.imul(a ^ (a >>> 16), 2246822507) ^ Math.imul(b ^ (b >>> 13), 3266489909);
    b = Math.imul(b ^ (b >>> 16), 2246822507) ^ Math.imul(a ^ (a >>> 13), 3266489909);
    return 4294967296 * (2097151 & b) + (a >>> 0);
  }
}

// Tags that keep values of different kinds apart, above any UTF-16 code unit.
const NULL = 0x120001;
const TRUE = 0x120002;
const FALSE = 0x120003;
const NUMBER = 0x120004;
const TEXT = 0x120005;
const OBJECT = 0x120006;
const ARRAY = 0x120007;
const END = 0x120008;

/** The digest of a text payload (a discovery config, a state read back as text). */
export function payloadHash(payload: string): number {
  const digest = new Digest();
  digest.text(payload);
  return digest.value();
}

/** The digest of a value as JSON.stringify would write it. */
export function stateHash(value: unknown): number {
  const digest = new Digest();
  addValue(digest, value);
  return digest.value();
}

function addValue(digest: Digest, value: unknown): void {
  switch (typeof value) {
    case 'number':
      if (!Number.isFinite(value)) {
        digest.add(NULL);
        return;
      }
      // -0 is written as 0.
      float[0] = value === 0 ? 0 : value;
      digest.add(NUMBER);
      digest.add(words[0] as number);
      digest.add(words[1] as number);
      return;
    case 'string':
      digest.add(TEXT);
      digest.text(value);
      return;
    case 'boolean':
      digest.add(value ? TRUE : FALSE);
      return;
    case 'object':
      if (value === null) digest.add(NULL);
      else if (Array.isArray(value)) addArray(digest, value);
      else addObject(digest, value as Record<string, unknown>);
      return;
    default:
      // undefined, functions and symbols: written as null inside an array.
      digest.add(NULL);
  }
}

function addArray(digest: Digest, items: unknown[]): void {
  digest.add(ARRAY);
  for (const item of items) addValue(digest, item);
  digest.add(END);
}

function addObject(digest: Digest, object: Record<string, unknown>): void {
  if (typeof (object as { toJSON?: unknown }).toJSON === 'function') {
    addValue(digest, (object as { toJSON: () => unknown }).toJSON());
    return;
  }
  digest.add(OBJECT);
  // for…in visits a plain object's own keys in Object.keys order without building a list
  // of them; states are plain objects, with nothing inherited to visit.
  for (const key in object) {
    const item = object[key];
    // JSON.stringify leaves these keys out.
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
    digest.add(keyHash(key));
    addValue(digest, item);
  }
  digest.add(END);
}

/**
 * Keys are the same few hundred names in every state, so each one's digest is worked out
 * once; a bridge fed keys it never saw stops remembering them past a limit.
 */
const keyHashes = new Map<string, number>();
const MAX_KEYS = 4096;

function keyHash(key: string): number {
  let hash = keyHashes.get(key);
  if (hash === undefined) {
    const digest = new Digest();
    digest.text(key);
    hash = digest.value() % 0x100000000;
    if (keyHashes.size < MAX_KEYS) keyHashes.set(key, hash);
  }
  return hash;
}
