// Platform rules for sensor, number, select and text: classes, units, state classes, ranges.
// Each case is a known-good config with one change and the exact `level:rule` findings.
import { rulesFor, type Config } from './ha-discovery-fixtures';

type Case = [description: string, platform: string, patch: Config, expected: string[]];

const MICRO_SIGN = '\u00b5'; // legacy spelling; HA's canonical micro prefix is U+03BC
const NO_CLASS = {
  device_class: undefined,
  state_class: undefined,
  unit_of_measurement: undefined,
};

const cases: Case[] = [
  ['unknown state_class', 'sensor', { state_class: 'measurment' }, ['error:state-class']],
  ['power in w', 'sensor', { unit_of_measurement: 'w' }, ['error:unit']],
  ['power in BTU/h', 'sensor', { unit_of_measurement: 'BTU/h' }, ['error:unit']],
  ['power in kW', 'sensor', { unit_of_measurement: 'kW' }, []],
  [
    'energy in kWh, total_increasing',
    'sensor',
    { device_class: 'energy', unit_of_measurement: 'kWh', state_class: 'total_increasing' },
    [],
  ],
  [
    'energy in kwh',
    'sensor',
    { device_class: 'energy', unit_of_measurement: 'kwh', state_class: 'total' },
    ['error:unit'],
  ],
  ['voltage in μV (U+03BC)', 'sensor', { device_class: 'voltage', unit_of_measurement: 'μV' }, []],
  [
    'voltage with micro sign',
    'sensor',
    { device_class: 'voltage', unit_of_measurement: `${MICRO_SIGN}V` },
    ['warning:unit-legacy-spelling'],
  ],
  [
    'current with micro sign (not normalised)',
    'sensor',
    { device_class: 'current', unit_of_measurement: `${MICRO_SIGN}A` },
    ['error:unit'],
  ],
  [
    'duration in sec',
    'sensor',
    { device_class: 'duration', unit_of_measurement: 'sec' },
    ['error:unit'],
  ],
  [
    'reactive_power in VAr',
    'sensor',
    { device_class: 'reactive_power', unit_of_measurement: 'VAr' },
    ['warning:unit-legacy-spelling'],
  ],
  [
    'temperature in C',
    'sensor',
    { device_class: 'temperature', unit_of_measurement: 'C' },
    ['error:unit'],
  ],
  [
    'battery in percent',
    'sensor',
    { device_class: 'battery', unit_of_measurement: 'percent' },
    ['error:unit'],
  ],
  [
    'aqi with a unit',
    'sensor',
    { device_class: 'aqi', unit_of_measurement: 'AQI' },
    ['error:unit'],
  ],
  ['aqi without unit', 'sensor', { device_class: 'aqi', unit_of_measurement: undefined }, []],
  [
    'power_factor without unit',
    'sensor',
    { device_class: 'power_factor', unit_of_measurement: null },
    [],
  ],
  ['power without unit', 'sensor', { unit_of_measurement: undefined }, ['warning:unit-missing']],
  ['power with blank unit', 'sensor', { unit_of_measurement: '  ' }, ['warning:unit-missing']],
  [
    'monetary in any currency',
    'sensor',
    { device_class: 'monetary', unit_of_measurement: 'GBP', state_class: 'total' },
    [],
  ],
  [
    'energy with measurement',
    'sensor',
    { device_class: 'energy', unit_of_measurement: 'kWh' },
    ['warning:state-class-mismatch'],
  ],
  [
    'power with total_increasing',
    'sensor',
    { state_class: 'total_increasing' },
    ['warning:state-class-mismatch'],
  ],
  [
    'timestamp with unit',
    'sensor',
    { device_class: 'timestamp', state_class: undefined, unit_of_measurement: 's' },
    ['error:non-numeric-class'],
  ],
  [
    'timestamp with state_class',
    'sensor',
    { device_class: 'timestamp', unit_of_measurement: undefined },
    ['error:non-numeric-class'],
  ],
  [
    'date with unit',
    'sensor',
    { device_class: 'date', state_class: undefined, unit_of_measurement: 'd' },
    ['error:non-numeric-class'],
  ],
  [
    'uptime with state_class',
    'sensor',
    { device_class: 'uptime', unit_of_measurement: undefined },
    ['error:non-numeric-class'],
  ],
  [
    'timestamp',
    'sensor',
    { device_class: 'timestamp', state_class: undefined, unit_of_measurement: undefined },
    [],
  ],
  [
    'measurement_angle in °',
    'sensor',
    { device_class: 'wind_direction', state_class: 'measurement_angle', unit_of_measurement: '°' },
    [],
  ],
  [
    'measurement_angle in deg',
    'sensor',
    { ...NO_CLASS, state_class: 'measurement_angle', unit_of_measurement: 'deg' },
    ['error:measurement-angle-unit'],
  ],
  [
    'enum with options',
    'sensor',
    { ...NO_CLASS, device_class: 'enum', options: ['idle', 'charging'] },
    [],
  ],
  ['options without enum', 'sensor', { ...NO_CLASS, options: ['idle'] }, ['error:sensor-options']],
  [
    'enum with empty options',
    'sensor',
    { ...NO_CLASS, device_class: 'enum', options: [] },
    ['error:sensor-options'],
  ],
  [
    'enum options with unit',
    'sensor',
    { ...NO_CLASS, device_class: 'enum', options: ['a'], unit_of_measurement: 'W' },
    ['error:non-numeric-class', 'error:sensor-options'],
  ],
  [
    'enum options with state_class',
    'sensor',
    { ...NO_CLASS, device_class: 'enum', options: ['a'], state_class: 'measurement' },
    ['error:non-numeric-class', 'error:sensor-options'],
  ],
  [
    'enum without options',
    'sensor',
    { ...NO_CLASS, device_class: 'enum' },
    ['warning:sensor-options'],
  ],
  [
    'last_reset_value_template with measurement',
    'sensor',
    { last_reset_value_template: '{{ value_json.reset }}' },
    ['error:last-reset'],
  ],
  [
    'last_reset_value_template with total',
    'sensor',
    {
      device_class: 'energy',
      unit_of_measurement: 'kWh',
      state_class: 'total',
      last_reset_value_template: '{{ value_json.reset }}',
    },
    [],
  ],
  ['negative expire_after', 'sensor', { expire_after: -5 }, ['error:option-type']],
  [
    'negative suggested_display_precision',
    'sensor',
    { suggested_display_precision: -1 },
    ['error:option-type'],
  ],
  ['negative off_delay', 'binary_sensor', { off_delay: -1 }, ['error:option-type']],
  // number
  ['number min > max', 'number', { min: 100, max: 10 }, ['error:number-range']],
  ['number min == max', 'number', { min: 50, max: 50 }, ['error:number-range']],
  ['number min not numeric', 'number', { min: 'low' }, ['error:number-range']],
  ['number step 0', 'number', { step: 0 }, ['error:number-step']],
  ['number step 0.0001', 'number', { step: 0.0001 }, ['error:number-step']],
  ['number step 0.001', 'number', { step: 0.001 }, []],
  ['number mode Slider', 'number', { mode: 'Slider' }, ['error:number-mode']],
  ['number battery in percent', 'number', { unit_of_measurement: 'percent' }, ['error:unit']],
  [
    'number power without unit',
    'number',
    { device_class: 'power', unit_of_measurement: undefined },
    ['warning:unit-missing'],
  ],
  [
    'number power with micro-sign-free W',
    'number',
    { device_class: 'power', unit_of_measurement: 'W', min: 0, max: 5000 },
    [],
  ],
  // select
  ['select options as a string', 'select', { options: 'Eco' }, ['error:select-options']],
  ['select options with an object', 'select', { options: ['Eco', {}] }, ['error:select-options']],
  ['select with no options', 'select', { options: [] }, ['warning:select-options']],
  // text
  ['text min > max', 'text', { min: 10, max: 5 }, ['error:text-length']],
  ['text max > 255', 'text', { max: 300 }, ['error:text-length']],
  ['text negative min', 'text', { min: -1 }, ['error:text-length']],
  ['text mode secret', 'text', { mode: 'secret' }, ['error:text-mode']],
  ['text mode password', 'text', { mode: 'password' }, []],
  ['text broken pattern', 'text', { pattern: '([a-z' }, ['error:text-pattern']],
  ['text Python named group pattern', 'text', { pattern: '(?P<d>[0-9])(?P=d)' }, []],
  ['text Python inline flag pattern', 'text', { pattern: '(?i)^eco$' }, []],
];

describe('platform rules', () => {
  test.each(cases)('%s (%s)', (_description, platform, patch, expected) => {
    expect(rulesFor(platform, patch)).toEqual(expected);
  });
});
