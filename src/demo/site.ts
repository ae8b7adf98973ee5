// The demo gateway's simulated site: a GivEnergy EMS leading two All-in-One units, a house,
// solar panels and an EV charger. stepSite moves it on in time from its state alone, so the
// same inputs always give the same site.
import { DateTime } from 'luxon';
import {
  type ControlStatus,
  type EvCharger,
  type ExecutionPlan,
  PLAN_MODE,
  type PlanEntry,
  type ScheduleStatus,
} from '../gateway/messages';
import { dayBit } from '../site/plan';

export interface DemoUnit {
  serial: string;
  dongle_serial: string;
  capacity_wh: number;
  rate_max_w: number;
  /** Stored energy, kept fractional so short steps add up. */
  stored_wh: number;
  battery_w: number;
  pv_w: number;
  load_w: number;
  grid_w: number;
  cycle_count: number;
  throughput_wh: number;
}

/** Controls the demo does not hold but works out: what a plan forces, and no export limit. */
type DerivedControl = 'force_power_w' | 'command_expires' | 'export_limit_w';

/**
 * What the EMS's registers hold: the controls the bridge's entities set, and slot 1 of the
 * EMS's own schedule as HHMM local time.
 */
export type DemoControl = Omit<ControlStatus, DerivedControl> & ScheduleStatus;

/** The charger as it reports itself, with the car's state of charge kept fractional. */
export interface DemoEv extends Omit<EvCharger, 'soc_percent'> {
  car_soc: number;
  car_capacity_wh: number;
}

export interface DemoEnergy {
  pv_wh: number;
  import_wh: number;
  export_wh: number;
  charge_wh: number;
  discharge_wh: number;
  consumption_wh: number;
}

export interface DemoSite {
  id: string;
  ems_serial: string;
  /** The IANA zone the site's clock runs in; schedules and plans are read in it. */
  zone: string;
  started_ms: number;
  last_step_ms: number;
  /** Local date the energy counters belong to; they restart at local midnight. */
  day: string;
  read_only: boolean;
  control: DemoControl;
  units: DemoUnit[];
  ev: DemoEv;
  energy: DemoEnergy;
  plan: ExecutionPlan | null;
  /** The power a plan entry is forcing now (W, positive = charging) and until when. */
  forced: { power_w: number; until: number } | null;
  recent_command_ids: string[];
}

export const DEFAULT_CONTROL: DemoControl = {
  charge_enabled: true,
  discharge_enabled: true,
  charge_rate_w: 3600,
  discharge_rate_w: 3600,
  reserve_soc: 4,
  target_soc: 100,
  charge_start: 30,
  charge_end: 430,
  discharge_start: 0,
  discharge_end: 0,
};

const SITE_PV_PEAK_W = 6000;
const EV_MIN_CURRENT_A = 6;
/** The gateway treats a plan not refreshed within this long as stale. */
export const PLAN_STALE_S = 15 * 60;

export function newDemoSite(id: string, nowMs: number, zone: string): DemoSite {
  const unit = (n: number, soc: number): DemoUnit => ({
    serial: `CHDEMO000${n}`,
    dongle_serial: `WFDEMO000${n}`,
    capacity_wh: 9500,
    rate_max_w: 3600,
    stored_wh: (9500 * soc) / 100,
    battery_w: 0,
    pv_w: 0,
    load_w: 0,
    grid_w: 0,
    cycle_count: 120 + n * 7,
    throughput_wh: 0,
  });
  return {
    id,
    ems_serial: 'EMDEMO0001',
    zone,
    started_ms: nowMs,
    last_step_ms: nowMs,
    day: localTime(nowMs, zone).toISODate() ?? '',
    read_only: false,
    control: { ...DEFAULT_CONTROL },
    units: [unit(1, 55), unit(2, 61)],
    ev: {
      charge_point_id: 'Demo Charger 1',
      connected: true,
      session_active: false,
      status: 'Preparing',
      current_limit_a: 16,
      max_current_a: 32,
      voltage_v: 238,
      power_w: 0,
      session_energy_wh: 0,
      session_secs: 0,
      car_soc: 40,
      car_capacity_wh: 60000,
      eco_mode: 'Eco',
    },
    energy: noEnergy(),
    plan: null,
    forced: null,
    recent_command_ids: [],
  };
}

function noEnergy(): DemoEnergy {
  return { pv_wh: 0, import_wh: 0, export_wh: 0, charge_wh: 0, discharge_wh: 0, consumption_wh: 0 };
}

function localTime(ms: number, zone: string): DateTime {
  return DateTime.fromMillis(ms, { zone });
}

/** Solar output of the whole site: a bell between sunrise and sunset, longer in summer. */
export function pvPower(ms: number, zone: string): number {
  const t = localTime(ms, zone);
  const hour = t.hour + t.minute / 60 + t.second / 3600;
  const dayLength = 12 + 4 * Math.cos((2 * Math.PI * (t.ordinal - 172)) / 365);
  const sunrise = 13 - dayLength / 2;
  const x = (hour - sunrise) / dayLength;
  if (x <= 0 || x >= 1) return 0;
  const season = 0.55 + 0.45 * Math.cos((2 * Math.PI * (t.ordinal - 172)) / 365);
  // Passing clouds: slow, deterministic, never below 40 % of clear sky.
  const seconds = ms / 1000;
  const clouds = 0.7 + 0.3 * Math.sin(seconds / 420) * Math.sin(seconds / 1300);
  return Math.round(SITE_PV_PEAK_W * season * clouds * Math.pow(Math.sin(Math.PI * x), 1.5));
}

/** House consumption: a base load with breakfast, lunch and evening peaks. */
export function houseLoad(ms: number, zone: string): number {
  const t = localTime(ms, zone);
  const hour = t.hour + t.minute / 60;
  const bump = (centre: number, width: number, watts: number): number =>
    watts * Math.exp(-Math.pow((hour - centre) / width, 2));
  const wobble = 120 * Math.sin(ms / 1000 / 97) + 60 * Math.sin(ms / 1000 / 31);
  return Math.round(
    320 + bump(7.5, 0.8, 900) + bump(12.75, 0.7, 500) + bump(18.5, 1.4, 1600) + wobble,
  );
}

function hhmm(t: DateTime): number {
  return t.hour * 100 + t.minute;
}

/** Whether local HHMM now lies in [start, end), a window that may run past midnight. */
export function inWindow(now: number, start: number, end: number): boolean {
  if (start === end) return false;
  return start < end ? now >= start && now < end : now >= start || now < end;
}

export function siteSoc(site: DemoSite): number {
  const stored = site.units.reduce((sum, unit) => sum + unit.stored_wh, 0);
  const capacity = site.units.reduce((sum, unit) => sum + unit.capacity_wh, 0);
  return (100 * stored) / capacity;
}

/** The plan entry in force now, if the plan is fresh and an entry covers this minute. */
export function activePlanEntry(site: DemoSite, ms: number): PlanEntry | undefined {
  const plan = site.plan;
  if (plan === null || ms / 1000 - plan.timestamp > PLAN_STALE_S) return undefined;
  const t = localTime(ms, site.zone);
  return plan.entries.find(
    (entry) =>
      entry.enabled &&
      !entry.use_native &&
      (entry.days_of_week & dayBit(t)) !== 0 &&
      inWindow(
        hhmm(t),
        entry.start_hour * 100 + entry.start_minute,
        entry.end_hour * 100 + entry.end_minute,
      ),
  );
}

/** What the site wants from its batteries now (W, positive = charging). */
function batteryDemand(site: DemoSite, ms: number, surplusW: number): number {
  const c = site.control;
  const soc = siteSoc(site);
  const entry = activePlanEntry(site, ms);
  if (entry !== undefined && entry.mode === PLAN_MODE.charge) {
    return soc < entry.target_soc ? Math.min(entry.power_w || c.charge_rate_w, c.charge_rate_w) : 0;
  }
  if (entry !== undefined && entry.mode === PLAN_MODE.discharge) {
    const floor = Math.max(entry.target_soc, c.reserve_soc);
    const rate = Math.min(entry.power_w || c.discharge_rate_w, c.discharge_rate_w);
    return soc > floor ? -rate : 0;
  }
  const now = hhmm(localTime(ms, site.zone));
  if (entry === undefined && inWindow(now, c.charge_start, c.charge_end) && soc < c.target_soc) {
    return c.charge_rate_w;
  }
  if (entry === undefined && inWindow(now, c.discharge_start, c.discharge_end)) {
    return soc > c.reserve_soc ? -c.discharge_rate_w : 0;
  }
  // Self-consumption: store the surplus, cover the shortfall down to the reserve.
  if (surplusW >= 0) return Math.min(surplusW, c.charge_rate_w);
  return soc > c.reserve_soc ? -Math.min(-surplusW, c.discharge_rate_w) : 0;
}

/** The site at ms: sun, house, car and batteries moved on by the time since the last step. */
export function stepSite(previous: DemoSite, ms: number): DemoSite {
  const site = structuredClone(previous);
  const dt = Math.min(60, Math.max(0, (ms - site.last_step_ms) / 1000));
  site.last_step_ms = ms;
  const local = localTime(ms, site.zone);
  const day = local.toISODate() ?? '';
  // Today's counters hold only what happened since local midnight.
  let dtToday = dt;
  if (day !== site.day) {
    site.day = day;
    site.energy = noEnergy();
    dtToday = Math.min(dt, (ms - local.startOf('day').toMillis()) / 1000);
  }
  stepEv(site.ev, dt);
  const pv = pvPower(ms, site.zone);
  const house = houseLoad(ms, site.zone);
  const demand = house + site.ev.power_w;
  const entry = activePlanEntry(site, ms);
  let wanted = batteryDemand(site, ms, pv - demand);
  if (wanted > 0 && !site.control.charge_enabled) wanted = 0;
  if (wanted < 0 && !site.control.discharge_enabled) wanted = 0;
  site.forced =
    entry === undefined
      ? null
      : { power_w: Math.abs(wanted), until: planEntryEnd(entry, ms, site.zone) };
  let battery = 0;
  const share = wanted / site.units.length;
  for (const unit of site.units) {
    const headroomW = ((unit.capacity_wh - unit.stored_wh) * 3600) / Math.max(dt, 1);
    const availableW = (unit.stored_wh * 3600) / Math.max(dt, 1);
    const limited = clamp(share, -unit.rate_max_w, unit.rate_max_w);
    const power = limited >= 0 ? Math.min(limited, headroomW) : -Math.min(-limited, availableW);
    unit.battery_w = Math.round(power);
    unit.stored_wh = clamp(unit.stored_wh + (unit.battery_w * dt) / 3600, 0, unit.capacity_wh);
    unit.throughput_wh += (Math.abs(unit.battery_w) * dt) / 3600;
    if (unit.throughput_wh >= 2 * unit.capacity_wh) {
      unit.throughput_wh -= 2 * unit.capacity_wh;
      unit.cycle_count += 1;
    }
    unit.pv_w = Math.round(pv / site.units.length);
    unit.load_w = Math.round(demand / site.units.length);
    unit.grid_w = unit.pv_w - unit.load_w - unit.battery_w;
    battery += unit.battery_w;
  }
  const grid = pv - demand - battery;
  const e = site.energy;
  const wh = (watts: number): number => (watts * dtToday) / 3600;
  e.pv_wh += wh(pv);
  e.consumption_wh += wh(demand);
  e.export_wh += wh(Math.max(0, grid));
  e.import_wh += wh(Math.max(0, -grid));
  e.charge_wh += wh(Math.max(0, battery));
  e.discharge_wh += wh(Math.max(0, -battery));
  return site;
}

function stepEv(ev: DemoEv, dt: number): void {
  if (ev.session_active) ev.session_secs += dt;
  const full = ev.car_soc >= 100;
  const charging = ev.connected && ev.session_active && ev.current_limit_a >= EV_MIN_CURRENT_A;
  if (ev.session_active) {
    ev.status = full ? 'SuspendedEV' : charging ? 'Charging' : 'SuspendedEVSE';
  }
  ev.power_w = charging && !full ? Math.round(ev.current_limit_a * ev.voltage_v) : 0;
  const energy = (ev.power_w * dt) / 3600;
  ev.session_energy_wh += energy;
  ev.car_soc = Math.min(100, ev.car_soc + (100 * energy) / ev.car_capacity_wh);
}

/** Unix seconds at which the entry's window ends, as today's (or tomorrow's) local time. */
function planEntryEnd(entry: PlanEntry, ms: number, zone: string): number {
  const now = localTime(ms, zone);
  let end = now.set({
    hour: entry.end_hour % 24,
    minute: entry.end_minute,
    second: 0,
    millisecond: 0,
  });
  if (end <= now) end = end.plus({ days: 1 });
  return Math.floor(end.toSeconds());
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
