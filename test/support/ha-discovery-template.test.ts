// renderValueTemplate must print values the way Python/Jinja would, and entityStateFromMessage
// must return the state HA shows (or throw where HA ignores or fails the message).
import { GOOD } from './ha-discovery-fixtures';
import { entityStateFromMessage, renderValueTemplate } from './ha-discovery-validator';

describe('renderValueTemplate', () => {
  test.each([
    // [template, payload, rendered]
    [undefined, ' 12 ', ' 12 '],
    ['{{ value }}', ' 12 ', '12'],
    ['V={{ value }}', '230', 'V=230'],
    ['{{ value_json.a.b }}', '{"a": {"b": 1.0}}', '1.0'],
    ['{{ value_json.a.b }}', '{"a": {"b": 1}}', '1'],
    ['{{ value_json.n }}', '{"n": 12345678901234567890}', '12345678901234567890'],
    ['{{ value_json.n }}', '{"n": 1e16}', '1e+16'],
    ['{{ value_json.n }}', '{"n": 1.5e-5}', '1.5e-05'],
    ['{{ value_json.n }}', '{"n": 0.0001}', '0.0001'],
    ['{{ value_json.n }}', '{"n": 0.30000000000000004}', '0.30000000000000004'],
    ['{{ value_json.n }}', '{"n": -0.0}', '-0.0'],
    ['{{ value_json.n }}', '{"n": 1234567890123456.7}', '1234567890123456.8'],
    ['{{ value_json.n }}', '{"n": null}', 'None'],
    ['{{ value_json.n }}', '{"n": true}', 'True'],
    ['{{ value_json.n }}', '{"n": false}', 'False'],
    ['{{ value_json.n }}', '{"n": ["a", 1, null, 2.5]}', "['a', 1, None, 2.5]"],
    ['{{ value_json.n }}', '{"n": {"it\'s": true}}', '{"it\'s": True}'],
    ["{{ value_json['a'] }}", '{"a": "x"}', 'x'],
    ['{{ value_json["a"]["b"] }}', '{"a": {"b": "y"}}', 'y'],
    ['{{ value_json.list[1] }}', '{"list": [1, 2]}', '2'],
    ['{{ value_json.list.0 }}', '{"list": [1, 2]}', '1'],
    ['{{ value_json.list[-1] }}', '{"list": [1, 2]}', '2'],
    ["{{ value_json['values'] }}", '{"values": 3}', '3'],
    ['{{ value_json.x | default(0) }}', '{}', '0'],
    ["{{ value_json.x | default('n/a') }}", '{}', 'n/a'],
    ['{{ value_json.x | default(1) }}', '{"x": null}', 'None'],
    ['{{ value_json.x | default(1, true) }}', '{"x": null}', '1'],
    ['{{ value_json | default("raw") }}', 'not json', 'raw'],
    ['{{ value_json.p | round(1) }}', '{"p": 2.25}', '2.2'],
    ['{{ value_json.p | round(2) }}', '{"p": 2.675}', '2.67'],
    ['{{ value_json.p | round }}', '{"p": 2.5}', '2'],
    ['{{ value_json.p | round }}', '{"p": 3.5}', '4'],
    ['{{ value_json.p | round }}', '{"p": -2.5}', '-2'],
    ['{{ value_json.p | round(2) }}', '{"p": 7}', '7.0'],
    ['{{ value_json.p | round(2) }}', '{"p": "3.14159"}', '3.14'],
    ['{{ value_json.p | round(0, "floor") }}', '{"p": 2.9}', '2'],
    ['{{ value_json.p | int }}', '{"p": "42.7"}', '42'],
    ['{{ value_json.p | int }}', '{"p": 42.7}', '42'],
    ['{{ value_json.p | int }}', '{"p": true}', '1'],
    ['{{ value_json.p | int(0) }}', '{"p": "abc"}', '0'],
    ['{{ value_json.p | float }}', '{"p": "5"}', '5.0'],
    ['{{ value_json.p | float(0) }}', '{"p": "x"}', '0'],
    ['{{ value_json.p | float | round(1) }}', '{"p": "1.25"}', '1.2'],
    ['{{ value_json | tojson }}', '{"b": 1, "a": "<é>"}', '{"a": "\\u003c\\u00e9\\u003e", "b": 1}'],
    ['{{ value_json.a | tojson }}', '{"a": [1.0, null, true]}', '[1.0, null, true]'],
  ])('%s with %s renders %s', (template, payload, rendered) => {
    expect(renderValueTemplate(template, payload)).toBe(rendered);
  });

  test.each([
    ['{{ value_json.missing }}', '{}', /undefined/],
    ['{{ value_json.a.b | default(1) }}', '{}', /undefined value/],
    ['{{ value_json.a }}', 'not json', /undefined value/],
    ['{{ value_json.p | int }}', '{"p": "abc"}', /'int' got invalid input abc/],
    ['{{ value_json.p | float }}', '{"p": null}', /'float' got invalid input None/],
    ['{{ value_json.p | round }}', '{}', /'round' applied to an undefined value/],
    ['{{ value_json.values }}', '{"values": 3}', /dict method/],
    ['{% if value %}on{% endif %}', 'x', /statements unsupported/],
    ['{{ states("sensor.x") }}', 'x', /unsupported expression 'states'/],
    ['{{ value | upper }}', 'x', /unsupported filter 'upper'/],
  ])('%s with %s throws', (template, payload, error) => {
    expect(() => renderValueTemplate(template, payload)).toThrow(error);
  });
});

describe('entityStateFromMessage', () => {
  /** A known-good config carrying its platform, as a device-discovery component does. */
  const good = (platform: string) => ({ ...GOOD[platform], platform });
  const sensor = good('sensor');
  const plain = { state_topic: 's', value_template: '{{ value_json.status }}' };

  test.each([
    // [case, config, payload, state]
    ['numeric sensor, int', sensor, '{"battery": {"power": 1500}}', '1500'],
    ['numeric sensor, float', sensor, '{"battery": {"power": -12.5}}', '-12.5'],
    ['numeric sensor, null', sensor, '{"battery": {"power": null}}', 'unknown'],
    ['plain sensor text', { ...plain, platform: 'sensor' }, '{"status": "Charging"}', 'Charging'],
    [
      'enum sensor option',
      { ...plain, platform: 'sensor', device_class: 'enum', options: ['idle', 'charging'] },
      '{"status": "idle"}',
      'idle',
    ],
    [
      'timestamp with offset',
      { platform: 'sensor', device_class: 'timestamp' },
      '2024-05-01T10:00:00+02:00',
      '2024-05-01T08:00:00+00:00',
    ],
    [
      'timestamp with Z and fraction',
      { platform: 'sensor', device_class: 'timestamp' },
      '2024-05-01T10:00:00.123Z',
      '2024-05-01T10:00:00+00:00',
    ],
    ['date', { platform: 'sensor', device_class: 'date' }, '2024-05-01', '2024-05-01'],
    ['binary_sensor true', good('binary_sensor'), '{"grid_ok": true}', 'on'],
    ['binary_sensor false', good('binary_sensor'), '{"grid_ok": false}', 'off'],
    ['binary_sensor null', good('binary_sensor'), '{"grid_ok": null}', 'unknown'],
    ['binary_sensor default payload_on', { platform: 'binary_sensor' }, 'ON', 'on'],
    ['switch state_on', good('switch'), '{"pause": true}', 'on'],
    ['switch state_off', good('switch'), '{"pause": false}', 'off'],
    [
      'switch defaults to payload_off',
      { platform: 'switch', payload_on: '1', payload_off: '0' },
      '0',
      'off',
    ],
    ['select option', good('select'), '{"mode": "Force charge"}', 'Force charge'],
    ['select None', good('select'), '{"mode": null}', 'unknown'],
    ['number int', good('number'), '{"charge_limit": 80}', '80'],
    ['number float', good('number'), '{"charge_limit": 80.0}', '80.0'],
    ['number "-0"', { ...good('number'), min: -1 }, '{"charge_limit": "-0"}', '-0.0'],
    ['number negative', { ...good('number'), min: -100 }, '{"charge_limit": -5}', '-5.0'],
    ['number reset', good('number'), '{"charge_limit": null}', 'unknown'],
    ['text', good('text'), '{"label": "Garage"}', 'Garage'],
  ])('%s', (_case, config, payload, state) => {
    expect(entityStateFromMessage(config, payload)).toBe(state);
  });

  test('the platform can be passed explicitly for single-component configs', () => {
    expect(entityStateFromMessage(GOOD.select, '{"mode": "Eco"}', 'select')).toBe('Eco');
  });

  test.each([
    ['numeric sensor, text', sensor, '{"battery": {"power": "n/a"}}', /non-numeric value 'n\/a'/],
    ['numeric sensor, inf', sensor, '{"battery": {"power": "inf"}}', /non-numeric value 'inf'/],
    ['numeric sensor, missing key', sensor, '{"battery": {}}', /undefined/],
    ['numeric sensor, empty', sensor, '{"battery": {"power": ""}}', /empty state/],
    [
      'enum sensor, unknown option',
      { ...plain, platform: 'sensor', device_class: 'enum', options: ['idle'] },
      '{"status": "x"}',
      /not one of the options/,
    ],
    [
      'naive timestamp',
      { platform: 'sensor', device_class: 'timestamp' },
      '2024-05-01T10:00:00',
      /no timezone/,
    ],
    [
      'non-ISO timestamp',
      { platform: 'sensor', device_class: 'timestamp' },
      'yesterday',
      /not an ISO 8601/,
    ],
    [
      'binary_sensor no match',
      good('binary_sensor'),
      '{"grid_ok": "maybe"}',
      /no matching payload/,
    ],
    ['switch no match', good('switch'), '{"pause": "ON"}', /matches neither/],
    ['select unknown option', good('select'), '{"mode": "Bogus"}', /not one of the options/],
    ['number out of range', good('number'), '{"charge_limit": 5}', /outside the range 10 - 100/],
    ['number not numeric', good('number'), '{"charge_limit": "high"}', /not a number/],
    ['button', good('button'), 'PRESS', /no state model for platform 'button'/],
    ['no platform', GOOD.sensor, '1', /no state model for platform 'undefined'/],
  ])('%s throws', (_case, config, payload, error) => {
    expect(() => entityStateFromMessage(config, payload)).toThrow(error);
  });
});
