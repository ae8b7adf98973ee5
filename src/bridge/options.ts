// The bridge's configuration: every option with its default. The command line, the
// environment, a YAML file and the add-on's options all end up as BridgeOptions.
import { systemTimeZone } from '../gateway/posix-tz';

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
  /** Where a renewed password (a JWT) comes from: a file read again when it changes, or a URL. */
  tokenFile?: string;
  tokenUrl?: string;
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
  /** pretty: one readable line per event; json: pino's JSON lines. Unset: by the terminal. */
  logFormat?: 'pretty' | 'json';
  /** No broker was given: use localhost:localBrokerPort, or an embedded broker there. */
  autoBroker: boolean;
  localBrokerPort: number;
  /** Adds a simulated gateway, so a new user sees entities move with no hardware. */
  demo: boolean;
  /** Port of the HTTP health check; 0: none. */
  healthPort: number;
  dataDir: string;
  /** Commands to the gateway: the JSON envelope deployed gateways read, or protobuf. */
  commandEncoding: 'json' | 'protobuf';
  /** No command leaves the bridge. */
  readOnly: boolean;
  /** IANA zone of the gateways' local time, for execution plans. */
  timezone: string;
  /** A command given while the gateway broker is away is sent on its return if this fresh. */
  commandFreshSeconds: number;
  /** A control's changes within this long are one command: its last value. */
  commandDebounceMs: number;
  /** Telemetry cycles a command has to show up in before it is reported not applied. */
  confirmCycles: number;
  /** The plan in force is sent again this often with a fresh timestamp. */
  planRefreshSeconds: number;
  /** The id tag an EV charging start is authorised with. */
  evIdTag: string;
  /**
   * Fleet mode: bridges with the same group split the gateways' messages between them
   * through an MQTT 5 shared subscription. Unset: this bridge takes every message.
   */
  shareGroup?: string;
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
  autoBroker: false,
  localBrokerPort: 1883,
  demo: false,
  healthPort: 0,
  dataDir: '.data',
  commandEncoding: 'json',
  readOnly: false,
  timezone: systemTimeZone(),
  commandFreshSeconds: 60,
  commandDebounceMs: 500,
  confirmCycles: 3,
  planRefreshSeconds: 300,
  evIdTag: 'predbat',
};
