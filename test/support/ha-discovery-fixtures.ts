// Known-good discovery configs for the validator's own tests: one complete config per
// platform with device, origin, an availability list and availability_mode all. Each bad
// case in the tests is one of these with a single change, so exactly one rule should fire.
import type { Config } from './ha-discovery-common';
import { validateDiscovery } from './ha-discovery-validator';

export type { Config };

export const DEVICE = {
  identifiers: ['predbat_gw_01'],
  name: 'Predbat Gateway',
  manufacturer: 'Predbat',
  model: 'ESP32 gateway',
  sw_version: '1.2.0',
  configuration_url: 'http://192.168.1.50/',
};

export const ORIGIN = {
  name: 'predbat-gateway-bridge',
  sw_version: '0.1.0',
  support_url: 'https://github.com/example/predbat-gateway-bridge',
};

export const AVAILABILITY = {
  availability: [
    { topic: 'predbat/gw01/status' },
    { topic: 'predbat/bridge/status', payload_available: 'up', payload_not_available: 'down' },
  ],
  availability_mode: 'all',
};

const STATE = 'predbat/gw01/state';

const entity = (uniqueId: string, name: string): Config => ({
  unique_id: uniqueId,
  name,
  device: DEVICE,
  origin: ORIGIN,
  ...AVAILABILITY,
});

export const GOOD: Readonly<Record<string, Config>> = {
  sensor: {
    ...entity('gw01_battery_power', 'Battery power'),
    state_topic: STATE,
    value_template: '{{ value_json.battery.power }}',
    device_class: 'power',
    state_class: 'measurement',
    unit_of_measurement: 'W',
    suggested_display_precision: 0,
    expire_after: 120,
    icon: 'mdi:battery-charging',
  },
  binary_sensor: {
    ...entity('gw01_grid_connected', 'Grid connected'),
    state_topic: STATE,
    value_template: "{{ value_json['grid_ok'] }}",
    payload_on: 'True',
    payload_off: 'False',
    device_class: 'connectivity',
    entity_category: 'diagnostic',
  },
  number: {
    ...entity('gw01_charge_limit', 'Charge limit'),
    command_topic: 'predbat/gw01/charge_limit/set',
    state_topic: STATE,
    value_template: '{{ value_json.charge_limit }}',
    device_class: 'battery',
    unit_of_measurement: '%',
    min: 10,
    max: 100,
    step: 1,
    mode: 'slider',
    entity_category: 'config',
  },
  select: {
    ...entity('gw01_mode', 'Mode'),
    command_topic: 'predbat/gw01/mode/set',
    state_topic: STATE,
    value_template: '{{ value_json.mode }}',
    options: ['Eco', 'Timed', 'Force charge'],
  },
  switch: {
    ...entity('gw01_pause_discharge', 'Pause discharge'),
    command_topic: 'predbat/gw01/pause/set',
    state_topic: STATE,
    value_template: '{{ value_json.pause }}',
    state_on: 'True',
    state_off: 'False',
    device_class: 'switch',
  },
  button: {
    ...entity('gw01_restart', 'Restart'),
    command_topic: 'predbat/gw01/restart',
    payload_press: 'RESTART',
    device_class: 'restart',
    entity_category: 'config',
  },
  text: {
    ...entity('gw01_label', 'Label'),
    command_topic: 'predbat/gw01/label/set',
    state_topic: STATE,
    value_template: '{{ value_json.label }}',
    min: 0,
    max: 32,
    mode: 'text',
    pattern: '^[A-Za-z0-9 ]*$',
  },
};

/** A copy of `config` without `keys`. */
export function omit(config: Config, ...keys: string[]): Config {
  return Object.fromEntries(Object.entries(config).filter(([key]) => !keys.includes(key)));
}

export const topicFor = (platform: string): string =>
  `homeassistant/${platform}/gw01/${String(GOOD[platform].unique_id)}/config`;

export const message = (topic: string, payload: unknown) => ({
  topic,
  payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
});

/** `level:rule` of every issue, the exact expectation most tests compare against. */
export function rulesOf(messages: Array<{ topic: string; payload: string }>, prefix?: string) {
  return validateDiscovery(messages, prefix).map((issue) => `${issue.level}:${issue.rule}`);
}

/** One single-component message: GOOD[platform] with `patch` applied (undefined deletes). */
export function rulesFor(platform: string, patch: Config): string[] {
  const config: Config = { ...GOOD[platform], ...patch };
  return rulesOf([message(topicFor(platform), config)]);
}
