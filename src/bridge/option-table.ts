// Every option of the bridge, once: its flag, environment variable, type, bounds and
// default. The command line, --help, the YAML file check and the add-on's options
// schema are all derived from this table.
import { DEFAULT_OPTIONS } from './options';

export type OptionType = 'string' | 'integer' | 'boolean' | 'enum' | 'password';

export interface OptionSpec {
  /** Name in the YAML file and the add-on's options (snake_case). */
  name: string;
  flag: string;
  env: string;
  type: OptionType;
  description: string;
  default?: string | number | boolean;
  min?: number;
  max?: number;
  choices?: string[];
}

const d = DEFAULT_OPTIONS;

export const OPTION_TABLE: OptionSpec[] = [
  {
    name: 'mqtt_url',
    flag: '--mqtt-url',
    env: 'MQTT_URL',
    type: 'string',
    description: "Home Assistant's broker (mqtt://, mqtts://, ws://, wss://)",
    default: d.broker.url,
  },
  {
    name: 'mqtt_username',
    flag: '--mqtt-username',
    env: 'MQTT_USERNAME',
    type: 'string',
    description: 'Broker user name',
  },
  {
    name: 'mqtt_password',
    flag: '--mqtt-password',
    env: 'MQTT_PASSWORD',
    type: 'password',
    description: 'Broker password',
  },
  {
    name: 'mqtt_ca',
    flag: '--mqtt-ca',
    env: 'MQTT_CA',
    type: 'string',
    description: 'CA bundle (PEM file) to trust for TLS',
  },
  {
    name: 'mqtt_cert',
    flag: '--mqtt-cert',
    env: 'MQTT_CERT',
    type: 'string',
    description: 'Client certificate (PEM file) for TLS',
  },
  {
    name: 'mqtt_key',
    flag: '--mqtt-key',
    env: 'MQTT_KEY',
    type: 'string',
    description: "Client certificate's key (PEM file)",
  },
  {
    name: 'mqtt_reject_unauthorized',
    flag: '--mqtt-reject-unauthorized',
    env: 'MQTT_REJECT_UNAUTHORIZED',
    type: 'boolean',
    description: 'Refuse a TLS broker whose certificate does not verify',
    default: d.broker.rejectUnauthorized,
  },
  {
    name: 'gateway_prefix',
    flag: '--gateway-prefix',
    env: 'GATEWAY_PREFIX',
    type: 'string',
    description: 'Topic prefix the gateways publish under ({prefix}/{id}/status)',
    default: d.gatewayPrefix,
  },
  {
    name: 'base_topic',
    flag: '--base-topic',
    env: 'BASE_TOPIC',
    type: 'string',
    description: "Root of the bridge's state and command topics",
    default: d.baseTopic,
  },
  {
    name: 'discovery_prefix',
    flag: '--discovery-prefix',
    env: 'DISCOVERY_PREFIX',
    type: 'string',
    description: "Home Assistant's MQTT discovery prefix",
    default: d.discoveryPrefix,
  },
  {
    name: 'stale_after',
    flag: '--stale-after',
    env: 'STALE_AFTER',
    type: 'integer',
    description: 'Seconds without telemetry before a gateway becomes unavailable',
    default: d.staleAfterSeconds,
    min: 10,
    max: 86400,
  },
  {
    name: 'remove_after',
    flag: '--remove-after',
    env: 'REMOVE_AFTER',
    type: 'integer',
    description:
      "Seconds an inverter or charger may be missing from its gateway's telemetry before it is removed",
    default: d.removeAfterSeconds,
    min: 60,
    max: 31536000,
  },
  {
    name: 'max_payload_bytes',
    flag: '--max-payload-bytes',
    env: 'MAX_PAYLOAD_BYTES',
    type: 'integer',
    description: 'Larger status payloads are rejected unread',
    default: d.maxPayloadBytes,
    min: 1024,
    max: 1048576,
  },
  {
    name: 'max_gateways',
    flag: '--max-gateways',
    env: 'MAX_GATEWAYS',
    type: 'integer',
    description: 'Gateways beyond this many are ignored',
    default: d.maxGateways,
    min: 1,
    max: 100000,
  },
  {
    name: 'max_rate_w',
    flag: '--max-rate-w',
    env: 'MAX_RATE_W',
    type: 'integer',
    description: 'Charge and discharge rate maximum (W) when the battery does not report its own',
    default: d.maxRateW,
    min: 100,
    max: 100000,
  },
  {
    name: 'ev_max_current_a',
    flag: '--ev-max-current-a',
    env: 'EV_MAX_CURRENT_A',
    type: 'integer',
    description: 'EV current limit maximum (A) when the charger does not report its own',
    default: d.evMaxCurrentA,
    min: 7,
    max: 80,
  },
  {
    name: 'heartbeat',
    flag: '--heartbeat',
    env: 'HEARTBEAT',
    type: 'integer',
    description: 'Seconds after which an unchanged state is published again',
    default: d.heartbeatSeconds,
    min: 10,
    max: 86400,
  },
  {
    name: 'log_level',
    flag: '--log-level',
    env: 'LOG_LEVEL',
    type: 'enum',
    description: 'How much to log',
    default: d.logLevel,
    choices: ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'],
  },
];
