import { decodeStatus } from '../../src/gateway/wire';
import type { GatewayStatus } from '../../src/gateway/messages';
import { siteFromStatus } from '../../src/site/from-status';
import { fixtureBytes } from '../support/fixtures';

function site(name: string, id?: string) {
  const status = decodeStatus(fixtureBytes(name));
  return siteFromStatus(id ?? status.device_id, status);
}

describe('siteFromStatus', () => {
  it('translates a single GivEnergy inverter exactly', () => {
    const { site: s, problems } = site('single-givenergy');
    expect(problems).toEqual([]);
    expect(s.gateway).toEqual({
      device_id: 'pbgw_a1b2c3',
      payload_device_id: null,
      firmware: '1.4.2',
      schema_version: 1,
      timestamp: '2026-12-03T12:20:00Z',
      uptime_seconds: 259325,
      wifi_rssi_dbm: -61,
      wifi_ip: '192.0.2.10',
      wifi_ssid: 'home-net',
      free_heap_bytes: 148220,
      heap_internal_free: 61200,
      heap_internal_largest: 30720,
      heap_internal_min_free: 40100,
      log_level: 3,
      dongle_count: 1,
      ev_control: null,
      inverter_count: 1,
      ev_charger_count: 0,
    });
    expect(s.inverters).toEqual([
      {
        kind: 'inverter',
        serial: 'CE2341G123',
        type: 6,
        type_name: 'givenergy',
        manufacturer: 'GivEnergy',
        model: 'Hybrid Gen3',
        ip: '192.0.2.20',
        dongle_serial: 'WF2341G123',
        connected: true,
        active: true,
        managed: true,
        primary: true,
        reported: ['battery', 'pv', 'grid', 'load', 'inverter', 'control', 'schedule', 'energy'],
        battery: {
          soc_percent: 62,
          voltage_v: 52.4,
          current_a: -11.5,
          power_w: -602,
          charge_power_w: 0,
          discharge_power_w: 602,
          temperature_c: 18.5,
          soh_percent: 97,
          cycle_count: 412,
          capacity_kwh: 9.5,
          rate_max_w: 3600,
          depth_of_discharge_pct: 96,
        },
        pv: { power_w: 1840 },
        grid: {
          power_w: 230,
          import_power_w: 0,
          export_power_w: 230,
          voltage_v: 241.7,
          frequency_hz: 49.98,
        },
        load: { power_w: 2212 },
        inverter: { active_power_w: 2442, temperature_c: 31.2, rate_max_w: 5000 },
        control: {
          charge_enabled: true,
          discharge_enabled: true,
          charge_rate_w: 3600,
          discharge_rate_w: 3600,
          reserve_soc: 4,
          target_soc: 100,
          force_power_w: 0,
          command_expires: null,
          export_limit_w: null,
          export_limited: false,
        },
        schedule: {
          charge_start: '01:30',
          charge_end: '04:30',
          discharge_start: '16:00',
          discharge_end: '19:00',
        },
        ems: {
          num_inverters: null,
          total_soc: null,
          total_charge_w: null,
          total_discharge_w: null,
          total_grid_w: null,
          total_grid_import_w: null,
          total_grid_export_w: null,
          total_pv_w: null,
          total_load_w: null,
          sub_inverters: [],
        },
        energy: {
          pv_today_kwh: 7.42,
          grid_import_today_kwh: 3.31,
          grid_export_today_kwh: 1.205,
          battery_charge_today_kwh: 5.12,
          battery_discharge_today_kwh: 4.38,
          consumption_today_kwh: 13.65,
        },
      },
    ]);
    expect(s.ev_chargers).toEqual([]);
  });

  it('resolves the sentinels of a Solis with a read-only Deye', () => {
    const [solis, deye] = site('mixed-solis-deye').site.inverters;
    expect(solis?.manufacturer).toBe('Solis');
    expect(solis?.battery).toMatchObject({
      soc_percent: 12,
      power_w: 2500,
      charge_power_w: 2500,
      discharge_power_w: 0,
      temperature_c: -2.5,
      soh_percent: null,
      rate_max_w: null,
      depth_of_discharge_pct: null,
    });
    expect(solis?.grid).toEqual({
      power_w: -2900,
      import_power_w: 2900,
      export_power_w: 0,
      voltage_v: null,
      frequency_hz: null,
    });
    // export_limit_w 1 on the wire is a limit of 0 W.
    expect(solis?.control).toMatchObject({ export_limit_w: 0, export_limited: true });
    // 2400 is midnight at the end of the day.
    expect(solis?.schedule).toEqual({
      charge_start: '23:30',
      charge_end: '00:00',
      discharge_start: '00:00',
      discharge_end: '00:00',
    });
    expect(solis?.model).toBe('Hybrid');
    expect(solis?.energy.pv_today_kwh).toBeNull();
    expect(deye).toMatchObject({
      manufacturer: 'Deye/Sunsynk',
      managed: false,
      connected: false,
      reported: ['control'],
    });
    expect(deye?.control).toMatchObject({ export_limit_w: 3680, export_limited: true });
    expect(deye?.battery.soc_percent).toBeNull();
  });

  it('finds the EMS by its type, wherever it is in the list', () => {
    const { site: s } = site('ems-three-aio');
    expect(s.inverters.map((i) => [i.serial, i.kind])).toEqual([
      ['CH2340G500', 'inverter'],
      ['CH2341G501', 'inverter'],
      ['EM2402G777', 'ems'],
      ['CH2342G502', 'inverter'],
    ]);
    const ems = s.inverters[2];
    expect(ems?.ems).toEqual({
      num_inverters: 3,
      total_soc: 58,
      total_charge_w: 0,
      total_discharge_w: 1450,
      total_grid_w: -320,
      total_grid_import_w: 320,
      total_grid_export_w: 0,
      total_pv_w: 980,
      total_load_w: 2750,
      sub_inverters: [
        {
          slot: 1,
          soc_percent: 55,
          battery_power_w: -500,
          battery_charge_power_w: 0,
          battery_discharge_power_w: 500,
          pv_power_w: 400,
          grid_power_w: -100,
          temperature_c: 21,
        },
        {
          slot: 2,
          soc_percent: 61,
          battery_power_w: -450,
          battery_charge_power_w: 0,
          battery_discharge_power_w: 450,
          pv_power_w: 300,
          grid_power_w: -120,
          temperature_c: 22.5,
        },
        {
          slot: 3,
          soc_percent: 58,
          battery_power_w: -500,
          battery_charge_power_w: 0,
          battery_discharge_power_w: 500,
          pv_power_w: 280,
          grid_power_w: -100,
          temperature_c: -3.5,
        },
      ],
    });
    expect(ems?.reported).toEqual(['control', 'ems']);
  });

  it('keeps an EV charger with its vendor id as it is', () => {
    const { site: s } = site('ev-charger');
    expect(s.gateway.ev_control).toBe(true);
    expect(s.ev_chargers).toEqual([
      {
        charge_point_id: 'EVB-Pro 3XB.749',
        connected: true,
        session_active: true,
        status: 'Charging',
        power_w: 7120,
        session_energy_kwh: 10.45,
        session_secs: 5230,
        current_limit_a: 32,
        max_current_a: 32,
        soc_percent: null,
        voltage_v: 238,
        eco_mode: 'Boost',
      },
    ]);
  });

  it('shows what very old firmware leaves out as unknown', () => {
    const { site: s } = site('minimal');
    expect(s.gateway).toMatchObject({
      firmware: null,
      timestamp: null,
      wifi_rssi_dbm: null,
      wifi_ip: null,
      schema_version: 0,
    });
    expect(s.inverters[0]).toMatchObject({ serial: 'SOL0000001', reported: [], model: 'Inverter' });
    expect(s.inverters[0]?.battery.soc_percent).toBeNull();
  });

  it("trusts the topic's id over the payload's and says so", () => {
    const { site: s, problems } = site('single-givenergy', 'pbgw_other');
    expect(s.gateway_id).toBe('pbgw_other');
    expect(s.gateway.payload_device_id).toBe('pbgw_a1b2c3');
    expect(problems).toEqual([
      {
        device: 'pbgw_other',
        reason: "payload device_id 'pbgw_a1b2c3' differs from the topic's; the topic's id is used",
        skipped: false,
      },
    ]);
  });

  it('shows a percentage outside 0–100 as unknown and says which, once per field', () => {
    const status = decodeStatus(fixtureBytes('ems-three-aio'));
    const [unit, , ems] = status.inverters;
    if (!unit?.battery || !unit.control || !ems?.ems?.sub_inverters[0]) throw new Error('fixture');
    unit.battery.soc_percent = 250;
    unit.battery.soh_percent = 101;
    unit.control.target_soc = 4_000_000_000;
    unit.control.reserve_soc = 100;
    ems.ems.sub_inverters[0].soc = 0;
    ems.ems.total_soc = 1000;
    const { site: s, problems } = siteFromStatus(status.device_id, status);
    const [unitModel, , emsModel] = s.inverters;
    expect(unitModel?.battery.soc_percent).toBeNull();
    expect(unitModel?.battery.soh_percent).toBeNull();
    expect(unitModel?.control.target_soc).toBeNull();
    // The bounds themselves are percentages.
    expect(unitModel?.control.reserve_soc).toBe(100);
    expect(emsModel?.ems.sub_inverters[0]?.soc_percent).toBe(0);
    expect(emsModel?.ems.total_soc).toBeNull();
    const problem = (serial: string, field: string) => ({
      device: `${status.device_id}/${serial}`,
      reason: `${field} is outside 0–100: shown as unknown`,
      skipped: true,
    });
    expect(problems).toEqual([
      problem(unit.serial, 'battery soc_percent'),
      problem(unit.serial, 'battery soh_percent'),
      problem(unit.serial, 'control target_soc'),
      problem(ems.serial, 'ems total_soc'),
    ]);
  });

  it('shows a float that is no number and an HHMM that is no time as unknown, saying which', () => {
    const status = decodeStatus(fixtureBytes('single-givenergy'));
    const [unit] = status.inverters;
    if (!unit?.battery || !unit.schedule || !unit.grid) throw new Error('fixture');
    unit.battery.voltage_v = Number.NaN;
    unit.grid.frequency_hz = Number.POSITIVE_INFINITY;
    unit.schedule.charge_start = 9999;
    unit.schedule.charge_end = 2460;
    unit.schedule.discharge_end = 2400;
    const { site: s, problems } = siteFromStatus(status.device_id, status);
    const [model] = s.inverters;
    expect(model?.battery.voltage_v).toBeNull();
    expect(model?.grid.frequency_hz).toBeNull();
    expect(model?.schedule).toMatchObject({
      charge_start: null,
      charge_end: null,
      discharge_end: '00:00',
    });
    expect(problems.map((p) => [p.reason, p.skipped])).toEqual([
      ['battery voltage_v is not a number: shown as unknown', true],
      ['grid frequency_hz is not a number: shown as unknown', true],
      ['schedule charge_start is not a time of day (HHMM): shown as unknown', true],
      ['schedule charge_end is not a time of day (HHMM): shown as unknown', true],
    ]);
  });

  it('skips entries without a usable id and says why', () => {
    const status = decodeStatus(fixtureBytes('mixed-solis-deye')) as GatewayStatus;
    const [solis, deye] = status.inverters;
    if (!solis || !deye) throw new Error('fixture changed');
    status.inverters = [
      solis,
      { ...deye, serial: '' },
      { ...deye, serial: solis.serial },
      { ...deye, serial: 'x'.repeat(65) },
      { ...deye, serial: 'bad\u0000id' },
      { ...deye, serial: 'odd/+# ü' },
    ];
    const { site: s, problems } = siteFromStatus('pbgw_mix777', status);
    expect(s.inverters.map((i) => i.serial)).toEqual(['1031220231190045', 'odd/+# ü']);
    expect(problems).toEqual([
      { device: 'pbgw_mix777', reason: 'inverter without an id skipped', skipped: true },
      {
        device: 'pbgw_mix777/1031220231190045',
        reason: 'inverter id repeated in one message: the second is skipped',
        skipped: true,
      },
      {
        device: `pbgw_mix777/${'x'.repeat(63)}…`,
        reason: 'inverter id longer than 64 skipped',
        skipped: true,
      },
      {
        device: 'pbgw_mix777/bad\u0000id',
        reason: 'inverter id with control characters skipped',
        skipped: true,
      },
    ]);
  });

  it('refuses a message with no telemetry, such as an empty payload or a bare device_id', () => {
    const bare = Uint8Array.from([0x0a, 0x03, 0x61, 0x62, 0x63]);
    expect(() => siteFromStatus('pbgw_a1b2c3', decodeStatus(bare))).toThrow(
      'the message carries no telemetry: no sample time, firmware or unit',
    );
    expect(() => siteFromStatus('pbgw_a1b2c3', decodeStatus(new Uint8Array(0)))).toThrow(
      'the message carries no telemetry: no sample time, firmware or unit',
    );
  });

  it('caps the number of inverters and chargers', () => {
    const status = decodeStatus(fixtureBytes('single-givenergy'));
    const [entry] = status.inverters;
    if (!entry) throw new Error('fixture changed');
    status.inverters = Array.from({ length: 40 }, (_, i) => ({ ...entry, serial: `S${i}` }));
    const { site: s, problems } = siteFromStatus('pbgw_a1b2c3', status);
    expect(s.inverters).toHaveLength(32);
    expect(problems).toEqual([
      {
        device: 'pbgw_a1b2c3',
        reason: 'inverter entries beyond the 32 a gateway may have: 8 skipped',
        skipped: true,
      },
    ]);
  });
});
