// Option values from the command line, the environment and a configuration file, checked
// against the option table with ajv and turned into BridgeOptions.
import Ajv from 'ajv';
import { IANAZone } from 'luxon';
import { type BridgeOptions, DEFAULT_OPTIONS } from './options';
import { OPTION_TABLE, type OptionSpec, TOPIC_PATTERN, TOPIC_RULE } from './option-table';

export type RawOptions = Record<string, unknown>;

/** An option value start-up cannot go on with; `names` are the options at fault. */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly names: string[] = [],
  ) {
    super(message);
  }
}

/** The JSON Schema of the bridge's configuration (the YAML file and the add-on's options). */
export function configSchema(): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const spec of OPTION_TABLE) properties[spec.name] = specSchema(spec);
  return { type: 'object', additionalProperties: false, properties };
}

function specSchema(spec: OptionSpec): Record<string, unknown> {
  switch (spec.type) {
    case 'integer':
      return { type: 'integer', minimum: spec.min, maximum: spec.max };
    case 'boolean':
      return { type: 'boolean' };
    case 'enum':
      return { enum: spec.choices };
    case 'topic':
      return { type: 'string', pattern: TOPIC_PATTERN };
    default:
      return { type: 'string' };
  }
}

/** Environment variables and flags are text; the table says what each should become. */
function fromText(spec: OptionSpec, text: string): unknown {
  if (spec.type === 'integer') return /^-?\d+$/.test(text.trim()) ? Number(text) : text;
  if (spec.type === 'boolean') {
    if (/^(true|1|yes|on)$/i.test(text)) return true;
    if (/^(false|0|no|off)$/i.test(text)) return false;
  }
  return text;
}

/** Values by option name: command line over environment over file. */
export function collectOptions(
  flags: Record<string, string | undefined>,
  env: NodeJS.ProcessEnv,
  file: RawOptions = {},
): RawOptions {
  const raw: RawOptions = { ...file };
  for (const spec of OPTION_TABLE) {
    // A quoted number or switch in the file ("60", "true") reads as it would from a flag.
    const fileValue = file[spec.name];
    if (typeof fileValue === 'string') raw[spec.name] = fromText(spec, fileValue);
    const envValue = env[spec.env];
    if (envValue !== undefined && envValue !== '') raw[spec.name] = fromText(spec, envValue);
    const flagValue = flags[spec.name];
    if (flagValue !== undefined) raw[spec.name] = fromText(spec, flagValue);
  }
  return raw;
}

export function resolveOptions(raw: RawOptions): BridgeOptions {
  const validate = new Ajv({ allErrors: true }).compile(configSchema());
  if (!validate(raw)) {
    const problems = new Map<string, string>();
    for (const error of validate.errors ?? []) {
      const name = error.instancePath.replace(/^\//, '') || String(error.params.additionalProperty);
      const spec = OPTION_TABLE.find((s) => s.name === name);
      problems.set(
        name,
        spec === undefined
          ? `'${name}' is not an option (--help lists them all)`
          : `${optionText(spec)} must be ${allowedText(spec)}${refused(spec, raw[name])}`,
      );
    }
    throw new ConfigError([...problems.values()].join('; '), [...problems.keys()]);
  }
  const value = <T>(name: string, fallback: T): T => (raw[name] as T | undefined) ?? fallback;
  const d = DEFAULT_OPTIONS;
  const gatewayBroker = gatewayBrokerOptions(raw);
  const localBrokerPort = value('local_broker_port', d.localBrokerPort);
  const autoBroker = raw.mqtt_url === undefined || raw.mqtt_url === '';
  checkUrl(raw, 'mqtt_url', BROKER_SCHEMES);
  checkUrl(raw, 'gateway_mqtt_url', BROKER_SCHEMES);
  checkUrl(raw, 'gateway_mqtt_token_url', ['http:', 'https:']);
  return {
    broker: {
      url: autoBroker ? `mqtt://localhost:${localBrokerPort}` : String(raw.mqtt_url),
      username: value<string | undefined>('mqtt_username', undefined),
      password: value<string | undefined>('mqtt_password', undefined),
      ca: value<string | undefined>('mqtt_ca', undefined),
      cert: value<string | undefined>('mqtt_cert', undefined),
      key: value<string | undefined>('mqtt_key', undefined),
      rejectUnauthorized: value('mqtt_reject_unauthorized', d.broker.rejectUnauthorized),
    },
    gatewayPrefix: value('gateway_prefix', d.gatewayPrefix),
    baseTopic: value('base_topic', d.baseTopic),
    discoveryPrefix: value('discovery_prefix', d.discoveryPrefix),
    staleAfterSeconds: value('stale_after', d.staleAfterSeconds),
    removeAfterSeconds: value('remove_after', d.removeAfterSeconds),
    maxPayloadBytes: value('max_payload_bytes', d.maxPayloadBytes),
    maxGateways: value('max_gateways', d.maxGateways),
    maxRateW: value('max_rate_w', d.maxRateW),
    evMaxCurrentA: value('ev_max_current_a', d.evMaxCurrentA),
    heartbeatSeconds: value('heartbeat', d.heartbeatSeconds),
    birthStateDelayMs: d.birthStateDelayMs,
    logLevel: value('log_level', d.logLevel),
    ...(raw.log_format === undefined ? {} : { logFormat: raw.log_format as 'pretty' | 'json' }),
    ...(gatewayBroker ? { gatewayBroker } : {}),
    autoBroker,
    localBrokerPort,
    demo: value('demo', d.demo),
    healthPort: value('health_port', d.healthPort),
    dataDir: value('data_dir', d.dataDir),
    commandEncoding: value('command_encoding', d.commandEncoding),
    readOnly: value('read_only', d.readOnly),
    timezone: checkedZone(value('timezone', d.timezone)),
    commandFreshSeconds: value('command_fresh_seconds', d.commandFreshSeconds),
    commandDebounceMs: value('command_debounce_ms', d.commandDebounceMs),
    confirmCycles: value('confirm_cycles', d.confirmCycles),
    planRefreshSeconds: value('plan_refresh_seconds', d.planRefreshSeconds),
    evIdTag: value('ev_id_tag', d.evIdTag),
    ...shareGroup(raw),
  };
}

/** A shared subscription's group is one topic level without wildcards. */
function shareGroup(raw: RawOptions): Pick<BridgeOptions, 'shareGroup'> {
  const group = raw.share_group;
  if (typeof group !== 'string' || group === '') return {};
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(group)) {
    throw new ConfigError(
      `option 'share_group' (--share-group, SHARE_GROUP) must be letters, digits, _ or -` +
        ` (one MQTT topic level), not '${group.slice(0, 64)}'`,
    );
  }
  return { shareGroup: group };
}

/** Plans carry the zone as a POSIX rule; a name tzdata does not know cannot become one. */
function checkedZone(zone: string): string {
  if (IANAZone.isValidZone(zone)) return zone;
  throw new ConfigError(
    `option 'timezone' must be an IANA time zone such as Europe/London, not '${zone}'`,
    ['timezone'],
  );
}

const BROKER_SCHEMES = ['mqtt:', 'mqtts:', 'ws:', 'wss:', 'tcp:', 'ssl:', 'tls:'];

/** A URL mqtt.js would refuse is better named at start-up than failing at connect. */
function checkUrl(raw: RawOptions, name: string, schemes: string[]): void {
  const text = raw[name];
  if (typeof text !== 'string' || text === '') return;
  let protocol = '';
  try {
    protocol = new URL(text).protocol;
  } catch {
    // not a URL at all: reported below like a wrong scheme
  }
  if (!schemes.includes(protocol)) {
    const example = schemes[0] === 'http:' ? 'https://HOST/token' : 'mqtt://HOST:1883';
    const allowed = schemes.map((scheme) => scheme.replace(':', '://')).join(', ');
    throw new ConfigError(
      `option '${name}' must be a URL such as ${example} (${allowed}), not '${redact(text)}'`,
      [name],
    );
  }
}

/** Whatever sits before an '@' may be a password: never echo it. */
function redact(text: string): string {
  return text.replace(/^([^@]*\/\/)?[^@/]*@/, '$1***@');
}

/** The gateways' own broker, when one is given; its other options need its URL. */
function gatewayBrokerOptions(raw: RawOptions): BridgeOptions['gatewayBroker'] {
  const url = raw.gateway_mqtt_url as string | undefined;
  if (url === undefined || url === '') {
    // A switch left at its default says nothing; a credential or file without a URL is a
    // mistake the user should hear about rather than find out from a silent gateway.
    const stray = OPTION_TABLE.find(
      (spec) =>
        spec.name.startsWith('gateway_mqtt_') &&
        spec.type !== 'boolean' &&
        raw[spec.name] !== undefined &&
        raw[spec.name] !== '',
    );
    if (stray !== undefined) {
      throw new ConfigError(
        `option '${stray.name}' needs gateway_mqtt_url (the gateways' own broker); without it` +
          " the gateways are read from Home Assistant's broker",
        [stray.name],
      );
    }
    return undefined;
  }
  const text = (name: string): string | undefined => (raw[name] as string | undefined) || undefined;
  return {
    url,
    username: text('gateway_mqtt_username'),
    password: text('gateway_mqtt_password'),
    tokenFile: text('gateway_mqtt_token_file'),
    tokenUrl: text('gateway_mqtt_token_url'),
    ca: text('gateway_mqtt_ca'),
    rejectUnauthorized: (raw.gateway_mqtt_reject_unauthorized as boolean | undefined) ?? true,
  };
}

function optionText(spec: OptionSpec): string {
  return `option '${spec.name}' (${spec.flag}, ${spec.env})`;
}

function allowedText(spec: OptionSpec): string {
  if (spec.type === 'enum') return `one of ${spec.choices?.join(', ')}`;
  if (spec.type === 'integer') return `a whole number from ${spec.min} to ${spec.max}`;
  if (spec.type === 'boolean') return 'true or false';
  if (spec.type === 'topic') return `a topic such as ${spec.default} (${TOPIC_RULE})`;
  return 'text';
}

/** The refused value as the user wrote it, cut short; a password is never repeated. */
function refused(spec: OptionSpec, value: unknown): string {
  if (spec.type === 'password') return '';
  // A control character (a NUL in a topic) is spelled out rather than sent to the terminal.
  const escape = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  const text =
    typeof value === 'string'
      ? `'${value.replace(/\p{Cc}/gu, escape)}'`
      : String(JSON.stringify(value));
  return `, not ${text.length > 66 ? `${text.slice(0, 64)}…` : text}`;
}
