// Gateway ids, inverter serials and charge point ids become parts of MQTT topics and of
// Home Assistant unique ids, where only [A-Za-z0-9_-] is legal. The encoding keeps the
// common case readable and is injective, so two different serials never share an id:
// letters, digits and '_' stay; '-' becomes '--'; every other UTF-8 byte becomes '-' and
// two hex digits; the empty string becomes a lone '-', which nothing else encodes to.

const KEPT = /[A-Za-z0-9_]/;

export function encodeId(raw: string): string {
  return remembered(encoded, raw, encodeAnew);
}

function encodeAnew(raw: string): string {
  if (raw === '') return '-';
  let out = '';
  for (const char of raw) {
    if (KEPT.test(char)) out += char;
    else if (char === '-') out += '--';
    else
      for (const byte of Buffer.from(char, 'utf8')) out += '-' + byte.toString(16).padStart(2, '0');
  }
  return out;
}

/**
 * The id an encoded topic level stands for, or undefined when the level is not what
 * encodeId makes of any id (a level typed by hand, say): a result about it then goes to
 * that text's own encoding, never to a raw level.
 */
export function decodeId(level: string): string | undefined {
  if (level === '-') return '';
  const bytes: number[] = [];
  for (let i = 0; i < level.length; i++) {
    const char = level[i] ?? '';
    if (char !== '-') {
      bytes.push(...Buffer.from(char, 'utf8'));
      continue;
    }
    if (level[i + 1] === '-') {
      bytes.push(0x2d);
      i += 1;
      continue;
    }
    const hex = level.slice(i + 1, i + 3);
    if (!/^[0-9a-f]{2}$/.test(hex)) return undefined;
    bytes.push(parseInt(hex, 16));
    i += 2;
  }
  let raw: string;
  try {
    raw = new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
  } catch {
    return undefined;
  }
  return encodeId(raw) === level ? raw : undefined;
}

/** A lower-case slug for default_entity_id; collisions only cost a "_2" suffix there. */
export function slug(raw: string): string {
  return remembered(slugs, raw, slugAnew);
}

function slugAnew(raw: string): string {
  const text = raw
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return text === '' ? 'unnamed' : text;
}

// Every message names the same few ids again: each is worked out once. The memory is
// bounded (a flood of new ids empties it), so hostile ids cannot grow it without end.
const MEMO_LIMIT = 200_000;
const encoded = new Map<string, string>();
const slugs = new Map<string, string>();

function remembered(memo: Map<string, string>, raw: string, work: (raw: string) => string): string {
  const known = memo.get(raw);
  if (known !== undefined) return known;
  const made = work(raw);
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(raw, made);
  return made;
}
