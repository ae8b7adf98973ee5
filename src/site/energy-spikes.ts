// A day's energy counter grows no faster than a home's connection allows. A reading beyond
// that is a corrupted sample: passed on, Home Assistant would add it to the Energy
// dashboard's statistics for good, as a total_increasing sensor cannot take a rise back.
// It is held at the last good reading instead, and the message counts as rejected. A
// counter that falls is left alone: that is the gateway's midnight reset.
import type { InverterModel, Problem, SiteModel } from './model';

/** Far above what any home's connection carries; a corrupted counter is far beyond it. */
export const MAX_ENERGY_RATE_KW = 100;

type EnergyKey = keyof InverterModel['energy'];

/**
 * Holds in `next` each inverter's counter that rose faster than MAX_ENERGY_RATE_KW since
 * `previous`, the site as last bridged; says which were held.
 */
export function holdEnergySpikes(previous: SiteModel, next: SiteModel): Problem[] {
  const from = sampleSeconds(previous);
  const to = sampleSeconds(next);
  // Without two sample times in order there is no rate to judge.
  if (from === undefined || to === undefined || to <= from) return [];
  const limitKwh = (MAX_ENERGY_RATE_KW * (to - from)) / 3600;
  const problems: Problem[] = [];
  for (const unit of next.inverters) {
    const before = previous.inverters.find((known) => known.serial === unit.serial);
    if (before === undefined) continue;
    for (const key of Object.keys(unit.energy) as EnergyKey[]) {
      const was = before.energy[key];
      const now = unit.energy[key];
      if (was === null || now === null || now - was <= limitKwh) continue;
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

function sampleSeconds(site: SiteModel): number | undefined {
  const { timestamp } = site.gateway;
  if (timestamp === null) return undefined;
  const ms = Date.parse(timestamp);
  return Number.isNaN(ms) ? undefined : ms / 1000;
}
