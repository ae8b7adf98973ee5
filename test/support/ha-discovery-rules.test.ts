// Per-entity rules: each case is a known-good config with one change, and the exact list of
// `level:rule` findings it must produce (section 7 of ha-discovery.md, one line at a time).
import { DEVICE, ORIGIN, message, rulesFor, rulesOf, type Config } from './ha-discovery-fixtures';

type Case = [description: string, platform: string, patch: Config, expected: string[]];

const cases: Case[] = [
  // required platform keys
  ['sensor without state_topic', 'sensor', { state_topic: undefined }, ['error:required-key']],
  [
    'binary_sensor without state_topic',
    'binary_sensor',
    { state_topic: undefined },
    ['error:required-key'],
  ],
  ['number without command_topic', 'number', { command_topic: undefined }, ['error:required-key']],
  ['select without command_topic', 'select', { command_topic: undefined }, ['error:required-key']],
  ['select without options', 'select', { options: undefined }, ['error:required-key']],
  ['switch without command_topic', 'switch', { command_topic: undefined }, ['error:required-key']],
  ['button without command_topic', 'button', { command_topic: undefined }, ['error:required-key']],
  ['text without command_topic', 'text', { command_topic: undefined }, ['error:required-key']],
  // topic values: publish vs subscribe
  ['+ in command_topic', 'switch', { command_topic: 'predbat/+/set' }, ['error:topic-wildcard']],
  ['# in command_topic', 'number', { command_topic: 'predbat/#' }, ['error:topic-wildcard']],
  [
    '+ inside a state_topic level',
    'sensor',
    { state_topic: 'predbat/gw+/state' },
    ['error:topic-wildcard'],
  ],
  [
    '# not last in state_topic',
    'sensor',
    { state_topic: 'predbat/#/state' },
    ['error:topic-wildcard'],
  ],
  [
    '# not after / in state_topic',
    'sensor',
    { state_topic: 'predbat/gw#' },
    ['error:topic-wildcard'],
  ],
  ['whole-level wildcards in state_topic', 'sensor', { state_topic: 'predbat/+/state/#' }, []],
  ['wildcard json_attributes_topic', 'sensor', { json_attributes_topic: '+/attrs' }, []],
  [
    'control char in state_topic',
    'sensor',
    { state_topic: 'predbat/\u0001' },
    ['error:topic-value'],
  ],
  [
    'C1 control char in topic',
    'select',
    { command_topic: 'predbat/\u0085' },
    ['error:topic-value'],
  ],
  ['non-character in topic', 'sensor', { state_topic: 'predbat/\ufffe' }, ['error:topic-value']],
  ['empty state_topic', 'sensor', { state_topic: '' }, ['error:topic-value']],
  ['numeric state_topic', 'sensor', { state_topic: 5 }, ['error:topic-value']],
  ['topic over 65535 bytes', 'sensor', { state_topic: 'é'.repeat(32768) }, ['error:topic-value']],
  // templates, icon, picture, names, ids
  ['object value_template', 'sensor', { value_template: { a: 1 } }, ['error:template-type']],
  ['icon without prefix', 'sensor', { icon: 'battery' }, ['error:icon']],
  [
    'entity_picture not http(s)',
    'sensor',
    { entity_picture: 'ftp://x/y.png' },
    ['error:entity-picture'],
  ],
  ['entity_picture https', 'sensor', { entity_picture: 'https://x.example/y.png' }, []],
  ['object name', 'sensor', { name: { en: 'x' } }, ['error:option-type']],
  ['name null (main feature)', 'sensor', { name: null }, []],
  ['no unique_id', 'sensor', { unique_id: undefined }, ['warning:unique-id-missing']],
  ['object_id', 'sensor', { object_id: 'gw01_power' }, ['warning:object-id-deprecated']],
  ['obj_id abbreviation', 'sensor', { obj_id: 'gw01_power' }, ['warning:object-id-deprecated']],
  ['default_entity_id with domain', 'sensor', { default_entity_id: 'sensor.gw01_power' }, []],
  [
    'default_entity_id without dot',
    'sensor',
    { default_entity_id: 'gw01_power' },
    ['warning:default-entity-id'],
  ],
  [
    'name starting with device name',
    'sensor',
    { name: 'Predbat Gateway power' },
    ['warning:name-prefix'],
  ],
  [
    'name equal to device name (any case)',
    'sensor',
    { name: 'predbat gateway' },
    ['warning:name-prefix'],
  ],
  ['name merely sharing letters', 'sensor', { name: 'Predbat Gatewayish' }, []],
  // device block
  [
    'unknown device key',
    'sensor',
    { device: { ...dev(), ip: '10.0.0.2' } },
    ['error:device-unknown-key'],
  ],
  [
    'via_dev is not expanded',
    'sensor',
    { device: { ...dev(), via_dev: 'hub' } },
    ['error:device-unknown-key'],
  ],
  ['via_device', 'sensor', { device: { ...dev(), via_device: 'hub' } }, []],
  [
    'device without ids or connections',
    'sensor',
    { device: { name: 'X' } },
    ['error:device-identifiers'],
  ],
  [
    'device with empty identifiers',
    'sensor',
    { device: { ...dev(), identifiers: [] } },
    ['error:device-identifiers'],
  ],
  ['device with identifier string', 'sensor', { device: { ...dev(), identifiers: 'gw01' } }, []],
  [
    'device with connections only',
    'sensor',
    { device: { name: 'Predbat Gateway', connections: [['mac', '02:00:00:00:00:01']] } },
    [],
  ],
  [
    'malformed connection',
    'sensor',
    { device: { ...dev(), connections: [['mac']] } },
    ['error:device-connections'],
  ],
  [
    'object device value',
    'sensor',
    { device: { ...dev(), model: { v: 1 } } },
    ['error:device-value-type'],
  ],
  ['device not an object', 'sensor', { device: 'gw01' }, ['error:device-block']],
  [
    'configuration_url ftp',
    'sensor',
    { device: { ...dev(), configuration_url: 'ftp://gw' } },
    ['error:device-configuration-url'],
  ],
  [
    'configuration_url without host',
    'sensor',
    { device: { ...dev(), configuration_url: 'http://' } },
    ['error:device-configuration-url'],
  ],
  [
    'configuration_url homeassistant://',
    'sensor',
    { device: { ...dev(), configuration_url: 'homeassistant://config/mqtt' } },
    [],
  ],
  [
    'device without name',
    'sensor',
    { device: { identifiers: ['predbat_gw_01'] } },
    ['warning:device-name-missing'],
  ],
  // origin block
  [
    'unknown origin key',
    'sensor',
    { origin: { name: 'b', version: '1' } },
    ['error:origin-unknown-key'],
  ],
  ['origin without name', 'sensor', { origin: { sw_version: '1' } }, ['error:origin-name']],
  [
    'origin sw_version object',
    'sensor',
    { origin: { name: 'b', sw_version: { v: 1 } } },
    ['error:origin-value-type'],
  ],
  [
    'bad origin support_url',
    'sensor',
    { origin: { name: 'b', support_url: 'github' } },
    ['error:origin-support-url'],
  ],
  ['origin not an object', 'sensor', { origin: 'bridge' }, ['error:origin-block']],
  ['no origin', 'sensor', { origin: undefined }, ['warning:origin-missing']],
  // availability and qos
  [
    'availability and availability_topic',
    'sensor',
    { availability_topic: 'predbat/gw01/status' },
    ['error:availability-exclusive'],
  ],
  [
    'availability_topic form',
    'sensor',
    {
      availability: undefined,
      availability_mode: undefined,
      availability_topic: 'predbat/gw01/status',
      payload_available: 'up',
    },
    [],
  ],
  ['single availability object', 'sensor', { availability: { topic: 'predbat/gw01/status' } }, []],
  [
    'availability entry without topic',
    'sensor',
    { availability: [{ payload_available: 'up' }] },
    ['error:availability-entry'],
  ],
  [
    'availability entry not an object',
    'sensor',
    { availability: ['predbat/gw01/status'] },
    ['error:availability-entry'],
  ],
  [
    'wildcard availability topic',
    'sensor',
    { availability: [{ topic: 'predbat/gw+' }] },
    ['error:topic-wildcard'],
  ],
  [
    'availability_mode upper case',
    'sensor',
    { availability_mode: 'ALL' },
    ['error:availability-mode'],
  ],
  [
    'availability_mode unknown',
    'sensor',
    { availability_mode: 'first' },
    ['error:availability-mode'],
  ],
  ['qos 3', 'sensor', { qos: 3 }, ['error:qos']],
  ['qos not a number', 'sensor', { qos: 'one' }, ['error:qos']],
  ['qos "1" is coerced', 'sensor', { qos: '1' }, []],
  // entity_category
  [
    'legacy entity_category system',
    'switch',
    { entity_category: 'system' },
    ['error:entity-category'],
  ],
  ['entity_category Config', 'switch', { entity_category: 'Config' }, ['error:entity-category']],
  [
    'sensor with entity_category config',
    'sensor',
    { entity_category: 'config' },
    ['error:entity-category-config'],
  ],
  [
    'binary_sensor with entity_category config',
    'binary_sensor',
    { entity_category: 'config' },
    ['error:entity-category-config'],
  ],
  // device classes
  ['unknown sensor device_class', 'sensor', { device_class: 'watts' }, ['error:device-class']],
  ['upper-case sensor device_class', 'sensor', { device_class: 'Power' }, []],
  [
    'unknown binary_sensor device_class',
    'binary_sensor',
    { device_class: 'doorbell' },
    ['error:device-class'],
  ],
  ['unknown number device_class', 'number', { device_class: 'soc' }, ['error:device-class']],
  ['switch device_class light', 'switch', { device_class: 'light' }, ['error:device-class']],
  ['switch device_class outlet', 'switch', { device_class: 'outlet' }, []],
  ['button device_class reboot', 'button', { device_class: 'reboot' }, ['error:device-class']],
  ['button device_class identify', 'button', { device_class: 'identify' }, []],
  ['null device_class', 'binary_sensor', { device_class: null }, []],
];

function dev(): Config {
  return { identifiers: ['predbat_gw_01'], name: 'Predbat Gateway' };
}

describe('device triggers and tags (not entities)', () => {
  const trigger = {
    automation_type: 'trigger',
    topic: 'predbat/gw01/button',
    type: 'button_short_press',
    subtype: 'button_1',
    device: DEVICE,
    origin: ORIGIN,
  };
  const topic = (component: string) => `homeassistant/${component}/gw01/t1/config`;

  test('a complete trigger and tag need no unique_id', () => {
    const tag = { topic: 'predbat/gw01/tag', device: DEVICE, origin: ORIGIN };
    expect(
      rulesOf([message(topic('device_automation'), trigger), message(topic('tag'), tag)]),
    ).toEqual([]);
  });

  test('device, topic and automation_type are checked', () => {
    expect(rulesOf([message(topic('tag'), { topic: 'a/b', origin: ORIGIN })])).toEqual([
      'error:required-key',
    ]);
    expect(
      rulesOf([message(topic('device_automation'), { ...trigger, automation_type: 'action' })]),
    ).toEqual(['error:automation-type']);
  });
});

describe('rules common to entity platforms', () => {
  test.each(cases)('%s (%s)', (_description, platform, patch, expected) => {
    expect(rulesFor(platform, patch)).toEqual(expected);
  });
});
