import { DateTime } from 'luxon';
import {
  activePlanEntry,
  houseLoad,
  inWindow,
  newDemoSite,
  pvPower,
  siteSoc,
  stepSite,
} from '../../src/demo/site';

const ZONE = 'Europe/London';
const at = (iso: string): number => DateTime.fromISO(iso, { zone: ZONE }).toMillis();

describe('the demo site sun and house', () => {
  it('has no sun at night and most of it at midday in summer', () => {
    expect(pvPower(at('2026-06-21T02:00'), ZONE)).toBe(0);
    expect(pvPower(at('2026-12-21T17:30'), ZONE)).toBe(0);
    const noon = pvPower(at('2026-06-21T13:00'), ZONE);
    expect(noon).toBeGreaterThan(3000);
    expect(noon).toBeLessThanOrEqual(6000);
    expect(pvPower(at('2026-12-21T13:00'), ZONE)).toBeLessThan(noon);
  });

  it('uses more in the evening than in the small hours', () => {
    expect(houseLoad(at('2026-06-21T18:30'), ZONE)).toBeGreaterThan(
      houseLoad(at('2026-06-21T03:00'), ZONE) + 1000,
    );
  });

  it('reads windows that run past midnight', () => {
    expect(inWindow(2330, 2300, 430)).toBe(true);
    expect(inWindow(300, 2300, 430)).toBe(true);
    expect(inWindow(1200, 2300, 430)).toBe(false);
    expect(inWindow(100, 100, 100)).toBe(false);
  });
});

describe('stepSite', () => {
  const start = at('2026-06-21T21:00');

  it('covers the evening load from the battery, whose stored energy follows its power', () => {
    const site = newDemoSite('pbgw_demo', start, ZONE);
    const next = stepSite(site, start + 10_000);
    const load = houseLoad(start + 10_000, ZONE);
    const battery = next.units.reduce((sum, unit) => sum + unit.battery_w, 0);
    expect(battery).toBe(-load);
    for (const [index, unit] of next.units.entries()) {
      const before = site.units[index]?.stored_wh ?? 0;
      expect(unit.stored_wh).toBeCloseTo(before + (unit.battery_w * 10) / 3600, 9);
      expect(unit.grid_w).toBe(unit.pv_w - unit.load_w - unit.battery_w);
    }
    expect(siteSoc(next)).toBeLessThan(siteSoc(site));
    expect(next.energy.discharge_wh).toBeCloseTo((load * 10) / 3600, 9);
    expect(next.energy.import_wh).toBe(0);
  });

  it('charges from the grid at the charge rate inside the charge slot', () => {
    const night = at('2026-06-22T01:00');
    const site = newDemoSite('pbgw_demo', night, ZONE);
    const next = stepSite(site, night + 5_000);
    expect(next.units.map((unit) => unit.battery_w)).toEqual([1800, 1800]);
    expect(next.energy.import_wh).toBeGreaterThan(0);
  });

  it('stops charging when charging is switched off', () => {
    const night = at('2026-06-22T01:00');
    const site = newDemoSite('pbgw_demo', night, ZONE);
    site.control.charge_enabled = false;
    expect(stepSite(site, night + 5_000).units.map((unit) => unit.battery_w)).toEqual([0, 0]);
  });

  it('never discharges below the reserve', () => {
    const site = newDemoSite('pbgw_demo', start, ZONE);
    site.control.reserve_soc = 80;
    expect(stepSite(site, start + 5_000).units.map((unit) => unit.battery_w)).toEqual([0, 0]);
  });

  it('restarts the energy counters at local midnight', () => {
    const late = at('2026-06-21T23:59:50');
    const site = stepSite(newDemoSite('pbgw_demo', late - 60_000, ZONE), late);
    expect(site.energy.consumption_wh).toBeGreaterThan(0);
    const after = stepSite(site, at('2026-06-22T00:00:00'));
    expect(after.day).toBe('2026-06-22');
    expect(after.energy.consumption_wh).toBe(0);
  });

  it('follows a plan entry for the current minute while the plan is fresh', () => {
    const noon = at('2026-06-21T12:00');
    const site = newDemoSite('pbgw_demo', noon, ZONE);
    site.plan = {
      plan_version: 3,
      timestamp: noon / 1000,
      timezone: 'GMT0BST,M3.5.0/1,M10.5.0',
      entries: [
        {
          enabled: true,
          start_hour: 11,
          start_minute: 30,
          end_hour: 12,
          end_minute: 30,
          mode: 2,
          power_w: 2000,
          target_soc: 20,
          days_of_week: 127,
          use_native: false,
        },
      ],
    };
    expect(activePlanEntry(site, noon)?.mode).toBe(2);
    const next = stepSite(site, noon + 5_000);
    expect(next.units.map((unit) => unit.battery_w)).toEqual([-1000, -1000]);
    expect(next.forced).toEqual({ power_w: 2000, until: at('2026-06-21T12:30') / 1000 });
    // A plan nobody refreshed for 15 minutes is stale: the site goes back to its own rules.
    expect(activePlanEntry(site, noon + 16 * 60_000)).toBeUndefined();
  });
});
