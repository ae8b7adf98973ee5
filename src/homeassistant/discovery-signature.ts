// Building a device's discovery configs costs many times more than translating its
// telemetry, and the configs change only when the device does. The signature holds
// everything the configs are made from (the device without its state, and the few state
// values a config shows: a number's reported maximum, a select's current option), so the
// bridge rebuilds them only when it changes.
import { readPath } from './deadbands';
import type { HaDevice } from './devices';
import type { TemplateDevice, Templates } from './templates';

const pathsByTemplates = new WeakMap<Templates, Record<TemplateDevice, string[][]>>();

/** The state paths a device's discovery configs read, split at the dots. */
export function discoveryStatePaths(templates: Templates, device: TemplateDevice): string[][] {
  let paths = pathsByTemplates.get(templates);
  if (paths === undefined) {
    paths = { gateway: [], inverter: [], ev_charger: [] };
    for (const kind of Object.keys(paths) as TemplateDevice[]) {
      for (const entity of templates[kind]) {
        if (entity.max_from !== undefined) paths[kind].push(entity.max_from.split('.'));
        if (entity.platform === 'select' && entity.value !== undefined) {
          paths[kind].push(entity.value.split('.'));
        }
      }
    }
    pathsByTemplates.set(templates, paths);
  }
  return paths[device];
}

/** Equal signatures, equal configs (for one set of templates and options). */
export function discoverySignature(device: HaDevice, templates: Templates): string {
  const parts: string[] = [];
  // Every field of the device but its state, nested one level (the device block), so a
  // field added to HaDevice is part of the signature without a change here.
  for (const key in device) {
    if (key === 'state' || key === 'subStates') continue;
    const value = device[key as keyof HaDevice];
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const inner in value) {
        parts.push(inner, part((value as Record<string, unknown>)[inner]));
      }
    } else {
      parts.push(key, part(value));
    }
  }
  for (const path of discoveryStatePaths(templates, device.template)) {
    parts.push(part(readPath(device.state, path)));
  }
  // A separator no id or value holds keeps the parts apart.
  return parts.join('\u0001');
}

/** Text stays as it is (the common case, and cheap); anything else as JSON, so null, an
 * empty text and a missing value stay apart. */
function part(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? 'undefined');
}
