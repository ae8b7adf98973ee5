// The demo site as a gateway reports it: one GatewayStatus, shaped like the telemetry of a
// real GivEnergy EMS gateway (the EMS leads and accepts commands, its units are read-only).
import type {
  ControlStatus,
  EnergyCounters,
  EvCharger,
  GatewayStatus,
  InverterEntry,
  ScheduleStatus,
} from '../gateway/messages';
import { type DemoEnergy, type DemoSite, type DemoUnit, siteSoc } from './site';

const TYPE_GIVENERGY = 6;
const TYPE_GIVENERGY_EMS = 7;
const DEMO_FIRMWARE = 'demo-1.0.0';

export function demoStatus(site: DemoSite, ms: number): GatewayStatus {
  const seconds = Math.floor(ms / 1000);
  const uptime = Math.floor((ms - site.started_ms) / 1000);
  return {
    device_id: site.id,
    dongle_count: site.units.length + 1,
    firmware: DEMO_FIRMWARE,
    timestamp: seconds,
    schema_version: 1,
    inverters: [emsEntry(site), ...site.units.map((unit, index) => unitEntry(site, unit, index))],
    uptime_seconds: uptime,
    wifi_rssi_dbm: -58 + Math.round(3 * Math.sin(seconds / 50)),
    free_heap_bytes: 151000 + Math.round(2000 * Math.sin(seconds / 70)),
    log_level: 3,
    wifi_ip: '192.0.2.50',
    ev_control: true,
    ev_chargers: [evEntry(site)],
    wifi_ssid: 'demo-net',
    heap_internal_free: 61000,
    heap_internal_largest: 30720,
    heap_internal_min_free: 40100,
  };
}

function control(site: DemoSite): ControlStatus {
  const c = site.control;
  return {
    charge_enabled: c.charge_enabled,
    discharge_enabled: c.discharge_enabled,
    charge_rate_w: c.charge_rate_w,
    discharge_rate_w: c.discharge_rate_w,
    reserve_soc: c.reserve_soc,
    target_soc: c.target_soc,
    force_power_w: site.forced?.power_w ?? 0,
    command_expires: site.forced?.until ?? 0,
    export_limit_w: 0,
  };
}

function schedule(site: DemoSite): ScheduleStatus {
  const c = site.control;
  return {
    charge_start: c.charge_start,
    charge_end: c.charge_end,
    discharge_start: c.discharge_start,
    discharge_end: c.discharge_end,
  };
}

function emsEntry(site: DemoSite): InverterEntry {
  const units = site.units;
  const sum = (pick: (unit: DemoUnit) => number): number =>
    units.reduce((total, unit) => total + pick(unit), 0);
  const battery = sum((unit) => unit.battery_w);
  return {
    type: TYPE_GIVENERGY_EMS,
    serial: site.ems_serial,
    ip: '',
    connected: true,
    active: true,
    battery: null,
    pv: null,
    grid: null,
    load: null,
    inverter: null,
    control: control(site),
    schedule: schedule(site),
    ems: {
      num_inverters: units.length,
      total_soc: Math.round(siteSoc(site)),
      total_charge_w: Math.max(0, battery),
      total_discharge_w: Math.max(0, -battery),
      total_grid_w: sum((unit) => unit.grid_w),
      total_pv_w: sum((unit) => unit.pv_w),
      total_load_w: sum((unit) => unit.load_w),
      sub_inverters: units.map((unit, index) => ({
        soc: unitSoc(unit),
        battery_w: unit.battery_w,
        pv_w: unit.pv_w,
        grid_w: unit.grid_w,
        temp_c: batteryTemperature(unit, index),
      })),
    },
    energy: energyCounters(site.energy, Math.round),
    managed: !site.read_only,
    primary: true,
    dongle_serial: '',
    model: 'Gateway',
  };
}

function unitEntry(site: DemoSite, unit: DemoUnit, index: number): InverterEntry {
  const voltage = 49 + 0.06 * unitSoc(unit);
  return {
    type: TYPE_GIVENERGY,
    serial: unit.serial,
    ip: `192.0.2.${51 + index}`,
    connected: true,
    active: true,
    battery: {
      soc_percent: unitSoc(unit),
      voltage_v: round1(voltage),
      current_a: round1(unit.battery_w / voltage),
      power_w: unit.battery_w,
      temperature_c: batteryTemperature(unit, index),
      soh_percent: 97,
      cycle_count: unit.cycle_count,
      capacity_wh: unit.capacity_wh,
      rate_max_w: unit.rate_max_w,
      depth_of_discharge_pct: 96,
    },
    pv: { power_w: unit.pv_w },
    grid: { power_w: unit.grid_w, voltage_v: 241.5, frequency_hz: 50 },
    load: { power_w: unit.load_w },
    inverter: {
      active_power_w: unit.pv_w - unit.battery_w,
      temperature_c: round1(28 + Math.abs(unit.battery_w) / 400),
      rate_max_w: 5000,
    },
    control: control(site),
    schedule: schedule(site),
    ems: null,
    // Each unit counts an equal share of the site's energy.
    energy: energyCounters(site.energy, (wh) => Math.round(wh / site.units.length)),
    managed: false,
    primary: false,
    dongle_serial: unit.dongle_serial,
    model: 'All-in-One',
  };
}

/** The site's energy counters, each made whole watt-hours by `part`. */
function energyCounters(e: DemoEnergy, part: (wh: number) => number): EnergyCounters {
  return {
    pv_today_wh: part(e.pv_wh),
    grid_import_today_wh: part(e.import_wh),
    grid_export_today_wh: part(e.export_wh),
    battery_charge_today_wh: part(e.charge_wh),
    battery_discharge_today_wh: part(e.discharge_wh),
    consumption_today_wh: part(e.consumption_wh),
  };
}

function evEntry(site: DemoSite): EvCharger {
  const ev = site.ev;
  return {
    connected: ev.connected,
    session_active: ev.session_active,
    status: ev.status,
    power_w: ev.power_w,
    session_energy_wh: Math.round(ev.session_energy_wh),
    session_secs: Math.round(ev.session_secs),
    current_limit_a: ev.current_limit_a,
    soc_percent: Math.round(ev.car_soc),
    charge_point_id: ev.charge_point_id,
    max_current_a: ev.max_current_a,
    voltage_v: ev.voltage_v,
    eco_mode: ev.eco_mode,
  };
}

function unitSoc(unit: DemoUnit): number {
  return Math.round((100 * unit.stored_wh) / unit.capacity_wh);
}

function batteryTemperature(unit: DemoUnit, index: number): number {
  return round1(19 + index + Math.abs(unit.battery_w) / 1200);
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
