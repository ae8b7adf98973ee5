// The bridge's own model of a site: what one gateway status message says, in Home
// Assistant's units, with sentinels resolved. Every field is always present, null when
// the gateway did not report it, so the state JSON has a fixed shape.

/** The groups of an inverter entry; only those the gateway sent are in `reported`. */
export const INVERTER_GROUPS = [
  'battery',
  'pv',
  'grid',
  'load',
  'inverter',
  'control',
  'schedule',
  'ems',
  'energy',
] as const;
export type InverterGroup = (typeof INVERTER_GROUPS)[number];

export interface GatewayModel {
  device_id: string;
  /** The device_id inside the payload, when it differs from the topic's. */
  payload_device_id: string | null;
  firmware: string | null;
  schema_version: number | null;
  timestamp: string | null;
  uptime_seconds: number | null;
  wifi_rssi_dbm: number | null;
  wifi_ip: string | null;
  wifi_ssid: string | null;
  free_heap_bytes: number | null;
  heap_internal_free: number | null;
  heap_internal_largest: number | null;
  heap_internal_min_free: number | null;
  log_level: number | null;
  dongle_count: number | null;
  ev_control: boolean | null;
  inverter_count: number;
  ev_charger_count: number;
}

export interface EmsSubInverterModel {
  slot: number;
  soc_percent: number | null;
  battery_power_w: number;
  battery_charge_power_w: number;
  battery_discharge_power_w: number;
  pv_power_w: number;
  grid_power_w: number;
  temperature_c: number | null;
}

export interface InverterModel {
  kind: 'inverter' | 'ems';
  serial: string;
  type: number;
  type_name: string;
  manufacturer: string;
  model: string;
  ip: string | null;
  dongle_serial: string | null;
  connected: boolean;
  active: boolean;
  managed: boolean;
  primary: boolean;
  reported: InverterGroup[];
  battery: {
    soc_percent: number | null;
    voltage_v: number | null;
    current_a: number | null;
    power_w: number | null;
    charge_power_w: number | null;
    discharge_power_w: number | null;
    temperature_c: number | null;
    soh_percent: number | null;
    cycle_count: number | null;
    capacity_kwh: number | null;
    rate_max_w: number | null;
    depth_of_discharge_pct: number | null;
  };
  pv: { power_w: number | null };
  grid: {
    power_w: number | null;
    import_power_w: number | null;
    export_power_w: number | null;
    voltage_v: number | null;
    frequency_hz: number | null;
  };
  load: { power_w: number | null };
  inverter: {
    active_power_w: number | null;
    temperature_c: number | null;
    rate_max_w: number | null;
  };
  control: {
    charge_enabled: boolean | null;
    discharge_enabled: boolean | null;
    charge_rate_w: number | null;
    discharge_rate_w: number | null;
    reserve_soc: number | null;
    target_soc: number | null;
    force_power_w: number | null;
    command_expires: string | null;
    /** null with export_limited false: no limit. */
    export_limit_w: number | null;
    export_limited: boolean | null;
  };
  schedule: {
    charge_start: string | null;
    charge_end: string | null;
    discharge_start: string | null;
    discharge_end: string | null;
  };
  ems: {
    num_inverters: number | null;
    total_soc: number | null;
    total_charge_w: number | null;
    total_discharge_w: number | null;
    total_grid_w: number | null;
    total_grid_import_w: number | null;
    total_grid_export_w: number | null;
    total_pv_w: number | null;
    total_load_w: number | null;
    sub_inverters: EmsSubInverterModel[];
  };
  energy: {
    pv_today_kwh: number | null;
    grid_import_today_kwh: number | null;
    grid_export_today_kwh: number | null;
    battery_charge_today_kwh: number | null;
    battery_discharge_today_kwh: number | null;
    consumption_today_kwh: number | null;
  };
}

export interface EvChargerModel {
  charge_point_id: string;
  connected: boolean;
  session_active: boolean;
  status: string | null;
  power_w: number;
  session_energy_kwh: number;
  session_secs: number;
  current_limit_a: number | null;
  max_current_a: number | null;
  soc_percent: number | null;
  voltage_v: number | null;
  eco_mode: string | null;
}

export interface SiteModel {
  gateway_id: string;
  gateway: GatewayModel;
  inverters: InverterModel[];
  ev_chargers: EvChargerModel[];
}

/** Something in a status message the bridge skipped, said once in the log and counted. */
export interface Problem {
  device: string;
  reason: string;
  /** A part of the message left out, which makes the message count as rejected. */
  skipped: boolean;
}

export interface Translation {
  site: SiteModel;
  problems: Problem[];
}
