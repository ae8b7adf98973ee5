// Whole-message rules of the validator: good configs stay silent, then topics, payloads,
// abbreviations, `~`, device-based discovery and the checks that span several messages.
import { MAIN_ABBREVIATIONS } from './ha-discovery-tables';
import { expandAbbreviations, validateDiscovery } from './ha-discovery-validator';
import {
  AVAILABILITY,
  DEVICE,
  GOOD,
  ORIGIN,
  message,
  omit,
  rulesOf,
  topicFor,
  type Config,
} from './ha-discovery-fixtures';

const sensorOptions = omit(GOOD.sensor, 'unique_id', 'device', 'origin');
const components = Object.fromEntries(
  Object.entries(GOOD).map(([platform, config]) => [
    platform,
    { p: platform, ...omit(config, 'device', 'origin', 'availability', 'availability_mode') },
  ]),
);
const deviceMessage = (payload: Config, topic = 'homeassistant/device/gw01/config') =>
  message(topic, payload);
const GOOD_DEVICE: Config = { dev: DEVICE, o: ORIGIN, ...AVAILABILITY, cmps: components };

describe('known-good configs', () => {
  test.each(Object.keys(GOOD))('%s has no error or warning', (platform) => {
    expect(validateDiscovery([message(topicFor(platform), GOOD[platform])])).toEqual([]);
  });

  test('all platforms together, plus a removal, have no error or warning', () => {
    const messages = Object.keys(GOOD).map((p) => message(topicFor(p), GOOD[p]));
    messages.push(message('homeassistant/sensor/gw01/old/config', ''));
    expect(validateDiscovery(messages)).toEqual([]);
  });

  test('the abbreviated spelling of a good sensor has no error or warning', () => {
    const abbreviated = {
      uniq_id: 'gw01_soc',
      name: 'State of charge',
      stat_t: '~/state',
      '~': 'predbat/gw01',
      val_tpl: '{{ value_json.soc }}',
      dev_cla: 'battery',
      stat_cla: 'measurement',
      unit_of_meas: '%',
      dev: { ids: ['predbat_gw_01'], name: 'Predbat Gateway', mf: 'Predbat', cu: 'http://gw/' },
      o: { name: 'predbat-gateway-bridge', sw: '0.1.0', url: 'https://example.com' },
      avty: [{ t: '~/status', pl_avail: 'up', pl_not_avail: 'down' }],
      avty_mode: 'all',
    };
    expect(
      validateDiscovery([message('homeassistant/sensor/gw01_soc/config', abbreviated)]),
    ).toEqual([]);
  });

  test('a device-discovery message carrying every platform has no error or warning', () => {
    expect(validateDiscovery([deviceMessage(GOOD_DEVICE)])).toEqual([]);
  });

  test('a custom discovery prefix is honoured', () => {
    expect(rulesOf([message('pb/sensor/gw01/x/config', GOOD.sensor)], 'pb')).toEqual([]);
    expect(rulesOf([message('homeassistant/sensor/gw01/x/config', GOOD.sensor)], 'pb')).toEqual([
      'error:topic-shape',
    ]);
  });
});

describe('topics and payloads', () => {
  test.each([
    ['predbat/sensor/gw01/x/config', 'error:topic-shape'],
    ['homeassistant/sensor/a/b/c/config', 'error:topic-shape'],
    ['homeassistant/sensor/gw01/state', 'error:topic-shape'],
    ['homeassistant/sensor/gw01/battery.power/config', 'error:topic-chars'],
    ['homeassistant/sensor/gw01/battery power/config', 'error:topic-chars'],
    ['homeassistant/sensor/gw01/+/config', 'error:topic-chars'],
    ['homeassistant/sensor//power/config', 'error:topic-chars'],
    ['homeassistant/sensor/gw01/puissance_é/config', 'error:topic-chars'],
    ['homeassistant/weather/gw01/power/config', 'error:component-unsupported'],
  ])('%s → %s', (topic, expected) => {
    expect(rulesOf([message(topic, GOOD.sensor)])).toEqual([expected]);
  });

  test('the illegal-topic message quotes the topic as HA does', () => {
    expect(validateDiscovery([message('homeassistant/sensor/gw01/a.b/config', '{}')])).toEqual([
      {
        topic: 'homeassistant/sensor/gw01/a.b/config',
        level: 'error',
        rule: 'topic-chars',
        message:
          "Received message on illegal discovery topic 'homeassistant/sensor/gw01/a.b/config'. The topic contains non allowed characters (levels must match [a-zA-Z0-9_-]+)",
      },
    ]);
  });

  test.each(['{bad', '[1, 2]', '"sensor"', 'null', '42'])(
    'payload %s is not a JSON object',
    (p) => {
      expect(rulesOf([message(topicFor('sensor'), p)])).toEqual(['error:payload-json']);
    },
  );

  test('an empty payload is a removal, and the last retained payload per topic wins', () => {
    const topic = topicFor('sensor');
    expect(rulesOf([message(topic, '')])).toEqual([]);
    expect(rulesOf([message(topic, '{bad'), message(topic, GOOD.sensor)])).toEqual([]);
    expect(rulesOf([message(topic, GOOD.sensor), message(topic, '{bad')])).toEqual([
      'error:payload-json',
    ]);
  });

  test('migrate_discovery alone is a migration request; a non-true value warns', () => {
    expect(rulesOf([message(topicFor('sensor'), { migr_discvry: true })])).toEqual([]);
    expect(
      rulesOf([message(topicFor('sensor'), { ...GOOD.sensor, migrate_discovery: 1 })]),
    ).toEqual(['warning:migrate-discovery']);
  });

  test('~ is substituted at either end of topic options and availability topics', () => {
    const config = { ...GOOD.switch, '~': 'predbat/+', command_topic: '~/set', state_topic: 'x/~' };
    const issues = validateDiscovery([message(topicFor('switch'), config)]);
    expect(issues.map((i) => [i.rule, i.message])).toEqual([
      ['topic-wildcard', "command_topic 'predbat/+/set': Wildcards cannot be used in topic names"],
    ]);
    const availability = { ...GOOD.sensor, '~': 'pb#', availability: [{ topic: '~/status' }] };
    expect(rulesOf([message(topicFor('sensor'), availability)])).toEqual(['error:topic-wildcard']);
    expect(rulesOf([message(topicFor('sensor'), { ...GOOD.sensor, '~': 5 })])).toEqual([
      'error:topic-base',
    ]);
  });
});

describe('expandAbbreviations', () => {
  test('holds the full main table of the doc', () => {
    expect(Object.keys(MAIN_ABBREVIATIONS)).toHaveLength(258);
    expect(MAIN_ABBREVIATIONS).toMatchObject({
      hum_state_tpl: 'target_humidity_state_template',
      cmps: 'components',
      def_ent_id: 'default_entity_id',
      migr_discvry: 'migrate_discovery',
      xy_val_tpl: 'xy_value_template',
      act_t: 'action_topic',
    });
  });

  test('expands the top level, device, origin and availability entries only', () => {
    const input = {
      stat_t: 'a',
      dev_cla: 'power',
      unit_of_meas: 'W',
      json_attr: { stat_t: 'nested, untouched' },
      dev: { ids: 'gw', cns: [['mac', 'x']], mf: 'M', mdl: 'm', mdl_id: 'i', hw: 'h', sw: 's' },
      o: { name: 'b', sw: '1', url: 'https://x' },
      avty: [{ t: 'a', pl_avail: 'up', pl_not_avail: 'down', val_tpl: '{{ value }}' }],
    };
    expect(expandAbbreviations(input)).toEqual({
      state_topic: 'a',
      device_class: 'power',
      unit_of_measurement: 'W',
      json_attributes: { stat_t: 'nested, untouched' },
      device: {
        identifiers: 'gw',
        connections: [['mac', 'x']],
        manufacturer: 'M',
        model: 'm',
        model_id: 'i',
        hw_version: 'h',
        sw_version: 's',
      },
      origin: { name: 'b', sw_version: '1', support_url: 'https://x' },
      availability: [
        {
          topic: 'a',
          payload_available: 'up',
          payload_not_available: 'down',
          value_template: '{{ value }}',
        },
      ],
    });
    expect(input.stat_t).toBe('a'); // input untouched
  });

  test('the short key wins over the long one; device keys are not main keys', () => {
    expect(expandAbbreviations({ state_topic: 'long', stat_t: 'short' })).toEqual({
      state_topic: 'short',
    });
    expect(expandAbbreviations({ dev: { sa: 'Garage', sn: '1', cu: 'http://x', t: 'y' } })).toEqual(
      {
        device: {
          suggested_area: 'Garage',
          serial_number: '1',
          configuration_url: 'http://x',
          t: 'y',
        },
      },
    );
    expect(
      expandAbbreviations({ avty: { t: 'a' }, cmps: { s: { p: 'sensor', stat_t: 'b' } } }),
    ).toEqual({
      availability: { topic: 'a' },
      components: { s: { platform: 'sensor', state_topic: 'b' } },
    });
  });
});

describe('device-based discovery', () => {
  test.each<[string, Config, string[]]>([
    ['empty root', {}, Array(3).fill('error:device-discovery-required')],
    ['missing origin', { ...GOOD_DEVICE, o: undefined }, ['error:device-discovery-required']],
    ['extra root key ~', { ...GOOD_DEVICE, '~': 'predbat' }, ['error:device-discovery-extra-key']],
    ['extra root key name', { ...GOOD_DEVICE, name: 'x' }, ['error:device-discovery-extra-key']],
    [
      'components not an object',
      { ...GOOD_DEVICE, cmps: '' },
      ['error:device-discovery-components'],
    ],
    [
      'component without p',
      { ...GOOD_DEVICE, cmps: { s: sensorOptions } },
      ['error:component-platform'],
    ],
    [
      'unsupported platform',
      { ...GOOD_DEVICE, cmps: { w: { p: 'weather', unique_id: 'w' } } },
      ['error:component-platform'],
    ],
    [
      'entity without unique_id',
      { ...GOOD_DEVICE, cmps: { s: { p: 'sensor', ...sensorOptions } } },
      ['error:component-unique-id'],
    ],
    ['platform-only removal marker', { ...GOOD_DEVICE, cmps: { s: { p: 'sensor' } } }, []],
    [
      'root device without name',
      { ...GOOD_DEVICE, dev: { ids: 'gw01' } },
      ['warning:device-name-missing'],
    ],
    [
      'bad root device key',
      { ...GOOD_DEVICE, dev: { ...DEVICE, mac: 'x' } },
      ['error:device-unknown-key'],
    ],
    ['bad root command_topic', { ...GOOD_DEVICE, command_topic: 'a/#' }, ['error:topic-wildcard']],
    [
      'odd component id',
      { ...GOOD_DEVICE, cmps: { 'a b': components.sensor } },
      ['warning:component-id-chars'],
    ],
    [
      'root rejection hides component errors',
      { dev: DEVICE, cmps: { s: { ...components.sensor, unit_of_measurement: 'w' } } },
      ['error:device-discovery-required'],
    ],
    [
      'state_topic inherited from the root',
      {
        ...GOOD_DEVICE,
        stat_t: 'predbat/gw01/state',
        cmps: { s: { ...components.sensor, state_topic: undefined } },
      },
      [],
    ],
    [
      'root availability_topic meets component availability',
      {
        ...GOOD_DEVICE,
        availability: undefined,
        availability_topic: 'a/status',
        cmps: { s: { ...components.sensor, availability: [{ topic: 'b/status' }] } },
      },
      ['error:availability-exclusive'],
    ],
    [
      'device trigger without unique_id',
      {
        ...GOOD_DEVICE,
        cmps: {
          t: {
            p: 'device_automation',
            atype: 'trigger',
            t: 'a/b',
            type: 'button_short_press',
            stype: 'button_1',
          },
        },
      },
      [],
    ],
    [
      '~ inside a component',
      {
        ...GOOD_DEVICE,
        cmps: { s: { ...components.sensor, '~': 'predbat/gw01', state_topic: '~/state' } },
      },
      [],
    ],
  ])('%s', (_description, payload, expected) => {
    expect(rulesOf([deviceMessage(payload)])).toEqual(expected);
  });

  test('component findings name the component', () => {
    const payload = {
      ...GOOD_DEVICE,
      cmps: { pw: { ...components.sensor, unit_of_measurement: 'w' } },
    };
    expect(validateDiscovery([deviceMessage(payload)])).toEqual([
      {
        topic: 'homeassistant/device/gw01/config',
        level: 'error',
        rule: 'unit',
        message:
          'components.pw: The unit of measurement `w` is not valid together with device class `power`',
      },
    ]);
  });
});

describe('checks across messages', () => {
  test('a duplicate unique_id within a domain is an error, across domains it is fine', () => {
    const other = message('homeassistant/sensor/gw01/copy/config', GOOD.sensor);
    expect(validateDiscovery([message(topicFor('sensor'), GOOD.sensor), other])).toEqual([
      {
        topic: 'homeassistant/sensor/gw01/copy/config',
        level: 'error',
        rule: 'duplicate-unique-id',
        message: `Platform mqtt does not generate unique IDs. ID gw01_battery_power already exists (${topicFor('sensor')}) - ignoring sensor`,
      },
    ]);
    const number = { ...GOOD.number, unique_id: GOOD.sensor.unique_id };
    expect(
      rulesOf([message(topicFor('sensor'), GOOD.sensor), message(topicFor('number'), number)]),
    ).toEqual([]);
  });

  test('duplicate unique_ids inside one device message are caught', () => {
    const cmps = { a: components.sensor, b: { ...components.sensor, name: 'Copy' } };
    expect(rulesOf([deviceMessage({ ...GOOD_DEVICE, cmps })])).toEqual([
      'error:duplicate-unique-id',
    ]);
  });

  test('the same discovery ID via single-component and device topics conflicts', () => {
    const single = message('homeassistant/sensor/gw01/pw/config', GOOD.sensor);
    const device = deviceMessage({
      ...GOOD_DEVICE,
      cmps: { pw: { ...components.sensor, unique_id: 'other' } },
    });
    expect(rulesOf([single, device])).toEqual(['warning:discovery-conflict']);
  });

  test('a device named in one message is matched by identifiers in another', () => {
    const bare = {
      ...GOOD.select,
      device: { identifiers: DEVICE.identifiers },
      name: 'Predbat Gateway mode',
    };
    expect(
      rulesOf([message(topicFor('sensor'), GOOD.sensor), message(topicFor('select'), bare)]),
    ).toEqual(['warning:device-name-missing', 'warning:name-prefix']);
  });
});
