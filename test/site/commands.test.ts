import {
  COMMANDS,
  commandName,
  intentFor,
  intentName,
  unknownCommands,
} from '../../src/site/commands';
import { loadTemplates } from '../../src/homeassistant/templates';

const UNIT = { serial: 'CE2341G123', evIdTag: 'predbat' };

describe('control values become intents', () => {
  it.each([
    ['set_charge_rate', 2500, { command: 'set_charge_rate', serial: 'CE2341G123', power_w: 2500 }],
    ['set_discharge_rate', 0, { command: 'set_discharge_rate', serial: 'CE2341G123', power_w: 0 }],
    ['set_reserve', 4, { command: 'set_reserve', serial: 'CE2341G123', target_soc: 4 }],
    ['set_target_soc', 90, { command: 'set_target_soc', serial: 'CE2341G123', target_soc: 90 }],
    [
      'set_charge_enable',
      true,
      { command: 'set_charge_enable', serial: 'CE2341G123', enable: true },
    ],
    [
      'set_discharge_enable',
      false,
      { command: 'set_discharge_enable', serial: 'CE2341G123', enable: false },
    ],
    ['inverter_reset', null, { command: 'inverter_reset', serial: 'CE2341G123' }],
    ['set_read_only', true, { command: 'set_read_only', enable: true }],
  ])('%s %j', (command, value, intent) => {
    expect(intentFor(command, value, UNIT)).toEqual({ kind: 'gateway', intent });
  });

  it('gives a slot time the end of the slot the control sets', () => {
    expect(intentFor('set_charge_slot', '01:30', { ...UNIT, edge: 'start' })).toEqual({
      kind: 'gateway',
      intent: { command: 'set_charge_slot', serial: 'CE2341G123', edge: 'start', time: '01:30' },
    });
    expect(intentFor('set_discharge_slot', '00:00', { ...UNIT, edge: 'end' })).toEqual({
      kind: 'gateway',
      intent: { command: 'set_discharge_slot', serial: 'CE2341G123', edge: 'end', time: '00:00' },
    });
    expect(intentFor('set_charge_slot', '01:30', UNIT)).toBe(
      'the template does not say which end of the slot',
    );
    expect(intentFor('set_charge_slot', '1:30', { ...UNIT, edge: 'start' })).toBe(
      'needs a time of day as HH:MM',
    );
  });

  it('turns EV controls into the OCPP actions of the wire contract', () => {
    expect(intentFor('ev_charging', true, UNIT)).toEqual({
      kind: 'ev',
      action: { action: 'RemoteStartTransaction', id_tag: 'predbat' },
    });
    expect(intentFor('ev_charging', false, UNIT)).toEqual({
      kind: 'ev',
      action: { action: 'RemoteStopTransaction' },
    });
    expect(intentFor('ev_current_limit', 16, UNIT)).toEqual({
      kind: 'ev',
      action: { action: 'SetChargingProfile', current_a: 16 },
    });
  });

  it('turns the battery mode and its duration into plan intents', () => {
    expect(intentFor('set_battery_mode', 'Charge', UNIT)).toEqual({
      kind: 'battery_mode',
      mode: 'charge',
    });
    expect(intentFor('set_battery_mode', 'Auto', UNIT)).toEqual({
      kind: 'battery_mode',
      mode: 'auto',
    });
    expect(intentFor('set_forced_minutes', 90, UNIT)).toEqual({
      kind: 'forced_minutes',
      minutes: 90,
    });
  });

  it('says why a value fits no intent', () => {
    expect(intentFor('set_charge_rate', 2.5, UNIT)).toBe('needs a whole number of 0 or more');
    expect(intentFor('set_charge_enable', 'ON', UNIT)).toBe('needs ON or OFF');
    expect(intentFor('set_battery_mode', 'Boost', UNIT)).toBe('needs Auto, Charge or Discharge');
    expect(intentFor('ev_current_limit', 0, UNIT)).toBe('needs a whole number of amperes');
    expect(intentFor('launch', 1, UNIT)).toBe("the bridge has no command 'launch'");
  });

  it('knows every command the discovery templates name', () => {
    const templates = loadTemplates();
    const named = Object.values(templates).flatMap((entities) =>
      entities.flatMap((entity) => (entity.command === undefined ? [] : [entity.command])),
    );
    expect(unknownCommands(named)).toEqual([]);
    expect(unknownCommands(['set_charge_rate', 'warp'])).toEqual(['warp']);
    expect(Object.keys(COMMANDS).sort()).toEqual([...new Set(named)].sort());
  });

  it('names a command in results as the wire does, before and after its value is known', () => {
    const name = (command: string, value: unknown) => {
      const intent = intentFor(command, value as never, UNIT);
      if (typeof intent === 'string') throw new Error(intent);
      return intentName(intent);
    };
    expect(commandName('ev_current_limit')).toBe('SetChargingProfile');
    expect(name('ev_current_limit', 16)).toBe('SetChargingProfile');
    expect(commandName('set_charge_rate')).toBe('set_charge_rate');
    expect(name('set_charge_rate', 2500)).toBe('set_charge_rate');
    // On or off picks the action: until the value is known, there is no one name.
    expect(commandName('ev_charging')).toBeNull();
    expect(name('ev_charging', true)).toBe('RemoteStartTransaction');
    expect(name('ev_charging', false)).toBe('RemoteStopTransaction');
    // A plan or a bridge setting is no wire command: the bridge's own name, the same both ways.
    expect(commandName('set_battery_mode')).toBe('set_battery_mode');
    expect(name('set_battery_mode', 'Charge')).toBe('set_battery_mode');
    expect(commandName('set_forced_minutes')).toBe('set_forced_minutes');
    expect(name('set_forced_minutes', 30)).toBe('set_forced_minutes');
    expect(commandName('launch')).toBeNull();
    for (const [command, spec] of Object.entries(COMMANDS)) {
      if (spec.target === 'inverter' || command === 'set_read_only') {
        expect(commandName(command)).toBe(command);
      }
    }
  });
});
