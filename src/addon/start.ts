#!/usr/bin/env node
// The add-on's start script: the user's options from /data/options.json, Home Assistant's
// broker from the Supervisor, state kept in /data, a health check for the watchdog, then
// the same bridge `npm start` runs.
import * as fs from 'node:fs';
import { type RawOptions, resolveOptions } from '../bridge/config';
import { launchProcess } from '../bridge/launch';
import type { BridgeOptions } from '../bridge/options';
import { BRIDGE_NAME } from '../package-root';
import { type AskOptions, type MqttService, mqttService } from './supervisor';

const ADDON_OPTIONS_FILE = '/data/options.json';
const ADDON_DATA_DIR = '/data';
/** The port config.yaml's watchdog and the image's HEALTHCHECK ask. */
const ADDON_HEALTH_PORT = 8099;

/**
 * Options the add-on fills in itself instead of asking the user, and why. Every other
 * option of the bridge is one of the add-on's options (config.yaml), with the same name.
 */
export const ADDON_SUPPLIED: Record<string, string> = {
  mqtt_url: "Home Assistant's broker, from the Supervisor's MQTT service",
  mqtt_username: "the Supervisor's MQTT service",
  mqtt_password: "the Supervisor's MQTT service",
  mqtt_ca: 'the internal broker needs no CA of its own',
  mqtt_cert: 'the internal broker takes user and password, not certificates',
  mqtt_key: 'the internal broker takes user and password, not certificates',
  mqtt_reject_unauthorized: 'follows the MQTT service: see addonRawOptions',
  local_broker_port: 'the add-on always has a broker: the Supervisor gives it',
  health_port: "fixed, for the add-on's watchdog and health check",
  data_dir: '/data, which outlives restarts and updates and is in backups',
  log_format: 'JSON lines, which the Log tab shows as they are and log tools read',
};

/** The bridge's options from the add-on's options and the Supervisor's MQTT service. */
export function addonRawOptions(
  addonOptions: RawOptions,
  service: MqttService,
  place: AddonPlace = { dataDir: ADDON_DATA_DIR, healthPort: ADDON_HEALTH_PORT },
): RawOptions {
  const raw: RawOptions = {};
  for (const [name, value] of Object.entries(addonOptions)) {
    // The Supervisor writes an optional option the user left empty as null or "".
    if (value !== null && value !== '' && !(name in ADDON_SUPPLIED)) raw[name] = value;
  }
  raw.mqtt_url = `${service.ssl ? 'mqtts' : 'mqtt'}://${service.host}:${service.port}`;
  if (service.username !== undefined) raw.mqtt_username = service.username;
  if (service.password !== undefined) raw.mqtt_password = service.password;
  // The broker's certificate is issued for the user's own domain, never for the internal
  // host name add-ons reach it by, so it cannot verify; the network is the Supervisor's own.
  raw.mqtt_reject_unauthorized = !service.ssl;
  raw.health_port = place.healthPort;
  raw.data_dir = place.dataDir;
  raw.log_format = 'json';
  return raw;
}

/** Where the container keeps state and answers health checks; moved only to try it outside. */
export interface AddonPlace {
  dataDir: string;
  healthPort: number;
}

function readAddonOptions(file: string): RawOptions {
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${file} does not hold the add-on's options`);
  }
  return parsed as RawOptions;
}

export interface AddonEnvironment {
  optionsFile: string;
  supervisor: AskOptions;
  place?: AddonPlace;
}

/**
 * The container's environment. SUPERVISOR_URL, ADDON_OPTIONS_FILE, ADDON_DATA_DIR and
 * ADDON_HEALTH_PORT exist so the start logic can be tried with a stand-in Supervisor.
 */
export function addonEnvironment(env: NodeJS.ProcessEnv): AddonEnvironment {
  return {
    optionsFile: env.ADDON_OPTIONS_FILE || ADDON_OPTIONS_FILE,
    place: {
      dataDir: env.ADDON_DATA_DIR || ADDON_DATA_DIR,
      healthPort: Number(env.ADDON_HEALTH_PORT) || ADDON_HEALTH_PORT,
    },
    supervisor: {
      supervisorUrl: env.SUPERVISOR_URL || 'http://supervisor',
      token: env.SUPERVISOR_TOKEN,
    },
  };
}

/** Everything up to a running bridge: the options it runs with, or an error that says why not. */
export async function addonOptions(environment: AddonEnvironment): Promise<BridgeOptions> {
  const options = readAddonOptions(environment.optionsFile);
  const service = await mqttService(environment.supervisor);
  return resolveOptions(addonRawOptions(options, service, environment.place));
}

async function main(): Promise<void> {
  let options: BridgeOptions;
  try {
    options = await addonOptions(addonEnvironment(process.env));
  } catch (error) {
    process.stderr.write(`${BRIDGE_NAME}: ${(error as Error).message}\n`);
    process.exit(2);
  }
  fs.mkdirSync(options.dataDir, { recursive: true });
  await launchProcess(options);
}

if (require.main === module) void main();
