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
