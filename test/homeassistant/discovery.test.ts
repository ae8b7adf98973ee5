import { discoveryConfigs } from '../../src/homeassistant/discovery';
import { GOOD_FIXTURES } from '../support/fixtures';
import { OPTIONS, TEMPLATES, fixtureConfigs, fixtureDevices } from '../support/pipeline';

const AVAILABILITY = [
  { topic: 'predbat_bridge/bridge/state' },
  { topic: 'predbat_bridge/pbgw_a1b2c3/connection' },
  { topic: 'predbat_bridge/pbgw_a1b2c3/telemetry' },
];

const INVERTER_DEVICE = {
  identifiers: ['predbat_pbgw_a1b2c3_CE2341G123'],
  name: 'GivEnergy CE2341G123',
  manufacturer: 'GivEnergy',
  model: 'Hybrid Gen3',
  serial_number: 'CE2341G123',
  sw_version: '1.4.2',
  via_device: 'predbat_pbgw_a1b2c3',
};

const ORIGIN = { name: 'predbat-gateway-bridge', sw_version: expect.any(String) };

function config(name: string, topic: string) {
  const found = fixtureConfigs(name).find((c) => c.topic === topic);
  if (!found) throw new Error(`no config on ${topic}`);
  return found.payload;
}

describe('discovery configs', () => {
  it('announces battery SOC for the Energy dashboard and statistics', () => {
    expect(
      config(
        'single-givenergy',
        'homeassistant/sensor/predbat/pbgw_a1b2c3_CE2341G123_battery_soc/config',
      ),
    ).toEqual({
      name: 'Battery SOC',
      unique_id: 'predbat_pbgw_a1b2c3_CE2341G123_battery_soc',
      default_entity_id: 'sensor.predbat_ce2341g123_battery_soc',
      device: INVERTER_DEVICE,
      origin: ORIGIN,
      availability: AVAILABILITY,
      availability_mode: 'all',
      state_topic: 'predbat_bridge/pbgw_a1b2c3/inverter/CE2341G123/state',
      value_template: '{{ value_json.battery.soc_percent }}',
      device_class: 'battery',
      state_class: 'measurement',
      unit_of_measurement: '%',
      suggested_display_precision: 0,
    });
  });

  it("announces today's energy as kWh total_increasing", () => {
    expect(
      config(
        'single-givenergy',
        'homeassistant/sensor/predbat/pbgw_a1b2c3_CE2341G123_grid_import_today/config',
      ),
    ).toMatchObject({
      device_class: 'energy',
      state_class: 'total_increasing',
      unit_of_measurement: 'kWh',
      value_template: '{{ value_json.energy.grid_import_today_kwh }}',
    });
  });

  it('puts noisy diagnostics in the diagnostic category, disabled', () => {
    const heap = config(
      'single-givenergy',
      'homeassistant/sensor/predbat/pbgw_a1b2c3_free_heap/config',
    );
    expect(heap).toMatchObject({ entity_category: 'diagnostic', enabled_by_default: false });
    const rssi = config(
      'single-givenergy',
      'homeassistant/sensor/predbat/pbgw_a1b2c3_wifi_rssi/config',
    );
    expect(rssi).toMatchObject({
      entity_category: 'diagnostic',
      device_class: 'signal_strength',
      unit_of_measurement: 'dBm',
    });
  });

  it('keeps the gateway online sensor available while the gateway is not', () => {
    const online = config(
      'single-givenergy',
      'homeassistant/binary_sensor/predbat/pbgw_a1b2c3_online/config',
    );
    expect(online.availability).toEqual([{ topic: 'predbat_bridge/bridge/state' }]);
    expect(online.device).toEqual({
      identifiers: ['predbat_pbgw_a1b2c3'],
      name: 'Predbat gateway pbgw_a1b2c3',
      manufacturer: 'Predbat',
      model: 'ESP32 gateway',
      serial_number: 'pbgw_a1b2c3',
      sw_version: '1.4.2',
    });
  });

  it('gives controls only to units that accept commands', () => {
    const topics = fixtureConfigs('mixed-solis-deye').map((c) => c.topic);
    expect(topics).toContain(
      'homeassistant/number/predbat/pbgw_mix777_1031220231190045_charge_rate/config',
    );
    expect(topics).not.toContain(
      'homeassistant/number/predbat/pbgw_mix777_2306125093_charge_rate/config',
    );
    expect(topics).toContain(
      'homeassistant/sensor/predbat/pbgw_mix777_2306125093_charge_rate_state/config',
    );
  });

  it('bounds the charge rate by the battery, or the configured fallback', () => {
    const reported = config(
      'single-givenergy',
      'homeassistant/number/predbat/pbgw_a1b2c3_CE2341G123_charge_rate/config',
    );
    expect(reported).toMatchObject({ min: 0, max: 3600, step: 100, unit_of_measurement: 'W' });
    const fallback = config(
      'mixed-solis-deye',
      'homeassistant/number/predbat/pbgw_mix777_1031220231190045_charge_rate/config',
    );
    expect(fallback).toMatchObject({ min: 0, max: 5000 });
  });

  it('never widens a range past what the setting can mean, whatever telemetry says', () => {
    const [, inverter] = fixtureDevices('single-givenergy');
    if (!inverter) throw new Error('no inverter');
    const state = inverter.state as {
      control: Record<string, unknown>;
      battery: Record<string, unknown>;
    };
    const bogus = {
      ...inverter,
      state: {
        ...state,
        control: { ...state.control, reserve_soc: 200, charge_rate_w: 6000 },
        battery: { ...state.battery, rate_max_w: 4294967295 },
      },
    };
    const configs = discoveryConfigs(bogus, TEMPLATES, OPTIONS);
    const byKey = (key: string) => configs.find((c) => c.key === key)?.payload;
    expect(byKey('reserve_soc')).toMatchObject({ min: 0, max: 100 });
    // The absurd reported maximum is ignored for the option's; the unit's 6000 W still fits.
    expect(byKey('charge_rate')).toMatchObject({ min: 0, max: 6000 });
    expect(byKey('discharge_rate')).toMatchObject({ min: 0, max: 5000 });
  });

  it('offers slot times in 5-minute steps, with the current value always among them', () => {
    const start = config(
      'single-givenergy',
      'homeassistant/select/predbat/pbgw_a1b2c3_CE2341G123_charge_slot_1_start/config',
    );
    const options = start.options as string[];
    expect(options).toHaveLength(288);
    expect(options.slice(0, 3)).toEqual(['00:00', '00:05', '00:10']);
    expect(options).toContain('01:30');
    const devices = fixtureDevices('single-givenergy');
    const inverter = devices[1];
    if (!inverter) throw new Error('no inverter');
    const offGrid = {
      ...inverter,
      state: { ...inverter.state, schedule: { charge_start: '01:33' } },
    };
    const configs = discoveryConfigs(offGrid, TEMPLATES, OPTIONS);
    const select = configs.find((c) => c.key === 'charge_slot_1_start');
    expect(select?.payload.options).toHaveLength(289);
    expect((select?.payload.options as string[]).slice(18, 21)).toEqual([
      '01:30',
      '01:33',
      '01:35',
    ]);
  });

  it('makes the site aggregate the EMS device, separate from its units', () => {
    const configs = fixtureConfigs('ems-three-aio');
    const soc = configs.filter((c) => c.key === 'ems_total_soc');
    expect(soc.map((c) => c.topic)).toEqual([
      'homeassistant/sensor/predbat/pbgw_ems001_EM2402G777_ems_total_soc/config',
    ]);
    expect(soc[0]?.payload.state_topic).toBe('predbat_bridge/pbgw_ems001/ems/EM2402G777/state');
    expect((soc[0]?.payload.device as { name: string }).name).toBe('GivEnergy EMS EM2402G777');
    const units = new Set(configs.map((c) => (c.payload.device as { name: string }).name));
    expect([...units].sort()).toEqual([
      'GivEnergy CH2340G500',
      'GivEnergy CH2341G501',
      'GivEnergy CH2342G502',
      'GivEnergy EMS EM2402G777',
      'Predbat gateway pbgw_ems001',
    ]);
  });

  it('builds ids only from the gateway id and the serial, made legal without collisions', () => {
    const configs = fixtureConfigs('ev-charger');
    const charger = configs.find((c) => c.key === 'power' && c.topic.includes('_ev_'));
    expect(charger?.topic).toBe(
      'homeassistant/sensor/predbat/pbgw_evc042_ev_EVB--Pro-203XB-2e749_power/config',
    );
    expect(charger?.payload.unique_id).toBe('predbat_pbgw_evc042_ev_EVB--Pro-203XB-2e749_power');
    expect(charger?.payload.default_entity_id).toBe('sensor.predbat_ev_evb_pro_3xb_749_power');
    expect(charger?.payload.state_topic).toBe(
      'predbat_bridge/pbgw_evc042/ev_charger/EVB--Pro-203XB-2e749/state',
    );
  });

  it.each(GOOD_FIXTURES)('%s: every unique id is unique and no config uses object_id', (name) => {
    const configs = fixtureConfigs(name);
    const ids = configs.map((c) => c.payload.unique_id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(configs.map((c) => c.topic)).size).toBe(configs.length);
    for (const c of configs) {
      expect(c.payload).not.toHaveProperty('object_id');
      expect(c.payload.default_entity_id).toMatch(/^[a-z_]+\.predbat_[a-z0-9_]+$/);
    }
  });

  it('does not depend on the base topic for ids', () => {
    const moved = fixtureDevices('single-givenergy');
    const a = moved.flatMap((d) => discoveryConfigs(d, TEMPLATES, OPTIONS));
    const b = moved.flatMap((d) =>
      discoveryConfigs(d, TEMPLATES, { ...OPTIONS, baseTopic: 'elsewhere' }),
    );
    expect(a.map((c) => [c.topic, c.payload.unique_id])).toEqual(
      b.map((c) => [c.topic, c.payload.unique_id]),
    );
  });
});
