// Option values from the command line, the environment and a configuration file, checked
// against the option table with ajv and turned into BridgeOptions.
import Ajv from 'ajv';
import { type BridgeOptions, DEFAULT_OPTIONS } from './options';
import { OPTION_TABLE, type OptionSpec } from './option-table';

export type RawOptions = Record<string, unknown>;

export class ConfigError extends Error {}

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
    default:
      return { type: 'string' };
  }
}

/** Environment variables and flags are text; the table says what each should become. */
export function fromText(spec: OptionSpec, text: string): unknown {
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
    const problems = (validate.errors ?? []).map((error) => {
      const name = error.instancePath.replace(/^\//, '') || String(error.params.additionalProperty);
      const spec = OPTION_TABLE.find((s) => s.name === name);
      const allowed = spec ? allowedText(spec) : 'no such option';
      return `option '${name}' ${error.message ?? 'is invalid'} (${allowed})`;
    });
    throw new ConfigError(problems.join('; '));
  }
  const value = <T>(name: string, fallback: T): T => (raw[name] as T | undefined) ?? fallback;
  const d = DEFAULT_OPTIONS;
  return {
    broker: {
      url: value('mqtt_url', d.broker.url),
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
  };
}

export function allowedText(spec: OptionSpec): string {
  if (spec.type === 'enum') return `one of ${spec.choices?.join(', ')}`;
  if (spec.type === 'integer') return `a whole number from ${spec.min} to ${spec.max}`;
  if (spec.type === 'boolean') return 'true or false';
  return 'text';
}
