// Recorded-style telemetry for many gateways: each gateway starts from one of the recorded
// fixtures (test/fixtures/*.bin) under its own ids, and every sample moves on 10 s the way
// a site does: the sun rises and sets behind passing clouds, the house load wanders with
// a kettle now and then, the battery takes up the difference, the counters count and
// restart at midnight, the WiFi signal and the heap flutter. Encoded with protobufjs,
// as the gateway's firmware would send it.
import * as fs from 'node:fs';
import type { EvCharger, GatewayStatus, InverterEntry } from '../src/gateway/messages';
import { decodeStatus, encodeStatus } from '../src/gateway/wire';
import { packagePath } from '../src/package-root';

/** The fixtures a fleet is made of, and how common each kind of site is. */
export const FIXTURE_MIX: Array<[string, number]> = [
  ['single-givenergy', 50],
  ['mixed-solis-deye', 15],
  ['ev-charger', 15],
  ['ems-three-aio', 10],
  ['minimal', 5],
  ['future-firmware', 5],
];

export const SAMPLE_SECONDS = 10;
/** 2026-06-01T00:00:00Z: a summer day, so the day's sun is in the stream. */
export const START_UNIX = 1_780_272_000;
/** The simulated sites' clocks: their counters restart at midnight here, as the bridges know. */
export const SITE_ZONE = 'UTC';

const fixtureCache = new Map<string, GatewayStatus>();

function fixture(name: string): GatewayStatus {
  let status = fixtureCache.get(name);
  if (status === undefined) {
    const bytes = fs.readFileSync(packagePath('test', 'fixtures', `${name}.bin`));
    status = decodeStatus(bytes);
    fixtureCache.set(name, status);
  }
  return structuredClone(status);
}

/** The fixture of the i-th gateway of a fleet, spread by FIXTURE_MIX. */
export function fixtureFor(index: number): string {
  const total = FIXTURE_MIX.reduce((sum, [, weight]) => sum + weight, 0);
  let slot = (index * 37) % total;
  for (const [name, weight] of FIXTURE_MIX) {
    if (slot < weight) return name;
    slot -= weight;
  }
  return FIXTURE_MIX[0]?.[0] ?? 'single-givenergy';
}

export function gatewayId(index: number): string {
  return `pbgw_${index.toString(16).padStart(6, '0')}`;
}

/** A small deterministic random source, so every run sends the same stream. */
class Random {
  constructor(private seed: number) {}
  next(): number {
    this.seed = (Math.imul(this.seed ^ (this.seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) | 0;
    return ((this.seed ^ (this.seed >>> 13)) >>> 0) / 4294967296;
  }
  /** Roughly normal, mean 0, deviation 1. */
  gauss(): number {
    return this.next() + this.next() + this.next() - 1.5;
  }
}

interface UnitState {
  entry: InverterEntry;
  pvPeakW: number;
  baseLoadW: number;
  capacityWh: number;
  socExact: number;
  kettleSamples: number;
  energy: { pv: number; imp: number; exp: number; chg: number; dis: number; use: number };
}

export class SiteSimulator {
  readonly id: string;
  private readonly status: GatewayStatus;
  private readonly random: Random;
  private readonly units: UnitState[];
  private clouds = 1;
  private seq = 0;

  constructor(
    readonly index: number,
    name: string = fixtureFor(index),
    startUnix: number = START_UNIX,
  ) {
    this.id = gatewayId(index);
    this.random = new Random(index * 7919 + 17);
    this.status = fixture(name);
    this.status.device_id = this.id;
    // Gateways are spread over the day, so any slice of a fleet's stream holds day and night.
    this.status.timestamp = startUnix + ((index * 7919) % 86_400);
    const tag = index.toString(36).toUpperCase().padStart(4, '0');
    for (const entry of this.status.inverters) {
      entry.serial = `${entry.serial.slice(0, Math.max(2, entry.serial.length - 4))}${tag}`;
    }
    for (const charger of this.status.ev_chargers) {
      charger.charge_point_id = `${charger.charge_point_id}-${tag}`;
    }
    this.units = this.status.inverters.map((entry) => ({
      entry,
      pvPeakW: 2500 + this.random.next() * 4000,
      baseLoadW: 180 + this.random.next() * 250,
      capacityWh: entry.battery?.capacity_wh || 9500,
      socExact: entry.battery?.soc_percent ?? 50,
      kettleSamples: 0,
      energy: { pv: 0, imp: 0, exp: 0, chg: 0, dis: 0, use: 0 },
    }));
  }

  /** The next sample, SAMPLE_SECONDS after the last. */
  next(): GatewayStatus {
    const s = this.status;
    const r = this.random;
    this.seq += 1;
    s.timestamp += SAMPLE_SECONDS;
    s.uptime_seconds += SAMPLE_SECONDS;
    s.wifi_rssi_dbm = Math.round(-61 + r.gauss() * 2);
    s.free_heap_bytes = Math.round(148_000 + r.gauss() * 600);
    s.heap_internal_free = Math.round(61_000 + r.gauss() * 400);
    const hour = (s.timestamp % 86_400) / 3600;
    const midnight = s.timestamp % 86_400 < SAMPLE_SECONDS;
    this.clouds = clamp(this.clouds + r.gauss() * 0.04, 0.25, 1);
    const sun = Math.max(0, Math.sin((Math.PI * (hour - 5)) / 15));
    for (const unit of this.units) this.step(unit, sun, midnight);
    this.aggregateEms();
    for (const charger of s.ev_chargers) this.stepCharger(charger, hour);
    return s;
  }

  /** The next sample as the gateway sends it; `tag` marks it (heap_internal_min_free). */
  nextBytes(tag?: number): Uint8Array {
    const status = this.next();
    status.heap_internal_min_free = tag ?? 40_100;
    return encodeStatus(status);
  }

  private step(unit: UnitState, sun: number, midnight: boolean): void {
    const { entry } = unit;
    const r = this.random;
    const pv = Math.max(0, Math.round(unit.pvPeakW * sun * this.clouds + r.gauss() * 8));
    if (unit.kettleSamples > 0) unit.kettleSamples -= 1;
    else if (r.next() < 0.004) unit.kettleSamples = 18;
    const load = Math.max(
      60,
      Math.round(unit.baseLoadW + (unit.kettleSamples > 0 ? 2200 : 0) + r.gauss() * 25),
    );
    const rate = entry.battery?.rate_max_w || 3000;
    let battery = clamp(pv - load, -rate, rate);
    if ((battery > 0 && unit.socExact >= 100) || (battery < 0 && unit.socExact <= 4)) battery = 0;
    battery = Math.round(battery + r.gauss() * 6);
    const grid = pv - load - battery;
    unit.socExact = clamp(
      unit.socExact + (battery * SAMPLE_SECONDS) / 36 / unit.capacityWh,
      0,
      100,
    );
    if (midnight) unit.energy = { pv: 0, imp: 0, exp: 0, chg: 0, dis: 0, use: 0 };
    const wh = SAMPLE_SECONDS / 3600;
    unit.energy.pv += pv * wh;
    unit.energy.use += load * wh;
    unit.energy.imp += Math.max(0, -grid) * wh;
    unit.energy.exp += Math.max(0, grid) * wh;
    unit.energy.chg += Math.max(0, battery) * wh;
    unit.energy.dis += Math.max(0, -battery) * wh;
    if (entry.battery) {
      const b = entry.battery;
      b.soc_percent = Math.round(unit.socExact);
      b.power_w = battery;
      b.voltage_v = register(51.2 + unit.socExact * 0.03 + r.gauss() * 0.05, 0.01);
      b.current_a = register(battery / b.voltage_v, 0.01);
      b.temperature_c = register(clamp(b.temperature_c + r.gauss() * 0.04, 5, 40), 0.1);
    }
    if (entry.pv) entry.pv.power_w = pv;
    if (entry.load) entry.load.power_w = load;
    if (entry.grid) {
      entry.grid.power_w = grid;
      if (entry.grid.voltage_v) {
        entry.grid.voltage_v = register(
          clamp(entry.grid.voltage_v + r.gauss() * 0.6, 228, 252),
          0.1,
        );
      }
      if (entry.grid.frequency_hz) entry.grid.frequency_hz = register(50 + r.gauss() * 0.03, 0.01);
    }
    if (entry.inverter) {
      entry.inverter.active_power_w = pv - battery;
      if (entry.inverter.temperature_c) {
        const t = entry.inverter.temperature_c + r.gauss() * 0.05;
        entry.inverter.temperature_c = register(clamp(t, 10, 60), 0.1);
      }
    }
    if (entry.energy) {
      const e = entry.energy;
      e.pv_today_wh = Math.round(unit.energy.pv);
      e.consumption_today_wh = Math.round(unit.energy.use);
      e.grid_import_today_wh = Math.round(unit.energy.imp);
      e.grid_export_today_wh = Math.round(unit.energy.exp);
      e.battery_charge_today_wh = Math.round(unit.energy.chg);
      e.battery_discharge_today_wh = Math.round(unit.energy.dis);
    }
  }

  /** An EMS reports its units' sum; its own sub-inverter list mirrors them. */
  private aggregateEms(): void {
    const ems = this.units.find((unit) => unit.entry.ems)?.entry.ems;
    if (!ems) return;
    const others = this.units.filter((unit) => !unit.entry.ems && unit.entry.battery);
    const sum = (f: (u: UnitState) => number): number => others.reduce((a, u) => a + f(u), 0);
    const battery = sum((u) => u.entry.battery?.power_w ?? 0);
    ems.total_pv_w = sum((u) => u.entry.pv?.power_w ?? 0);
    ems.total_load_w = sum((u) => u.entry.load?.power_w ?? 0);
    ems.total_grid_w = sum((u) => u.entry.grid?.power_w ?? 0);
    ems.total_charge_w = Math.max(0, battery);
    ems.total_discharge_w = Math.max(0, -battery);
    ems.total_soc = Math.round(sum((u) => u.socExact) / Math.max(1, others.length));
    ems.sub_inverters.forEach((sub, i) => {
      const unit = others[i];
      if (!unit) return;
      sub.soc = unit.entry.battery?.soc_percent ?? sub.soc;
      sub.battery_w = unit.entry.battery?.power_w ?? 0;
      sub.pv_w = unit.entry.pv?.power_w ?? 0;
      sub.grid_w = unit.entry.grid?.power_w ?? 0;
    });
  }

  /** The car plugs in at six in the evening and charges for a few hours. */
  private stepCharger(charger: EvCharger, hour: number): void {
    const charging = hour >= 18 && hour < 22;
    charger.connected = hour >= 17.5 || hour < 7;
    charger.session_active = charging;
    charger.status = charging ? 'Charging' : charger.connected ? 'SuspendedEV' : 'Available';
    charger.power_w = charging ? Math.round(7100 + this.random.gauss() * 40) : 0;
    if (charging) {
      charger.session_secs += SAMPLE_SECONDS;
      charger.session_energy_wh += Math.round((charger.power_w * SAMPLE_SECONDS) / 3600);
    } else if (!charger.connected) {
      charger.session_secs = 0;
      charger.session_energy_wh = 0;
    }
    charger.voltage_v = Math.round(238 + this.random.gauss() * 1.5);
  }

  /** Unix seconds of the last sample. */
  get timestamp(): number {
    return this.status.timestamp;
  }

  /** How many samples this simulator has produced. */
  get samples(): number {
    return this.seq;
  }
}

/** Inverters keep readings in scaled integer registers (0.1 V, 0.01 Hz …), sent as float32. */
function register(value: number, step: number): number {
  return Math.fround(Math.round(value / step) * step);
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

export interface Outgoing {
  gateway: string;
  topic: string;
  payload: Uint8Array;
}

/**
 * A fleet's messages in the order the broker gets them: gateways take turns, each sending
 * its next sample, as they do when they all report every 10 s. `tag` marks the k-th
 * message (see SiteSimulator.nextBytes).
 */
export function fleetStream(
  sites: SiteSimulator[],
  count: number,
  prefix: string,
  tag?: (k: number) => number,
): Outgoing[] {
  const out: Outgoing[] = [];
  for (let k = 0; k < count; k++) {
    const site = sites[k % sites.length] as SiteSimulator;
    const payload = site.nextBytes(tag?.(k));
    out.push({ gateway: site.id, topic: `${prefix}/${site.id}/status`, payload });
  }
  return out;
}

/** A fleet of sites of the mix, or all of one fixture. */
export function fleet(size: number, fixtureName?: string): SiteSimulator[] {
  return Array.from({ length: size }, (_, index) => new SiteSimulator(index, fixtureName));
}
