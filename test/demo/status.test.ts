import { DateTime } from 'luxon';
import { decodeStatus, encodeStatus } from '../../src/gateway/wire';
import { siteFromStatus } from '../../src/site/from-status';
import { newDemoSite, stepSite } from '../../src/demo/site';
import { demoStatus } from '../../src/demo/status';

const ZONE = 'Europe/London';
const NOW = DateTime.fromISO('2026-06-21T13:00', { zone: ZONE }).toMillis();

describe('demoStatus', () => {
  const site = stepSite(newDemoSite('pbgw_demo', NOW - 10_000, ZONE), NOW);
  const status = demoStatus(site, NOW);

  it('survives the wire as a real gateway status does', () => {
    const decoded = decodeStatus(encodeStatus(status));
    expect(decoded.device_id).toBe('pbgw_demo');
    expect(decoded.timestamp).toBe(NOW / 1000);
    expect(decoded.inverters.map((i) => [i.type, i.serial, i.managed, i.primary])).toEqual([
      [7, 'EMDEMO0001', true, true],
      [6, 'CHDEMO0001', false, false],
      [6, 'CHDEMO0002', false, false],
    ]);
    expect(decoded.ev_control).toBe(true);
    expect(decoded.ev_chargers[0]?.charge_point_id).toBe('Demo Charger 1');
  });

  it('adds up: the EMS totals are the sums of its units', () => {
    const ems = status.inverters[0]?.ems;
    const units = status.inverters.slice(1);
    expect(ems?.total_pv_w).toBe(units.reduce((sum, u) => sum + (u.pv?.power_w ?? 0), 0));
    expect(ems?.total_grid_w).toBe(units.reduce((sum, u) => sum + (u.grid?.power_w ?? 0), 0));
    const battery = units.reduce((sum, u) => sum + (u.battery?.power_w ?? 0), 0);
    expect((ems?.total_charge_w ?? 0) - (ems?.total_discharge_w ?? 0)).toBe(battery);
    expect(ems?.sub_inverters.map((s) => s.soc)).toEqual(units.map((u) => u.battery?.soc_percent));
  });

  it('reads as a clean site to the bridge: no problems, the EMS as the site view', () => {
    const translation = siteFromStatus('pbgw_demo', decodeStatus(encodeStatus(status)));
    expect(translation.problems).toEqual([]);
    expect(translation.site.inverters.map((i) => i.serial)).toEqual([
      'EMDEMO0001',
      'CHDEMO0001',
      'CHDEMO0002',
    ]);
    expect(translation.site.ev_chargers.map((c) => c.charge_point_id)).toEqual(['Demo Charger 1']);
  });
});
