import { decodeStatus } from '../../src/gateway/wire';
import {
  ENERGY_KEYS,
  MAX_ENERGY_RATE_KW,
  type LastCounters,
  holdEnergySpikes,
  sampleSeconds,
} from '../../src/site/energy-spikes';
import { siteFromStatus } from '../../src/site/from-status';
import type { SiteModel } from '../../src/site/model';
import { fixtureBytes } from '../support/fixtures';

/** The fixture's site sampled `seconds` after it, its first unit's PV counter at `pvWh`. */
function sample(seconds: number, pvWh: number): SiteModel {
  const status = decodeStatus(fixtureBytes('single-givenergy'));
  status.timestamp += seconds;
  const [unit] = status.inverters;
  if (!unit?.energy) throw new Error('fixture');
  unit.energy.pv_today_wh = pvWh;
  return siteFromStatus(status.device_id, status).site;
}

/** The counters of a site as it is, as the bridge keeps them of its last message. */
function countersOf(site: SiteModel): LastCounters {
  return {
    seconds: sampleSeconds(site),
    counters: (serial) => {
      const unit = site.inverters.find((candidate) => candidate.serial === serial);
      return unit && ENERGY_KEYS.map((key) => unit.energy[key] ?? Number.NaN);
    },
  };
}

describe('holdEnergySpikes', () => {
  it('judges every counter an inverter has', () => {
    const [unit] = sample(0, 12_000).inverters;
    expect([...ENERGY_KEYS].sort()).toEqual(Object.keys(unit?.energy ?? {}).sort());
  });

  it('passes a counter that rises as fast as a home can, or falls at midnight', () => {
    const limitWh = Math.floor((MAX_ENERGY_RATE_KW * 1000 * 10) / 3600);
    for (const next of [sample(10, 12_000 + limitWh), sample(10, 12_000), sample(10, 0)]) {
      const pv = next.inverters[0]?.energy.pv_today_kwh;
      expect(holdEnergySpikes(countersOf(sample(0, 12_000)), next)).toEqual([]);
      expect(next.inverters[0]?.energy.pv_today_kwh).toBe(pv);
    }
  });

  it('holds a counter that rose faster than any home could, and says which', () => {
    const next = sample(10, 4_294_967_295);
    const problems = holdEnergySpikes(countersOf(sample(0, 12_000)), next);
    expect(next.inverters[0]?.energy.pv_today_kwh).toBe(12);
    expect(problems).toEqual([
      {
        device: `pbgw_a1b2c3/${next.inverters[0]?.serial}`,
        reason: `energy pv_today_kwh rose faster than ${MAX_ENERGY_RATE_KW} kW could: the last good reading is kept`,
        skipped: true,
      },
    ]);
    // The next good sample is judged against the reading kept.
    const after = sample(20, 12_050);
    expect(holdEnergySpikes(countersOf(next), after)).toEqual([]);
    expect(after.inverters[0]?.energy.pv_today_kwh).toBe(12.05);
  });

  it('judges nothing for a counter the last message lacked', () => {
    const lacking = sample(0, 12_000);
    for (const unit of lacking.inverters) unit.energy.pv_today_kwh = null;
    const next = sample(10, 4_294_967_295);
    expect(holdEnergySpikes(countersOf(lacking), next)).toEqual([]);
    expect(next.inverters[0]?.energy.pv_today_kwh).toBe(4_294_967.295);
  });

  it('judges nothing without two sample times in order, or for a unit it has not seen', () => {
    const spike = sample(-10, 4_294_967_295);
    expect(holdEnergySpikes(countersOf(sample(0, 12_000)), spike)).toEqual([]);
    const unknown = sample(10, 4_294_967_295);
    for (const unit of unknown.inverters) unit.serial = `${unit.serial}X`;
    expect(holdEnergySpikes(countersOf(sample(0, 12_000)), unknown)).toEqual([]);
  });
});
