// The wire messages as protobufjs decodes them (snake_case, every scalar at its value,
// an absent sub-message as null). Field meanings are those of proto/predbat_gateway.proto.

export interface BatteryStatus {
  soc_percent: number;
  voltage_v: number;
  current_a: number;
  power_w: number;
  temperature_c: number;
  soh_percent: number;
  cycle_count: number;
  capacity_wh: number;
  rate_max_w: number;
  depth_of_discharge_pct: number;
}

export interface PvStatus {
  power_w: number;
}

export interface GridStatus {
  power_w: number;
  voltage_v: number;
  frequency_hz: number;
}

export interface LoadStatus {
  power_w: number;
}

export interface InverterData {
  active_power_w: number;
  temperature_c: number;
  rate_max_w: number;
}

export interface ControlStatus {
  charge_enabled: boolean;
  discharge_enabled: boolean;
  charge_rate_w: number;
  discharge_rate_w: number;
  reserve_soc: number;
  target_soc: number;
  force_power_w: number;
  command_expires: number;
  export_limit_w: number;
}

export interface ScheduleStatus {
  charge_start: number;
  charge_end: number;
  discharge_start: number;
  discharge_end: number;
}

export interface EmsSubInverter {
  soc: number;
  battery_w: number;
  pv_w: number;
  grid_w: number;
  temp_c: number;
}

export interface EmsStatus {
  num_inverters: number;
  total_soc: number;
  total_charge_w: number;
  total_discharge_w: number;
  total_grid_w: number;
  total_pv_w: number;
  total_load_w: number;
  sub_inverters: EmsSubInverter[];
}

export interface EnergyCounters {
  pv_today_wh: number;
  grid_import_today_wh: number;
  grid_export_today_wh: number;
  battery_charge_today_wh: number;
  battery_discharge_today_wh: number;
  consumption_today_wh: number;
}

export interface EvCharger {
  connected: boolean;
  session_active: boolean;
  status: string;
  power_w: number;
  session_energy_wh: number;
  session_secs: number;
  current_limit_a: number;
  soc_percent: number;
  charge_point_id: string;
  max_current_a: number;
  voltage_v: number;
  eco_mode: string;
}

export interface InverterEntry {
  /** An InverterType number; numbers newer firmware adds are kept as they are. */
  type: number;
  serial: string;
  ip: string;
  connected: boolean;
  active: boolean;
  battery: BatteryStatus | null;
  pv: PvStatus | null;
  grid: GridStatus | null;
  load: LoadStatus | null;
  inverter: InverterData | null;
  control: ControlStatus | null;
  schedule: ScheduleStatus | null;
  ems: EmsStatus | null;
  energy: EnergyCounters | null;
  managed: boolean;
  primary: boolean;
  dongle_serial: string;
  model: string;
}

export interface GatewayStatus {
  device_id: string;
  dongle_count: number;
  firmware: string;
  timestamp: number;
  schema_version: number;
  inverters: InverterEntry[];
  uptime_seconds: number;
  wifi_rssi_dbm: number;
  free_heap_bytes: number;
  log_level: number;
  wifi_ip: string;
  /** Absent (undefined) when the gateway does not send it. */
  ev_control?: boolean | null;
  ev_chargers: EvCharger[];
  wifi_ssid: string;
  heap_internal_free: number;
  heap_internal_largest: number;
  heap_internal_min_free: number;
}

export const PLAN_MODE = { auto: 0, charge: 1, discharge: 2 } as const;

export interface PlanEntry {
  enabled: boolean;
  start_hour: number;
  start_minute: number;
  end_hour: number;
  end_minute: number;
  mode: number;
  power_w: number;
  target_soc: number;
  days_of_week: number;
  use_native: boolean;
}

export interface ExecutionPlan {
  timestamp: number;
  plan_version: number;
  timezone: string;
  entries: PlanEntry[];
}

/** The command envelope, JSON by default, or protobuf GatewayCommand. */
export interface GatewayCommand {
  command: string;
  command_id: string;
  serial?: string;
  power_w?: number;
  target_soc?: number;
  enable?: boolean;
  schedule_json?: string;
}

/** An EV charger action on …/ev/command. */
export type EvAction =
  | { action: 'SetChargingProfile'; current_a: number }
  | { action: 'RemoteStartTransaction'; id_tag: string }
  | { action: 'RemoteStopTransaction' };
