// Every option of the bridge, once: its flag, environment variable, type, bounds and
// default. The command line, --help, the YAML file check and the add-on's options
// schema are all derived from this table.
import { DEFAULT_OPTIONS } from './options';

export type OptionType = 'string' | 'integer' | 'boolean' | 'enum' | 'password' | 'topic';

/**
 * A topic option (a prefix the bridge builds its topics under): one or more levels joined by
 * '/', none empty, without the wildcards '+' and '#' or NUL, which no broker accepts in a
 * published topic, and not starting with '$', which brokers keep for themselves ($SYS,
 * $share). Written for both JSON Schema (ajv) and the Supervisor's match(), which is Python.
 */
export const TOPIC_PATTERN = '^[^/+#$\\x00][^/+#\\x00]*(/[^/+#\\x00]+)*$';

/** What TOPIC_PATTERN allows, in words. */
export const TOPIC_RULE =
  "levels joined by '/', none empty, without '+', '#', NUL or a leading '$'";

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
  /** What --help says the default is, when the value alone would not tell. */
  defaultText?: string;
}

const d = DEFAULT_OPTIONS;

export const OPTION_TABLE: OptionSpec[] = [
  {
    name: 'mqtt_url',
    flag: '--mqtt-url',
    env: 'MQTT_URL',
    type: 'string',
    description:
      "Home Assistant's broker (mqtt://, mqtts://, ws://, wss://); none: localhost or an embedded one",
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
    description: "Client certificate's key, a PEM file",
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
    name: 'gateway_mqtt_url',
    flag: '--gateway-mqtt-url',
    env: 'GATEWAY_MQTT_URL',
    type: 'string',
    description: "The gateways' broker when it is not Home Assistant's; none: the same broker",
  },
  {
    name: 'gateway_mqtt_username',
    flag: '--gateway-mqtt-username',
    env: 'GATEWAY_MQTT_USERNAME',
    type: 'string',
    description: 'Gateway broker user name',
  },
  {
    name: 'gateway_mqtt_password',
    flag: '--gateway-mqtt-password',
    env: 'GATEWAY_MQTT_PASSWORD',
    type: 'password',
    description: 'Gateway broker password or token; a JWT is renewed before it expires',
  },
  {
    name: 'gateway_mqtt_token_file',
    flag: '--gateway-mqtt-token-file',
    env: 'GATEWAY_MQTT_TOKEN_FILE',
    type: 'string',
    description: "File holding the gateway broker's password or JWT, read again when it changes",
  },
  {
    name: 'gateway_mqtt_token_url',
    flag: '--gateway-mqtt-token-url',
    env: 'GATEWAY_MQTT_TOKEN_URL',
    type: 'string',
    description:
      "URL answering with a fresh gateway-broker JWT, as plain text or JSON with 'token'",
  },
  {
    name: 'gateway_mqtt_ca',
    flag: '--gateway-mqtt-ca',
    env: 'GATEWAY_MQTT_CA',
    type: 'string',
    description: 'CA bundle (PEM file) to trust for the gateway broker',
  },
  {
    name: 'gateway_mqtt_reject_unauthorized',
    flag: '--gateway-mqtt-reject-unauthorized',
    env: 'GATEWAY_MQTT_REJECT_UNAUTHORIZED',
    type: 'boolean',
    description: 'Refuse a TLS gateway broker whose certificate does not verify',
    default: d.broker.rejectUnauthorized,
  },
  {
    name: 'local_broker_port',
    flag: '--local-broker-port',
    env: 'LOCAL_BROKER_PORT',
    type: 'integer',
    description:
      'Without a broker URL: the local port to use; an embedded broker starts there if none does',
    default: d.localBrokerPort,
    min: 1,
    max: 65535,
  },
  {
    name: 'gateway_prefix',
    flag: '--gateway-prefix',
    env: 'GATEWAY_PREFIX',
    type: 'topic',
    description: 'Topic prefix the gateways publish under: {prefix}/{id}/status',
    default: d.gatewayPrefix,
  },
  {
    name: 'base_topic',
    flag: '--base-topic',
    env: 'BASE_TOPIC',
    type: 'topic',
    description: "Root of the bridge's state and command topics",
    default: d.baseTopic,
  },
  {
    name: 'discovery_prefix',
    flag: '--discovery-prefix',
    env: 'DISCOVERY_PREFIX',
    type: 'topic',
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
      "Seconds an inverter or charger may be missing from its gateway's telemetry before it is" +
      ' removed, and an inverter may report it takes no commands before its controls are',
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
    name: 'share_group',
    flag: '--share-group',
    env: 'SHARE_GROUP',
    type: 'string',
    description:
      "Fleet mode: bridges with the same group split the gateways' messages (MQTT 5 shared" +
      ' subscription; letters, digits, _ and -); none: this bridge takes them all',
  },
  {
    name: 'demo',
    flag: '--demo',
    env: 'DEMO',
    type: 'boolean',
    description: 'Add a simulated gateway that publishes telemetry and obeys commands',
    default: d.demo,
  },
  {
    name: 'health_port',
    flag: '--health-port',
    env: 'HEALTH_PORT',
    type: 'integer',
    description: 'Port of the HTTP health check (GET /health); 0: none',
    default: d.healthPort,
    min: 0,
    max: 65535,
  },
  {
    name: 'data_dir',
    flag: '--data-dir',
    env: 'DATA_DIR',
    type: 'string',
    description: 'Folder where the bridge keeps what must outlive a restart',
    default: d.dataDir,
  },
  {
    name: 'command_encoding',
    flag: '--command-encoding',
    env: 'COMMAND_ENCODING',
    type: 'enum',
    description: 'How commands reach the gateway; deployed gateways read json',
    default: d.commandEncoding,
    choices: ['json', 'protobuf'],
  },
  {
    name: 'read_only',
    flag: '--read-only',
    env: 'READ_ONLY',
    type: 'boolean',
    description: 'Show everything but send no command or plan to any gateway',
    default: d.readOnly,
  },
  {
    name: 'timezone',
    flag: '--timezone',
    env: 'TIMEZONE',
    type: 'string',
    description: "IANA time zone of the gateways' local time, e.g. Europe/London",
    default: d.timezone,
    defaultText: `this machine's zone, here ${d.timezone}`,
  },
  {
    name: 'command_fresh_seconds',
    flag: '--command-fresh-seconds',
    env: 'COMMAND_FRESH_SECONDS',
    type: 'integer',
    description:
      'A command given while the gateway broker is away is sent on its return within this many seconds, else reported expired',
    default: d.commandFreshSeconds,
    min: 1,
    max: 3600,
  },
  {
    name: 'command_debounce_ms',
    flag: '--command-debounce-ms',
    env: 'COMMAND_DEBOUNCE_MS',
    type: 'integer',
    description:
      'Milliseconds a control must rest before its value is sent, so a dragged slider sends once',
    default: d.commandDebounceMs,
    min: 0,
    max: 10000,
  },
  {
    name: 'confirm_cycles',
    flag: '--confirm-cycles',
    env: 'CONFIRM_CYCLES',
    type: 'integer',
    description: 'Telemetry messages a command has to show up in before it is reported not applied',
    default: d.confirmCycles,
    min: 1,
    max: 30,
  },
  {
    name: 'plan_refresh_seconds',
    flag: '--plan-refresh-seconds',
    env: 'PLAN_REFRESH_SECONDS',
    type: 'integer',
    description: 'Seconds between sends of the plan in force with a fresh timestamp',
    default: d.planRefreshSeconds,
    min: 1,
    max: 3600,
  },
  {
    name: 'ev_id_tag',
    flag: '--ev-id-tag',
    env: 'EV_ID_TAG',
    type: 'string',
    description: 'OCPP id tag an EV charging start from Home Assistant is authorised with',
    default: d.evIdTag,
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
  {
    name: 'log_format',
    flag: '--log-format',
    env: 'LOG_FORMAT',
    type: 'enum',
    description:
      'How log lines look: pretty for reading, json (one JSON object a line) for log tools;' +
      ' none: pretty on a terminal, json otherwise',
    choices: ['pretty', 'json'],
  },
];
