// Building a device's discovery configs costs many times more than translating its
// telemetry, and the configs change only when the device does. The signature holds
// everything the configs are made from (the device's identity, block, topics and groups,
// and the few state values a config shows: a number's reported maximum and its value, a
// select's current option), so the bridge rebuilds them only when it changes. It is spelled out
// field by field because it is worked out for every device of every message; a test
// changes each value of the model in turn and checks that every change of a config
// changes the signature, so a field discovery comes to depend on cannot be missed.
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
        // A select shows its current option and a number's range takes in its current value.
        const shown = entity.platform === 'select' || entity.platform === 'number';
        if (shown && entity.value !== undefined) paths[kind].push(entity.value.split('.'));
      }
    }
    pathsByTemplates.set(templates, paths);
  }
  return paths[device];
}

/**
 * Equal signatures, equal configs (for one set of templates and options). `groups`,
 * when given, stands in for the device's own: the groups the unit ever reported.
 */
export function discoverySignature(
  device: HaDevice,
  templates: Templates,
  groups: Iterable<string> | 'all' = device.groups,
): string {
  const block = device.device;
  let signature =
    `${device.template}\u0001${device.id}\u0001${device.gateway}\u0001${device.topic}` +
    `\u0001${device.entityPrefix}\u0001${device.managed}` +
    `\u0001${groups === 'all' ? '\u0003all' : [...groups].join(',')}` +
    `\u0001${device.availabilityTopics.join(',')}\u0001${block.identifiers.join(',')}` +
    `\u0001${block.name}\u0001${block.manufacturer}\u0001${block.model}` +
    `\u0001${block.serial_number}\u0001${part(block.sw_version)}\u0001${part(block.via_device)}`;
  for (const path of discoveryStatePaths(templates, device.template)) {
    signature += `\u0001${part(readPath(device.state, path))}`;
  }
  return signature;
}

/** Text as it is; anything else marked, so null, a missing value and "null" stay apart. */
function part(value: unknown): string {
  return typeof value === 'string' ? value : `\u0002${String(value)}`;
}
