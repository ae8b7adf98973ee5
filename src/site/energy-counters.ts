// A day's energy counter only rises, no faster than a home's connection allows, and falls
// only when a new day starts. A reading that breaks this is a corrupted sample: a garbled
// register, a gateway that restarted and sent zeros, a copy of an older message. Passed on,
// it would stay in the Energy dashboard's statistics for good: Home Assistant takes a
// total_increasing sensor's fall as a meter reset, so the return to the true reading counts
// the day again, and a leap as energy used. Such a reading is held at the last good one, and
// the message counts as rejected, until the counter shows it really is at the new level (an
// inverter that restarted its count, a clock in another zone): CONFIRMING_READINGS readings
// in a row over CONFIRMING_SECONDS at least, each moving as a counter does from the one
// before. A fall near local midnight that a reset explains passes at once; a reading beyond
// any day's never passes. A message without counters, or without a unit, changes nothing
// of what the next is judged against.
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

/** How often a gateway reports: a message without a sample time is taken as this much later. */
export const STATUS_PERIOD_SECONDS = 10;

/**
 * A fall this near local midnight, either side, is the day's reset: an inverter's clock may
 * be an hour out for summer time, and a little more.
 */
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
  /** Its sample time in seconds; NaN when it had none. */
  readonly goodAt = new Float64Array(ENERGY_KEYS.length).fill(Number.NaN);
  /** The reading last held back, NaN where none is, and its time. */
  readonly held = new Float64Array(ENERGY_KEYS.length).fill(Number.NaN);
  readonly heldAt = new Float64Array(ENERGY_KEYS.length);
  /** When the row of readings that ends in the one held began. */
  readonly rowSince = new Float64Array(ENERGY_KEYS.length);
  /** How many readings that row has. */
  readonly row = new Uint8Array(ENERGY_KEYS.length);
  /** When the unit was last in a message, in the sample time of messages. */
  seenAt = Number.NaN;

  /** Takes counter `i`'s reading as good. */
  accept(i: number, reading: number, at: number): void {
    this.good[i] = reading;
    this.goodAt[i] = at;
    this.held[i] = Number.NaN;
    this.row[i] = 0;
  }

  /**
   * A reading of counter `i` that no counter could have moved to: held back, unless it
   * completes a row of CONFIRMING_READINGS over CONFIRMING_SECONDS, each moving as a counter
   * does from the one before.
   */
  confirms(i: number, reading: number, at: number): boolean {
    const last = this.held[i] as number;
    const since = this.heldAt[i] as number;
    if (counts(last, reading, allowanceKwh(at - since)))
      this.row[i] = Math.min(255, (this.row[i] as number) + 1);
    else {
      this.row[i] = 1;
      this.rowSince[i] = at;
    }
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
  /** The last message's sample time in seconds (see sampleTime), when there was one. */
  readonly seconds: number | undefined;
  /** What is remembered of a unit's counters, made new for a unit not seen before. */
  unit(serial: string): UnitCounters;
}

/**
 * Holds in `next` each inverter's counter reading that no counter could have moved to since
 * its last good reading, noting in `previous` what it took and held back, so that readings
 * that keep confirming a new level pass; says which were held.
 */
export function holdCorruptedCounters(
  previous: LastCounters,
  next: SiteModel,
  timezone: string,
): Problem[] {
  const to = sampleTime(previous.seconds, next);
  const problems: Problem[] = [];
  for (const unit of next.inverters) {
    const memory = previous.unit(unit.serial);
    memory.seenAt = to ?? Number.NaN;
    let held: EnergyKey[] | undefined;
    for (let i = 0; i < ENERGY_KEYS.length; i++) {
      const key = ENERGY_KEYS[i] as EnergyKey;
      const now = unit.energy[key];
      // A message without counters changes nothing of what the next is judged against.
      if (now === null) continue;
      const was = memory.good[i] as number;
      if (now <= MAX_DAY_KWH) {
        const since = memory.goodAt[i] as number;
        // Without a good reading, or two sample times, there is no move to judge.
        if (to === undefined || Number.isNaN(was) || Number.isNaN(since)) {
          memory.accept(i, now, to ?? Number.NaN);
          continue;
        }
        // Back in time (a copy of an older message) no counter moves at all.
        const allowance = allowanceKwh(to - since);
        const reset = now < was && now <= allowance && nearMidnight(to, timezone);
        if (counts(was, now, allowance) || reset || memory.confirms(i, now, to)) {
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
        ` (faster than ${MAX_ENERGY_RATE_KW} kW, or down away from midnight):` +
        ' the last good reading is kept until the counter shows it is there',
      skipped: true,
    });
  }
  return problems;
}

/**
 * A message's sample time for judging its counters: its own, or one status period after
 * the last message when it has none.
 */
export function sampleTime(lastSeconds: number | undefined, site: SiteModel): number | undefined {
  return (
    sampleSeconds(site) ??
    (lastSeconds === undefined ? undefined : lastSeconds + STATUS_PERIOD_SECONDS)
  );
}

/** What a counter can add in `seconds` at most (none back in time). */
function allowanceKwh(seconds: number): number {
  return (MAX_ENERGY_RATE_KW * Math.max(0, seconds)) / 3600;
}

/** Whether a counter can go from `from` to `to` in the time `limitKwh` allows (false from NaN). */
function counts(from: number, to: number, limitKwh: number): boolean {
  return to >= from && to - from <= limitKwh;
}

function nearMidnight(seconds: number, timezone: string): boolean {
  const local = DateTime.fromSeconds(seconds, { zone: timezone });
  const minutes = local.hour * 60 + local.minute;
  return minutes < RESET_WINDOW_MINUTES || minutes >= 24 * 60 - RESET_WINDOW_MINUTES;
}

/** A site's sample time in seconds, when it has a usable one. */
function sampleSeconds(site: SiteModel): number | undefined {
  const { timestamp } = site.gateway;
  if (timestamp === null) return undefined;
  const ms = Date.parse(timestamp);
  return Number.isNaN(ms) ? undefined : ms / 1000;
}
