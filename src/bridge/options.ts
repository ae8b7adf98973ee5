// The bridge's configuration: every option with its default. The command line, the
// environment, a YAML file and the add-on's options all end up as BridgeOptions.

export interface BrokerOptions {
  url: string;
  username?: string;
  password?: string;
  /** Path of a CA bundle to trust. */
  ca?: string;
  /** Paths of a client certificate and its key. */
  cert?: string;
  key?: string;
  rejectUnauthorized: boolean;
  clientId?: string;
}

export interface BridgeOptions {
  /** Home Assistant's broker; the gateways' too unless gatewayBroker is given. */
  broker: BrokerOptions;
  gatewayBroker?: BrokerOptions;
  /** Gateways publish on {gatewayPrefix}/{id}/status and …/online. */
  gatewayPrefix: string;
  baseTopic: string;
  discoveryPrefix: string;
  /** A gateway with no telemetry for this long becomes unavailable. */
  staleAfterSeconds: number;
  /** An inverter or charger missing from its gateway's telemetry this long is removed. */
  removeAfterSeconds: number;
  /** Payloads larger than this are rejected unread. */
  maxPayloadBytes: number;
  /** Gateways beyond this many are ignored, so a flood of ids cannot exhaust memory. */
  maxGateways: number;
  /** Number maximum when a unit does not report its own, by unit. */
  maxRateW: number;
  evMaxCurrentA: number;
  /** States are republished unchanged at least this often, so expire_after holds. */
  heartbeatSeconds: number;
  /** Wait after Home Assistant's birth before sending states, so its entities exist. */
  birthStateDelayMs: number;
  logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
}

export const DEFAULT_OPTIONS: Omit<BridgeOptions, 'broker'> & { broker: BrokerOptions } = {
  broker: { url: 'mqtt://localhost:1883', rejectUnauthorized: true },
  gatewayPrefix: 'predbat/devices',
  baseTopic: 'predbat_bridge',
  discoveryPrefix: 'homeassistant',
  staleAfterSeconds: 180,
  removeAfterSeconds: 86400,
  maxPayloadBytes: 65536,
  maxGateways: 1000,
  maxRateW: 5000,
  evMaxCurrentA: 32,
  heartbeatSeconds: 300,
  birthStateDelayMs: 2000,
  logLevel: 'info',
};
