// A day's energy counter only rises, no faster than a home's connection allows, and falls
// only when a new day starts. A reading that breaks this is a corrupted sample: a garbled
// register, or a gateway that restarted and sent zeros. Passed on, it would stay in the
// Energy dashboard's statistics for good: Home Assistant takes a total_increasing sensor's
// fall as a meter reset, so the return to the true reading counts the day again, and a
// leap as energy used. Such a reading is held at the last good one, and the message counts
// as rejected, until CONFIRMING_READINGS readings in a row, each moving as a counter does
// from the one before, show that the counter really is there now (an inverter that restarted
// its count, or a clock a day out): then it is followed, not held all day. A fall near local
// midnight that a reset explains passes at once; a reading beyond any day's never passes.
import { DateTime } from 'luxon';
import type { InverterModel, Problem, SiteModel } from './model';

/** Far above what any home's connection carries; a corrupted counter is far beyond it. */
export const MAX_ENERGY_RATE_KW = 100;

/** More than a day at MAX_ENERGY_RATE_KW: never a true reading. */
export const MAX_DAY_KWH = MAX_ENERGY_RATE_KW * 24;

/** Readings in a row, each moving as a counter does from the last, that a new level takes. */
export const CONFIRMING_READINGS = 3;

/**
 * A fall this near local midnight, either side, is the day's reset: an inverter's clock or
 * zone is often an hour or so from the bridge's.
 */
const RESET_WINDOW_MINUTES = 120;

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
  /** As last bridged; NaN where it had none. */
  readonly bridged = new Float64Array(ENERGY_KEYS.length);
  /** The reading last held back, NaN where none was. */
  readonly held = new Float64Array(ENERGY_KEYS.length).fill(Number.NaN);
  /** How many readings in a row, up to the one held, moved as a counter does. */
  readonly streak = new Uint8Array(ENERGY_KEYS.length);

  /** Nothing held back for counter `i`. */
  settle(i: number): void {
    this.held[i] = Number.NaN;
    this.streak[i] = 0;
  }

  /** Nothing held back for any counter. */
  clear(): void {
    this.held.fill(Number.NaN);
    this.streak.fill(0);
  }

  /**
   * A reading of counter `i` that no counter could have moved to: held back, unless it
   * completes a row of CONFIRMING_READINGS, each moving as a counter does from the one
   * before, and is one a day can reach.
   */
  confirms(i: number, reading: number, limitKwh: number): boolean {
    const streak = counts(this.held[i] as number, reading, limitKwh)
      ? (this.streak[i] as number) + 1
      : 1;
    this.held[i] = reading;
    this.streak[i] = Math.min(streak, CONFIRMING_READINGS);
    return streak >= CONFIRMING_READINGS && reading <= MAX_DAY_KWH;
  }
}

/** What judging a message's counters takes of the site as last bridged. */
export interface LastCounters {
  /** Its sample time in seconds, when it had a usable one. */
  readonly seconds: number | undefined;
  /** An inverter's counters; undefined for a unit not in the last message. */
  unit(serial: string): UnitCounters | undefined;
}

/**
 * Holds in `next` each inverter's counter reading that no counter could have moved to since
 * `previous`, the site as last bridged, and notes in `previous` what it held back, so that
 * readings that keep confirming it pass; says which were held.
 */
export function holdCorruptedCounters(
  previous: LastCounters,
  next: SiteModel,
  timezone: string,
): Problem[] {
  const from = previous.seconds;
  const to = sampleSeconds(next);
  if (from === undefined || to === undefined || to <= from) {
    // Without two sample times in order there is no move to judge, nor a row of readings.
    for (const unit of next.inverters) previous.unit(unit.serial)?.clear();
    return [];
  }
  const limitKwh = (MAX_ENERGY_RATE_KW * (to - from)) / 3600;
  const problems: Problem[] = [];
  for (const unit of next.inverters) {
    const memory = previous.unit(unit.serial);
    // A unit not in the last message has nothing to be judged against.
    if (memory === undefined) continue;
    let held: EnergyKey[] | undefined;
    for (let i = 0; i < ENERGY_KEYS.length; i++) {
      const key = ENERGY_KEYS[i] as EnergyKey;
      const now = unit.energy[key];
      const was = memory.bridged[i] as number;
      const good =
        now === null ||
        Number.isNaN(was) ||
        counts(was, now, limitKwh) ||
        (now <= limitKwh && nearMidnight(to, timezone));
      if (good || memory.confirms(i, now, limitKwh)) {
        memory.settle(i);
        continue;
      }
      unit.energy[key] = was;
      (held ??= []).push(key);
    }
    if (held === undefined) continue;
    problems.push({
      device: `${next.gateway_id}/${unit.serial}`,
      reason:
        `energy ${held.join(', ')} moved as no day's counter can` +
        ` (faster than ${MAX_ENERGY_RATE_KW} kW, or down away from midnight):` +
        ` the last good reading is kept until ${CONFIRMING_READINGS} readings in a row confirm it`,
      skipped: true,
    });
  }
  return problems;
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
export function sampleSeconds(site: SiteModel): number | undefined {
  const { timestamp } = site.gateway;
  if (timestamp === null) return undefined;
  const ms = Date.parse(timestamp);
  return Number.isNaN(ms) ? undefined : ms / 1000;
}
