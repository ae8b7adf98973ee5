// The site of a gateway the bridge has heard of but has no good telemetry from yet: the
// gateway device exists (its rejection counter must be somewhere) with every value unknown.
import type { SiteModel } from '../site/model';

export function emptySite(gatewayId: string): SiteModel {
  return {
    gateway_id: gatewayId,
    gateway: {
      device_id: gatewayId,
      payload_device_id: null,
      firmware: null,
      schema_version: null,
      timestamp: null,
      uptime_seconds: null,
      wifi_rssi_dbm: null,
      wifi_ip: null,
      wifi_ssid: null,
      free_heap_bytes: null,
      heap_internal_free: null,
      heap_internal_largest: null,
      heap_internal_min_free: null,
      log_level: null,
      dongle_count: null,
      ev_control: null,
      inverter_count: 0,
      ev_charger_count: 0,
    },
    inverters: [],
    ev_chargers: [],
  };
}
