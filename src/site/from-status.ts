// Gateway wire → the bridge's model: one decoded GatewayStatus becomes a SiteModel.
import type { EvCharger, GatewayStatus, InverterEntry } from '../gateway/messages';
import { EMS_TYPE, inverterTypeInfo } from './inverter-types';
import {
  type EvChargerModel,
  type GatewayModel,
  INVERTER_GROUPS,
  type InverterModel,
  type Problem,
  type Translation,
} from './model';
import {
  float32,
  isoTime,
  kwh,
  negativePart,
  positivePart,
  reported,
  reportedText,
  timeOfDay,
} from './values';

export interface SiteLimits {
  /** Longest serial or charge point id kept; longer ones are skipped as hostile. */
  maxIdLength: number;
  maxInverters: number;
  maxEvChargers: number;
}

export const DEFAULT_SITE_LIMITS: SiteLimits = {
  maxIdLength: 64,
  maxInverters: 32,
  maxEvChargers: 16,
};

/** The gateway id comes from the topic: it is what the broker authenticated. */
export function siteFromStatus(
  gatewayId: string,
  status: GatewayStatus,
  limits: SiteLimits = DEFAULT_SITE_LIMITS,
): Translation {
  const problems: Problem[] = [];
  const payloadId = status.device_id;
  // An empty or near-empty payload decodes to a message of defaults. A real gateway's
  // telemetry always has a sample time, its firmware or a unit; without any it is no news.
  if (
    status.inverters.length === 0 &&
    status.ev_chargers.length === 0 &&
    status.timestamp === 0 &&
    status.firmware === ''
  ) {
    throw new Error('the message carries no telemetry: no sample time, firmware or unit');
  }
  if (payloadId !== '' && payloadId !== gatewayId) {
    problems.push({
      device: gatewayId,
      reason:
        `payload device_id '${shortId(payloadId)}' differs from the topic's;` +
        " the topic's id is used",
      skipped: false,
    });
  }
  const inverters = keepIdentified(
    status.inverters,
    (entry) => entry.serial,
    'inverter',
    limits.maxInverters,
    limits,
    problems,
    gatewayId,
  ).map((entry) => inverterModel(entry, new Readings(problems, gatewayId, entry.serial)));
  const chargers = keepIdentified(
    status.ev_chargers,
    (charger) => charger.charge_point_id,
    'EV charger',
    limits.maxEvChargers,
    limits,
    problems,
    gatewayId,
  ).map((charger) =>
    evChargerModel(charger, new Readings(problems, gatewayId, charger.charge_point_id)),
  );
  return {
    site: {
      gateway_id: gatewayId,
      gateway: gatewayModel(gatewayId, status, inverters.length, chargers.length),
      inverters,
      ev_chargers: chargers,
    },
    problems,
  };
}

/** Drops entries with no usable identity, duplicates and those over the cap, saying why. */
function keepIdentified<T>(
  entries: T[],
  idOf: (entry: T) => string,
  what: string,
  cap: number,
  limits: SiteLimits,
  problems: Problem[],
  gatewayId: string,
): T[] {
  const seen = new Set<string>();
  const kept: T[] = [];
  const skip = (device: string, reason: string) =>
    problems.push({ device, reason: `${what} ${reason}`, skipped: true });
  // Named only for a skipped entry: most messages skip none.
  const unit = (id: string) => `${gatewayId}/${shortId(id)}`;
  let beyondCap = 0;
  for (const entry of entries) {
    const id = idOf(entry);
    if (id === '') skip(gatewayId, 'without an id skipped');
    else if (id.length > limits.maxIdLength)
      skip(unit(id), `id longer than ${limits.maxIdLength} skipped`);
    else if (/\p{Cc}/u.test(id)) skip(unit(id), 'id with control characters skipped');
    else if (seen.has(id)) skip(unit(id), 'id repeated in one message: the second is skipped');
    else if (kept.length >= cap) beyondCap += 1;
    else {
      seen.add(id);
      kept.push(entry);
    }
  }
  // One problem for all the units over the cap, so a long list is one line in the log.
  if (beyondCap > 0)
    skip(gatewayId, `entries beyond the ${cap} a gateway may have: ${beyondCap} skipped`);
  return kept;
}

function gatewayModel(
  gatewayId: string,
  status: GatewayStatus,
  inverterCount: number,
  evChargerCount: number,
): GatewayModel {
  return {
    device_id: gatewayId,
    payload_device_id: status.device_id === gatewayId ? null : reportedText(status.device_id),
    firmware: reportedText(status.firmware),
    schema_version: status.schema_version,
    timestamp: isoTime(status.timestamp),
    uptime_seconds: status.uptime_seconds,
    wifi_rssi_dbm: reported(status.wifi_rssi_dbm),
    wifi_ip: reportedText(status.wifi_ip),
    wifi_ssid: reportedText(status.wifi_ssid),
    free_heap_bytes: status.free_heap_bytes,
    heap_internal_free: status.heap_internal_free,
    heap_internal_largest: status.heap_internal_largest,
    heap_internal_min_free: status.heap_internal_min_free,
    log_level: status.log_level,
    dongle_count: status.dongle_count,
    ev_control: status.ev_control ?? null,
    inverter_count: inverterCount,
    ev_charger_count: evChargerCount,
  };
}

function inverterModel(entry: InverterEntry, read: Readings): InverterModel {
  const info = inverterTypeInfo(entry.type);
  const { battery, grid, control, schedule, ems, energy } = entry;
  return {
    kind: entry.type === EMS_TYPE ? 'ems' : 'inverter',
    serial: entry.serial,
    type: entry.type,
    type_name: info.type_name,
    manufacturer: info.manufacturer,
    model: reportedText(entry.model) ?? info.model,
    ip: reportedText(entry.ip),
    dongle_serial: reportedText(entry.dongle_serial),
    connected: entry.connected,
    active: entry.active,
    managed: entry.managed,
    primary: entry.primary,
    reported: INVERTER_GROUPS.filter((group) => entry[group] != null),
    battery: {
      soc_percent: battery ? read.percent('battery soc_percent', battery.soc_percent) : null,
      voltage_v: battery ? read.float('battery voltage_v', battery.voltage_v) : null,
      current_a: battery ? read.float('battery current_a', battery.current_a) : null,
      power_w: battery ? battery.power_w : null,
      charge_power_w: battery ? positivePart(battery.power_w) : null,
      discharge_power_w: battery ? negativePart(battery.power_w) : null,
      temperature_c: battery ? read.float('battery temperature_c', battery.temperature_c) : null,
      soh_percent: battery
        ? read.percent('battery soh_percent', reported(battery.soh_percent))
        : null,
      cycle_count: battery ? battery.cycle_count : null,
      capacity_kwh: battery ? kwh(battery.capacity_wh) : null,
      rate_max_w: battery ? reported(battery.rate_max_w) : null,
      depth_of_discharge_pct: battery
        ? read.percent('battery depth_of_discharge_pct', reported(battery.depth_of_discharge_pct))
        : null,
    },
    pv: { power_w: entry.pv ? entry.pv.power_w : null },
    grid: {
      power_w: grid ? grid.power_w : null,
      // The gateway's grid power is positive when exporting.
      import_power_w: grid ? negativePart(grid.power_w) : null,
      export_power_w: grid ? positivePart(grid.power_w) : null,
      voltage_v: grid ? read.reportedFloat('grid voltage_v', grid.voltage_v) : null,
      frequency_hz: grid ? read.reportedFloat('grid frequency_hz', grid.frequency_hz) : null,
    },
    load: { power_w: entry.load ? entry.load.power_w : null },
    inverter: {
      active_power_w: entry.inverter ? entry.inverter.active_power_w : null,
      temperature_c: entry.inverter
        ? read.reportedFloat('inverter temperature_c', entry.inverter.temperature_c)
        : null,
      rate_max_w: entry.inverter ? reported(entry.inverter.rate_max_w) : null,
    },
    control: {
      charge_enabled: control ? control.charge_enabled : null,
      discharge_enabled: control ? control.discharge_enabled : null,
      charge_rate_w: control ? control.charge_rate_w : null,
      discharge_rate_w: control ? control.discharge_rate_w : null,
      reserve_soc: control ? read.percent('control reserve_soc', control.reserve_soc) : null,
      target_soc: control ? read.percent('control target_soc', control.target_soc) : null,
      force_power_w: control ? control.force_power_w : null,
      command_expires: control ? isoTime(control.command_expires) : null,
      // 0 is "no limit" and 1 is a limit of 0 W.
      export_limit_w: control ? exportLimit(control.export_limit_w) : null,
      export_limited: control ? control.export_limit_w !== 0 : null,
    },
    schedule: {
      charge_start: schedule ? read.time('schedule charge_start', schedule.charge_start) : null,
      charge_end: schedule ? read.time('schedule charge_end', schedule.charge_end) : null,
      discharge_start: schedule
        ? read.time('schedule discharge_start', schedule.discharge_start)
        : null,
      discharge_end: schedule ? read.time('schedule discharge_end', schedule.discharge_end) : null,
    },
    ems: {
      num_inverters: ems ? ems.num_inverters : null,
      total_soc: ems ? read.percent('ems total_soc', ems.total_soc) : null,
      total_charge_w: ems ? ems.total_charge_w : null,
      total_discharge_w: ems ? ems.total_discharge_w : null,
      total_grid_w: ems ? ems.total_grid_w : null,
      total_grid_import_w: ems ? negativePart(ems.total_grid_w) : null,
      total_grid_export_w: ems ? positivePart(ems.total_grid_w) : null,
      total_pv_w: ems ? ems.total_pv_w : null,
      total_load_w: ems ? ems.total_load_w : null,
      sub_inverters: (ems?.sub_inverters ?? []).map((unit, index) => ({
        slot: index + 1,
        soc_percent: read.percent('ems sub_inverter soc', unit.soc),
        battery_power_w: unit.battery_w,
        battery_charge_power_w: positivePart(unit.battery_w),
        battery_discharge_power_w: negativePart(unit.battery_w),
        pv_power_w: unit.pv_w,
        grid_power_w: unit.grid_w,
        temperature_c: read.float('ems sub_inverter temp_c', unit.temp_c),
      })),
    },
    energy: {
      pv_today_kwh: energy ? kwh(energy.pv_today_wh) : null,
      grid_import_today_kwh: energy ? kwh(energy.grid_import_today_wh) : null,
      grid_export_today_kwh: energy ? kwh(energy.grid_export_today_wh) : null,
      battery_charge_today_kwh: energy ? kwh(energy.battery_charge_today_wh) : null,
      battery_discharge_today_kwh: energy ? kwh(energy.battery_discharge_today_wh) : null,
      consumption_today_kwh: energy ? kwh(energy.consumption_today_wh) : null,
    },
  };
}

/**
 * One unit's readings where the contract bounds them: a percentage outside 0–100, a
 * float that is no number, an HHMM that is no time of day. Each is shown as unknown, and
 * the message counts as rejected with a problem naming the field (logged once, whatever
 * the value).
 */
class Readings {
  constructor(
    private readonly problems: Problem[],
    private readonly gatewayId: string,
    private readonly id: string,
  ) {}

  percent(field: string, value: number | null): number | null {
    if (value === null || (value >= 0 && value <= 100)) return value;
    return this.unknown(field, 'is outside 0–100');
  }

  float(field: string, value: number): number | null {
    return Number.isFinite(value) ? float32(value) : this.unknown(field, 'is not a number');
  }

  /** A float where 0 means "not reported". */
  reportedFloat(field: string, value: number): number | null {
    return value === 0 ? null : this.float(field, value);
  }

  time(field: string, hhmm: number): string | null {
    return timeOfDay(hhmm) ?? this.unknown(field, 'is not a time of day (HHMM)');
  }

  private unknown(field: string, what: string): null {
    this.problems.push({
      device: `${this.gatewayId}/${shortId(this.id)}`,
      reason: `${field} ${what}: shown as unknown`,
      skipped: true,
    });
    return null;
  }
}

/** Ids from the wire can be any length; a log line or a state shows at most 64 characters. */
function shortId(id: string): string {
  return id.length > 64 ? `${id.slice(0, 63)}…` : id;
}

function exportLimit(raw: number): number | null {
  if (raw === 0) return null;
  return raw === 1 ? 0 : raw;
}

function evChargerModel(charger: EvCharger, read: Readings): EvChargerModel {
  return {
    charge_point_id: charger.charge_point_id,
    connected: charger.connected,
    session_active: charger.session_active,
    status: reportedText(charger.status),
    power_w: charger.power_w,
    session_energy_kwh: kwh(charger.session_energy_wh),
    session_secs: charger.session_secs,
    current_limit_a: reported(charger.current_limit_a),
    max_current_a: reported(charger.max_current_a),
    soc_percent: read.percent('soc_percent', reported(charger.soc_percent)),
    voltage_v: reported(charger.voltage_v),
    eco_mode: reportedText(charger.eco_mode),
  };
}
