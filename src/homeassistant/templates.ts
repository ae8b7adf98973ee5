// Entity definitions are data: discovery-templates/*.json, checked against
// discovery-templates/schema.json with ajv when they are loaded.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { packagePath } from '../package-root';
import { deadbandProblems } from './deadbands';

export type Platform = 'sensor' | 'binary_sensor' | 'number' | 'select' | 'switch' | 'button';
export type TemplateDevice = 'gateway' | 'inverter' | 'ev_charger';

export interface EntityTemplate {
  key: string;
  platform: Platform;
  name: string;
  value?: string;
  requires?: string;
  when?: 'managed' | 'read_only';
  availability?: 'bridge';
  device_class?: string;
  state_class?: string;
  unit_of_measurement?: string;
  entity_category?: 'config' | 'diagnostic';
  enabled_by_default?: boolean;
  icon?: string;
  suggested_display_precision?: number;
  command?: string;
  min?: number;
  max?: number;
  max_from?: string;
  step?: number;
  mode?: 'auto' | 'box' | 'slider';
  options?: string[];
  options_from?: 'time_of_day_5min';
  /** The part of the command this control sets, e.g. a slot's start or end. */
  argument?: 'start' | 'end';
  /** A state path to an object Home Assistant shows as the entity's attributes. */
  attributes?: string;
  /** A move of the value this small or smaller is no change (seconds for a timestamp). */
  deadband?: number;
}

export type Templates = Record<TemplateDevice, EntityTemplate[]>;

interface TemplateFile {
  device: TemplateDevice;
  entities: EntityTemplate[];
}

export const TEMPLATE_DIR = packagePath('discovery-templates');

/**
 * Loads and checks every template file in a folder. Throws with every problem found:
 * a bad template must stop start-up, not produce configs Home Assistant rejects.
 */
export function loadTemplates(dir: string = TEMPLATE_DIR): Templates {
  const schema = JSON.parse(fs.readFileSync(path.join(dir, 'schema.json'), 'utf8')) as object;
  const validate = new Ajv({ allErrors: true }).compile<TemplateFile>(schema);
  const templates: Templates = { gateway: [], inverter: [], ev_charger: [] };
  const problems: string[] = [];
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'schema.json');
  for (const file of files.sort()) {
    const data: unknown = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    if (!validate(data)) {
      for (const error of validate.errors ?? []) {
        problems.push(`${file}${error.instancePath}: ${error.message ?? 'invalid'}`);
      }
      continue;
    }
    templates[data.device].push(...data.entities);
  }
  problems.push(
    ...duplicateKeys(templates),
    ...sharedNames(templates),
    ...deadbandProblems(templates),
  );
  if (problems.length > 0) {
    throw new Error(`invalid discovery templates in ${dir}:\n  ${problems.join('\n  ')}`);
  }
  return templates;
}

/** A key names one entity of a device kind; two entities with one key would share ids. */
function duplicateKeys(templates: Templates): string[] {
  const problems: string[] = [];
  for (const [device, entities] of Object.entries(templates)) {
    const seen = new Set<string>();
    for (const entity of entities) {
      if (seen.has(entity.key)) problems.push(`${device}: key '${entity.key}' is defined twice`);
      seen.add(entity.key);
    }
  }
  return problems;
}

/**
 * Two entities a device shows at once must not share a name: Home Assistant would list
 * both the same. A read-only unit's sensor and a managed unit's control may, as a unit
 * shows one or the other.
 */
function sharedNames(templates: Templates): string[] {
  const problems: string[] = [];
  for (const [device, entities] of Object.entries(templates)) {
    entities.forEach((entity, i) => {
      const twin = entities.slice(i + 1).find((other) => other.name === entity.name);
      const apart =
        twin?.when !== undefined && entity.when !== undefined && twin.when !== entity.when;
      if (twin !== undefined && !apart) {
        problems.push(
          `${device}: '${entity.key}' and '${twin.key}' are both named '${entity.name}'`,
        );
      }
    });
  }
  return problems;
}
