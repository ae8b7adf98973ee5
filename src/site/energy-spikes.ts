// A day's energy counter grows no faster than a home's connection allows. A reading beyond
// that is a corrupted sample: passed on, Home Assistant would add it to the Energy
// dashboard's statistics for good, as a total_increasing sensor cannot take a rise back.
// It is held at the last good reading instead, and the message counts as rejected. A
// counter that falls is left alone: that is the gateway's midnight reset.
import type { InverterModel, Problem, SiteModel } from './model';

/** Far above what any home's connection carries; a corrupted counter is far beyond it. */
export const MAX_ENERGY_RATE_KW = 100;

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

/** What judging a message's counters takes of the site as last bridged. */
export interface LastCounters {
  /** Its sample time in seconds, when it had a usable one. */
  readonly seconds: number | undefined;
  /**
   * An inverter's counters as last bridged, in ENERGY_KEYS order and NaN where it had
   * none; undefined for a unit not in it.
   */
  counters(serial: string): ArrayLike<number> | undefined;
}

/**
 * Holds in `next` each inverter's counter that rose faster than MAX_ENERGY_RATE_KW since
 * `previous`, the site as last bridged; says which were held.
 */
export function holdEnergySpikes(previous: LastCounters, next: SiteModel): Problem[] {
  const from = previous.seconds;
  const to = sampleSeconds(next);
  // Without two sample times in order there is no rate to judge.
  if (from === undefined || to === undefined || to <= from) return [];
  const limitKwh = (MAX_ENERGY_RATE_KW * (to - from)) / 3600;
  const problems: Problem[] = [];
  for (const unit of next.inverters) {
    const last = previous.counters(unit.serial);
    // A unit not in the last message has nothing to be judged against.
    if (last === undefined) continue;
    for (let i = 0; i < ENERGY_KEYS.length; i++) {
      const key = ENERGY_KEYS[i] as EnergyKey;
      const was = last[i] as number;
      const now = unit.energy[key];
      // NaN: a counter the last message lacked.
      if (Number.isNaN(was) || now === null || now - was <= limitKwh) continue;
      unit.energy[key] = was;
      problems.push({
        device: `${next.gateway_id}/${unit.serial}`,
        reason:
          `energy ${key} rose faster than ${MAX_ENERGY_RATE_KW} kW could:` +
          ' the last good reading is kept',
        skipped: true,
      });
    }
  }
  return problems;
}

/** A site's sample time in seconds, when it has a usable one. */
export function sampleSeconds(site: SiteModel): number | undefined {
  const { timestamp } = site.gateway;
  if (timestamp === null) return undefined;
  const ms = Date.parse(timestamp);
  return Number.isNaN(ms) ? undefined : ms / 1000;
}
