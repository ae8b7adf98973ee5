// The gateway's controls and command sensors as Home Assistant receives them: configs it
// accepts, and states it renders from the gateway's state JSON.
import { NO_RESULT } from '../../src/bridge/command-results';
import { discoveryConfigs } from '../../src/homeassistant/discovery';
import {
  entityStateFromMessage,
  renderValueTemplate,
  validateDiscovery,
} from '../support/ha-discovery-validator';
import { OPTIONS, TEMPLATES, fixtureDevices } from '../support/pipeline';

const EXTRAS = {
  read_only: null,
  battery_mode: 'Auto',
  forced_mode_minutes: 60,
  plan: {
    summary: 'Charge 01:30-04:30',
    source: 'plan_topic',
    version: 1796300400,
    built_at: '2026-12-03T12:20:00Z',
    timezone: 'Europe/London',
    entries: [
      {
        start: '01:30',
        end: '04:30',
        mode: 'charge',
        power_w: 3000,
        target_soc: 100,
        days: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'],
        enabled: true,
      },
    ],
  },
  command_result: NO_RESULT,
};

const CONTROL_KEYS = ['read_only', 'battery_mode', 'forced_mode_minutes', 'plan', 'command_result'];

function gatewayConfigs(extras: Record<string, unknown>) {
  const [gateway] = fixtureDevices('single-givenergy', extras);
  if (gateway === undefined) throw new Error('no gateway');
  const configs = discoveryConfigs(gateway, TEMPLATES, OPTIONS);
  return { gateway, configs: configs.filter((c) => CONTROL_KEYS.includes(c.key)) };
}

describe('gateway controls in discovery', () => {
  it('announces the read-only switch, battery mode, duration, plan and result', () => {
    const { configs } = gatewayConfigs(EXTRAS);
    expect(configs.map((c) => c.topic)).toEqual([
      'homeassistant/switch/predbat/pbgw_a1b2c3_read_only/config',
      'homeassistant/select/predbat/pbgw_a1b2c3_battery_mode/config',
      'homeassistant/number/predbat/pbgw_a1b2c3_forced_mode_minutes/config',
      'homeassistant/sensor/predbat/pbgw_a1b2c3_plan/config',
      'homeassistant/sensor/predbat/pbgw_a1b2c3_command_result/config',
    ]);
    const byKey = Object.fromEntries(configs.map((c) => [c.key, c.payload]));
    expect(byKey.battery_mode).toMatchObject({
      command_topic: 'predbat_bridge/pbgw_a1b2c3/battery_mode/set',
      state_topic: 'predbat_bridge/pbgw_a1b2c3/state',
      value_template: '{{ value_json.battery_mode }}',
      options: ['Auto', 'Charge', 'Discharge'],
    });
    expect(byKey.forced_mode_minutes).toMatchObject({
      command_topic: 'predbat_bridge/pbgw_a1b2c3/forced_mode_minutes/set',
      device_class: 'duration',
      unit_of_measurement: 'min',
      min: 5,
      max: 720,
      step: 5,
      mode: 'box',
      entity_category: 'config',
    });
    expect(byKey.read_only).toMatchObject({
      command_topic: 'predbat_bridge/pbgw_a1b2c3/read_only/set',
      entity_category: 'config',
    });
    expect(byKey.plan).toMatchObject({
      value_template: '{{ value_json.plan.summary }}',
      json_attributes_topic: 'predbat_bridge/pbgw_a1b2c3/state',
      json_attributes_template: '{{ value_json.plan | tojson }}',
    });
    expect(byKey.command_result).toMatchObject({
      value_template: '{{ value_json.command_result.status }}',
      json_attributes_template: '{{ value_json.command_result | tojson }}',
      entity_category: 'diagnostic',
      availability: [{ topic: 'predbat_bridge/bridge/state' }],
    });
    expect(byKey.plan).not.toHaveProperty('command_topic');
  });

  it('passes the checks Home Assistant makes', () => {
    const { configs } = gatewayConfigs(EXTRAS);
    const messages = configs.map((c) => ({ topic: c.topic, payload: JSON.stringify(c.payload) }));
    expect(validateDiscovery(messages)).toEqual([]);
  });

  it('renders what Home Assistant shows, before any command and after one', () => {
    const { gateway, configs } = gatewayConfigs(EXTRAS);
    const state = JSON.stringify(gateway.state);
    const shown = Object.fromEntries(
      configs.map((c) => [c.key, entityStateFromMessage(c.payload, state, c.topic.split('/')[1])]),
    );
    expect(shown).toEqual({
      read_only: 'unknown',
      battery_mode: 'Auto',
      forced_mode_minutes: '60',
      plan: 'Charge 01:30-04:30',
      command_result: 'unknown',
    });
    const attributes = renderValueTemplate('{{ value_json.plan | tojson }}', state);
    expect(JSON.parse(attributes)).toMatchObject({ version: 1796300400, source: 'plan_topic' });

    const after = gatewayConfigs({
      ...EXTRAS,
      read_only: true,
      command_result: { ...NO_RESULT, status: 'not_applied', reason: 'telemetry still differs' },
    });
    const afterState = JSON.stringify(after.gateway.state);
    const result = after.configs.find((c) => c.key === 'command_result');
    const readOnly = after.configs.find((c) => c.key === 'read_only');
    if (result === undefined || readOnly === undefined) throw new Error('missing config');
    expect(entityStateFromMessage(result.payload, afterState, 'sensor')).toBe('not_applied');
    expect(entityStateFromMessage(readOnly.payload, afterState, 'switch')).toBe('on');
  });
});
