// Noisy readings carry a deadband in the discovery templates. A value that stays within
// the deadband of the value last published is held at that value in the state JSON, so a
// house load wandering by a few watts neither sends a message nor adds a recorder row;
// a move beyond it, or the heartbeat, publishes the value as it is.
import type { TemplateDevice, Templates } from './templates';

export interface Deadband {
  /** The value's path in the device's state JSON, split at the dots. */
  path: string[];
  /** How far the value may move from the last published one and still count as unchanged. */
  band: number;
  /** The value is an ISO time and the band is in seconds. */
  time: boolean;
}

export type Deadbands = Record<TemplateDevice, Deadband[]>;

/** The deadbands of each kind of device, one per state path. */
export function deadbands(templates: Templates): Deadbands {
  const out: Deadbands = { gateway: [], inverter: [], ev_charger: [] };
  for (const device of Object.keys(out) as TemplateDevice[]) {
    for (const entity of templates[device]) {
      if (entity.deadband === undefined || entity.value === undefined) continue;
      const path = entity.value.split('.');
      const time = entity.device_class === 'timestamp';
      const known = out[device].find((d) => d.path.join('.') === entity.value);
      if (known === undefined) out[device].push({ path, band: entity.deadband, time });
      else known.band = Math.min(known.band, entity.deadband);
    }
  }
  return out;
}

/**
 * A held value shows in every entity reading its path, so a path with a deadband must not
 * also be the value of an entity that promises the exact reading (a control's state).
 */
export function deadbandProblems(templates: Templates): string[] {
  const problems: string[] = [];
  for (const [device, entities] of Object.entries(templates)) {
    const banded = new Set(entities.filter((e) => e.deadband !== undefined).map((e) => e.value));
    for (const entity of entities) {
      if (entity.deadband === undefined && banded.has(entity.value)) {
        problems.push(
          `${device}: '${entity.key}' shows '${entity.value}', which another entity holds` +
            ' within a deadband; give it the same deadband or none to both',
        );
      }
    }
  }
  return problems;
}

/** The value at a path into a state, split at the dots; undefined when any step is missing. */
export function readPath(state: Record<string, unknown>, path: string[]): unknown {
  let value: unknown = state;
  for (const part of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function writePath(state: Record<string, unknown>, path: string[], value: unknown): void {
  let parent: unknown = state;
  for (let i = 0; i < path.length - 1; i++) {
    parent = (parent as Record<string, unknown>)[path[i] as string];
  }
  (parent as Record<string, unknown>)[path[path.length - 1] as string] = value;
}

/**
 * Whether a reading moved less than its deadband: a move of the whole band goes out, so a
 * counter that steps by exactly the band (0.01 kWh) is never a step behind. Decimal steps
 * come out of floating point a hair short (3.32 - 3.31 < 0.01), which still counts whole.
 */
function withinBand(value: unknown, last: unknown, deadband: Deadband): boolean {
  if (typeof value === 'number' && typeof last === 'number') {
    return Math.abs(value - last) < deadband.band * WHOLE_BAND;
  }
  if (deadband.time && typeof value === 'string' && typeof last === 'string') {
    const apart = Math.abs(Date.parse(value) - Date.parse(last));
    return apart < deadband.band * 1000;
  }
  return false;
}

/** What of a band a move must reach to count as the whole band, for floating point. */
const WHOLE_BAND = 1 - 1e-9;

/**
 * Writes the last published value into the state wherever the value is within its
 * deadband. Returns what was overwritten, for restoreHeld, or undefined when nothing was.
 */
export function holdWithinBands(
  state: Record<string, unknown>,
  bands: Deadband[],
  published: PublishedValues,
): unknown[] | undefined {
  let overwritten: unknown[] | undefined;
  for (let i = 0; i < bands.length; i++) {
    const deadband = bands[i] as Deadband;
    const value = readPath(state, deadband.path);
    const last = published.at(i);
    if (value === last || !withinBand(value, last, deadband)) continue;
    overwritten ??= new Array<unknown>(bands.length);
    overwritten[i] = value;
    writePath(state, deadband.path, last);
  }
  return overwritten;
}

/** Puts the readings holdWithinBands overwrote back, so the state stays the telemetry's. */
export function restoreHeld(
  state: Record<string, unknown>,
  bands: Deadband[],
  overwritten: unknown[],
): void {
  for (let i = 0; i < bands.length; i++) {
    if (i in overwritten) writePath(state, (bands[i] as Deadband).path, overwritten[i]);
  }
}

/** Marks a place whose value is in the typed array. */
const NUMBER: unique symbol = Symbol('number');

/**
 * The values at a device's deadband paths as last published. Numbers go into a typed
 * array: in an ordinary array each would be a new heap number that lives until the
 * device's next message, which with thousands of gateways every young collection copies.
 */
export class PublishedValues {
  private numbers = new Float64Array(0);
  private readonly others: unknown[] = [];

  at(i: number): unknown {
    const other = this.others[i];
    return other === NUMBER ? this.numbers[i] : other;
  }

  /** Takes the values at the deadband paths, as they are in the state. */
  take(state: Record<string, unknown>, bands: Deadband[]): void {
    if (this.numbers.length !== bands.length) this.numbers = new Float64Array(bands.length);
    this.others.length = bands.length;
    for (let i = 0; i < bands.length; i++) {
      const value = readPath(state, (bands[i] as Deadband).path);
      if (typeof value === 'number') {
        this.numbers[i] = value;
        this.others[i] = NUMBER;
      } else this.others[i] = value;
    }
  }
}
