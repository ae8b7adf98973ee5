// A day's energy counter only rises, no faster than a home's connection allows, and falls
// only when a new day starts. A reading that breaks this is a corrupted sample: a garbled
// register, a gateway that restarted and sent zeros, a copy of an older message. Passed on,
// it would stay in the Energy dashboard's statistics for good: Home Assistant takes a
// total_increasing sensor's fall as a meter reset, so the return to the true reading counts
// the day again, and a leap as energy used. Such a reading is held at the last good one, and
// the message counts as rejected, until the counter shows it really is at the new level (an
// inverter that restarted its count, a clock in another zone): it has moved as a counter does
// from there for CONFIRMING_SECONDS, in CONFIRMING_READINGS readings at least, newer than the
// last good one. A fall that a reset explains passes at once when a local day began since
// the last good reading, or in the first RESET_WINDOW_MINUTES of one; a reading beyond any
// day's never passes. A message without counters, or without one of its units, changes
// nothing of what the next is judged against.
import { DateTime } from 'luxon';
import type { InverterModel, Problem, SiteModel } from './model';

/** Far above what any home's connection carries; a corrupted counter is far beyond it. */
export const MAX_ENERGY_RATE_KW = 100;

/** More than a day at MAX_ENERGY_RATE_KW: never a true reading. */
export const MAX_DAY_KWH = MAX_ENERGY_RATE_KW * 24;

/** Readings in a row, each moving as a counter does from the last, that a new level takes. */
export const CONFIRMING_READINGS = 3;

/** And the least time they span, longer than a gateway takes to restart and read its units. */
export const CONFIRMING_SECONDS = 600;

/** How often a gateway reports: a message without a usable time is taken as this much later. */
export const STATUS_PERIOD_SECONDS = 10;

/** A sample time further than this from the bridge's clock is no time: a clock not yet set. */
const MAX_CLOCK_ERROR_SECONDS = 366 * 24 * 3600;

/**
 * A reading that does not go on from a row of readings continued this recently is an
 * outlier among them, not the start of a new row.
 */
const OUTLIER_SECONDS = 60;

/** A fall in the first this many minutes of a local day is its reset: an inverter's clock
 * may be behind for summer time, and a little more. */
const RESET_WINDOW_MINUTES = 75;

export type EnergyKey = keyof InverterModel['energy'];

/** An inverter's energy counters, in a fixed order. */
export const ENERGY_KEYS = [
  'pv_today_kwh',
  'grid_import_today_kwh',
  'grid_export_today_kwh',
  'battery_charge_today_kwh',
  'battery_discharge_today_kwh',
  'consumption_today_kwh',
] as const satisfies readonly EnergyKey[];

/** What is remembered of one inverter's counters between messages, in ENERGY_KEYS order. */
export class UnitCounters {
  /** The last good reading bridged; NaN before any. */
  readonly good = new Float64Array(ENERGY_KEYS.length).fill(Number.NaN);
  /** Its time in seconds. */
  readonly goodAt = new Float64Array(ENERGY_KEYS.length);
  /** The last reading of the row held back, NaN where none is, and its time. */
  readonly held = new Float64Array(ENERGY_KEYS.length).fill(Number.NaN);
  readonly heldAt = new Float64Array(ENERGY_KEYS.length);
  /** When the row of readings held back began, and how many it has. */
  readonly rowSince = new Float64Array(ENERGY_KEYS.length);
  readonly row = new Uint8Array(ENERGY_KEYS.length);
  /** When the unit was last in a message. */
  seenAt = Number.NaN;

  /** Takes counter `i`'s reading as good; a copy of an older message takes no time back. */
  accept(i: number, reading: number, at: number): void {
    this.good[i] = reading;
    if (!(at <= (this.goodAt[i] as number))) this.goodAt[i] = at;
    this.held[i] = Number.NaN;
    this.row[i] = 0;
  }

  /**
   * A newer reading of counter `i` that no counter could have moved to from the last good
   * one: held back, unless it makes a row of readings that has moved as a counter does for
   * CONFIRMING_SECONDS. One that does not go on from a row continued in the last
   * OUTLIER_SECONDS leaves it as it is.
   */
  confirms(i: number, reading: number, at: number): boolean {
    const last = this.held[i] as number;
    const lastAt = this.heldAt[i] as number;
    if (at > lastAt && counts(last, reading, allowanceKwh(at - lastAt))) {
      this.row[i] = Math.min(255, (this.row[i] as number) + 1);
    } else if (Number.isNaN(last) || at - lastAt > OUTLIER_SECONDS) {
      this.row[i] = 1;
      this.rowSince[i] = at;
    } else return false;
    this.held[i] = reading;
    this.heldAt[i] = at;
    return (
      (this.row[i] as number) >= CONFIRMING_READINGS &&
      at - (this.rowSince[i] as number) >= CONFIRMING_SECONDS
    );
  }
}

/** What judging a message's counters takes of the gateway's messages so far. */
export interface LastCounters {
  /** The latest time of its messages in seconds (see sampleTime), when there was one. */
  seconds: number | undefined;
  /** What is remembered of a unit's counters, made new for a unit not seen before. */
  unit(serial: string): UnitCounters;
}

/**
 * Holds in `next` each inverter's counter reading that no counter could have moved to since
 * its last good reading, noting in `previous` what it took and held back, so that readings
 * that keep confirming a new level pass; says which were held. `nowSeconds` is the bridge's
 * clock.
 */
export function holdCorruptedCounters(
  previous: LastCounters,
  next: SiteModel,
  timezone: string,
  nowSeconds: number,
): Problem[] {
  const to = sampleTime(previous.seconds, next, nowSeconds);
  if (!(to <= (previous.seconds ?? Number.NaN))) previous.seconds = to;
  const problems: Problem[] = [];
  for (const unit of next.inverters) {
    const memory = previous.unit(unit.serial);
    memory.seenAt = to;
    let held: EnergyKey[] | undefined;
    for (let i = 0; i < ENERGY_KEYS.length; i++) {
      const key = ENERGY_KEYS[i] as EnergyKey;
      const now = unit.energy[key];
      // A message without counters changes nothing of what the next is judged against.
      if (now === null) continue;
      const was = memory.good[i] as number;
      if (now <= MAX_DAY_KWH) {
        if (Number.isNaN(was)) {
          memory.accept(i, now, to);
          continue;
        }
        // A copy of an older message is judged as if no time had gone by.
        const since = memory.goodAt[i] as number;
        const newer = to > since;
        const allowance = newer ? allowanceKwh(to - since) : 0;
        const reset = newer && now < was && now <= allowance && dayBegan(since, to, timezone);
        if (counts(was, now, allowance) || reset || (newer && memory.confirms(i, now, to))) {
          memory.accept(i, now, to);
          continue;
        }
      }
      unit.energy[key] = Number.isNaN(was) ? null : was;
      (held ??= []).push(key);
    }
    if (held === undefined) continue;
    problems.push({
      device: `${next.gateway_id}/${unit.serial}`,
      reason:
        `energy ${held.join(', ')} moved as no day's counter can` +
        ` (faster than ${MAX_ENERGY_RATE_KW} kW, or down with no new day):` +
        ' the last good reading is kept until the counter shows it is there',
      skipped: true,
    });
  }
  return problems;
}

/**
 * A message's time for judging its counters: its own sample time, unless it has none or one
 * no set clock gives; then one status period after the last message, or the bridge's clock
 * for the first.
 */
export function sampleTime(
  lastSeconds: number | undefined,
  site: SiteModel,
  nowSeconds: number,
): number {
  const own = sampleSeconds(site);
  if (own !== undefined && Math.abs(own - nowSeconds) <= MAX_CLOCK_ERROR_SECONDS) return own;
  return lastSeconds === undefined ? nowSeconds : lastSeconds + STATUS_PERIOD_SECONDS;
}

/** What a counter can add in `seconds` at most (none back in time). */
function allowanceKwh(seconds: number): number {
  return (MAX_ENERGY_RATE_KW * Math.max(0, seconds)) / 3600;
}

/** Whether a counter can go from `from` to `to` in the time `limitKwh` allows (false from NaN). */
function counts(from: number, to: number, limitKwh: number): boolean {
  return to >= from && to - from <= limitKwh;
}

/**
 * Whether a local day began between two times, or `to` is in the first minutes of one
 * (an inverter whose clock is behind resets then).
 */
function dayBegan(since: number, to: number, timezone: string): boolean {
  const local = DateTime.fromSeconds(to, { zone: timezone });
  if (local.hour * 60 + local.minute < RESET_WINDOW_MINUTES) return true;
  return !local.hasSame(DateTime.fromSeconds(since, { zone: timezone }), 'day');
}

/** A site's sample time in seconds, when it has a usable one. */
function sampleSeconds(site: SiteModel): number | undefined {
  const { timestamp } = site.gateway;
  if (timestamp === null) return undefined;
  const ms = Date.parse(timestamp);
  return Number.isNaN(ms) ? undefined : ms / 1000;
}
