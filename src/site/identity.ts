// Gateway ids, inverter serials and charge point ids become parts of MQTT topics and of
// Home Assistant unique ids, where only [A-Za-z0-9_-] is legal. The encoding keeps the
// common case readable and is injective, so two different serials never share an id:
// letters, digits and '_' stay; '-' becomes '--'; every other UTF-8 byte becomes '-' and
// two hex digits; the empty string becomes a lone '-', which nothing else encodes to.

const KEPT = /[A-Za-z0-9_]/;

export function encodeId(raw: string): string {
  if (raw === '') return '-';
  let out = '';
  for (const char of raw) {
    if (KEPT.test(char)) out += char;
    else if (char === '-') out += '--';
    else for (const byte of Buffer.from(char, 'utf8')) out += '-' + byte.toString(16).padStart(2, '0');
  }
  return out;
}

/** A lower-case slug for default_entity_id; collisions only cost a "_2" suffix there. */
export function slug(raw: string): string {
  const text = raw
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return text === '' ? 'unnamed' : text;
}
