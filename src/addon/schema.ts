// The add-on's options and schema (config.yaml) as the option table gives them, and the
// reading of the Supervisor's schema types back into JSON Schema, so the two can be checked
// against each other. `node dist/src/addon/schema.js` prints the YAML to paste.
import YAML from 'yaml';
import { OPTION_TABLE, type OptionSpec, TOPIC_PATTERN } from '../bridge/option-table';
import { ADDON_SUPPLIED } from './start';

/**
 * Options whose default is the machine's own: in the add-on they are left empty, so the
 * bridge takes it from the container, where the Supervisor sets Home Assistant's (TZ).
 */
export const MACHINE_DEFAULTS = new Set(['timezone']);

/**
 * The Supervisor's type for one option: str, password, bool, int(min,max), list(a|b), or
 * match(regex) for a topic, so the add-on's Configuration tab refuses what the bridge would.
 */
function addonType(spec: OptionSpec): string {
  const optional = spec.default === undefined || MACHINE_DEFAULTS.has(spec.name) ? '?' : '';
  switch (spec.type) {
    case 'integer':
      return `int(${spec.min ?? ''},${spec.max ?? ''})${optional}`;
    case 'boolean':
      return `bool${optional}`;
    case 'enum':
      return `list(${(spec.choices ?? []).join('|')})${optional}`;
    case 'password':
      return `password${optional}`;
    case 'topic':
      return `match(${TOPIC_PATTERN})${optional}`;
    default:
      return `str${optional}`;
  }
}

/** What config.yaml's options and schema should hold. */
export function addonOptionsAndSchema(): {
  options: Record<string, unknown>;
  schema: Record<string, string>;
} {
  const options: Record<string, unknown> = {};
  const schema: Record<string, string> = {};
  for (const spec of OPTION_TABLE) {
    if (spec.name in ADDON_SUPPLIED) continue;
    // An option without a default stays out of options, so the add-on treats it as optional.
    if (spec.default !== undefined && !MACHINE_DEFAULTS.has(spec.name)) {
      options[spec.name] = spec.default;
    }
    schema[spec.name] = addonType(spec);
  }
  return { options, schema };
}

/** A Supervisor schema type as JSON Schema, the way config.ts's configSchema() writes it. */
export function jsonSchemaOfAddonType(type: string): Record<string, unknown> {
  const bare = type.replace(/\?$/, '');
  const int = /^int\((-?\d*),(-?\d*)\)$/.exec(bare);
  if (int) {
    return {
      type: 'integer',
      minimum: int[1] === '' ? undefined : Number(int[1]),
      maximum: int[2] === '' ? undefined : Number(int[2]),
    };
  }
  const match = /^match\((.*)\)$/.exec(bare);
  if (match) return { type: 'string', pattern: match[1] };
  const list = /^list\((.*)\)$/.exec(bare);
  if (list) return { enum: (list[1] ?? '').split('|') };
  if (bare === 'bool') return { type: 'boolean' };
  if (bare === 'str' || bare === 'password' || bare === 'url') return { type: 'string' };
  throw new Error(`unexpected add-on schema type '${type}'`);
}

if (require.main === module) {
  process.stdout.write(YAML.stringify(addonOptionsAndSchema()));
}
