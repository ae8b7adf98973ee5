// Building a device's discovery configs costs many times more than translating its
// telemetry, and the configs change only when the device does. The signature holds
// everything the configs are made from (the device's identity, block, topics and groups,
// and the few state values a config shows: a number's reported maximum and its value, a
// select's current option), so the bridge rebuilds them only when it changes. It is a
// flat list of the values themselves, spelled out field by field and compared value by
// value, because it is worked out for every device of every message and joining or
// digesting its texts cost more than the comparison; a test changes each value of the
// model in turn and checks that every change of a config changes the signature, so a
// field discovery comes to depend on cannot be missed.
import { readPath } from './deadbands';
import type { HaDevice } from './devices';
import type { TemplateDevice, Templates } from './templates';

const pathsByTemplates = new WeakMap<Templates, Record<TemplateDevice, string[][]>>();

/** The state paths a device's discovery configs read, split at the dots. */
function discoveryStatePaths(templates: Templates, device: TemplateDevice): string[][] {
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

/** What a device's configs are made from, in a fixed order. */
export type DiscoverySignature = unknown[];

/** A device's groups: its own, the groups its unit ever reported, or every group. */
type Groups = readonly string[] | ReadonlySet<string> | 'all';

/**
 * Equal signatures, equal configs (for one set of templates and options). `groups`,
 * when given, stands in for the device's own: the groups the unit ever reported.
 */
export function discoverySignature(
  device: HaDevice,
  templates: Templates,
  groups: Groups = device.groups,
): DiscoverySignature {
  const signature: unknown[] = [];
  writeSignature(signature, device, templates, groups);
  return signature;
}

/**
 * Whether the device's signature is still the one kept, found value by value as it is
 * worked out, without building a new one: for most messages it is.
 */
export function hasSignature(
  kept: DiscoverySignature,
  device: HaDevice,
  templates: Templates,
  groups: Groups = device.groups,
): boolean {
  const check = new SignatureCheck(kept);
  writeSignature(check, device, templates, groups);
  return check.same && check.at === kept.length;
}

/** Where a signature's values go: a list being built, or a check against a kept one. */
interface SignatureSink {
  push(value: unknown): unknown;
}

class SignatureCheck implements SignatureSink {
  at = 0;
  same = true;

  constructor(private readonly kept: DiscoverySignature) {}

  push(value: unknown): void {
    if (this.same && !Object.is(this.kept[this.at], value)) this.same = false;
    this.at += 1;
  }
}

function writeSignature(
  signature: SignatureSink,
  device: HaDevice,
  templates: Templates,
  groups: Groups,
): void {
  const block = device.device;
  signature.push(device.template);
  signature.push(device.id);
  signature.push(device.gateway);
  signature.push(device.topic);
  signature.push(device.entityPrefix);
  signature.push(device.managed);
  signature.push(block.name);
  signature.push(block.manufacturer);
  signature.push(block.model);
  signature.push(block.serial_number);
  signature.push(block.sw_version);
  signature.push(block.via_device);
  // Each list ends in its length, so items cannot move from one list to the next unseen.
  if (groups === 'all') signature.push(ALL_GROUPS);
  else list(signature, groups);
  list(signature, device.availabilityTopics);
  list(signature, block.identifiers);
  for (const path of discoveryStatePaths(templates, device.template)) {
    signature.push(readPath(device.state, path));
  }
}

/** Stands for every group, apart from any list of them. */
const ALL_GROUPS = Symbol('all groups');

function list(signature: SignatureSink, items: readonly string[] | ReadonlySet<string>): void {
  // Lists and sets each take a loop of their own, which V8 runs without making an
  // iterator result per item.
  if ('size' in items) {
    for (const item of items) signature.push(item);
    signature.push(items.size);
  } else {
    for (let i = 0; i < items.length; i++) signature.push(items[i]);
    signature.push(items.length);
  }
}
