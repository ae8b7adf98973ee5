import {
  controlOf,
  isReported,
  parseControlValue,
  reportedValue,
  stateForm,
} from '../../src/homeassistant/control-input';
import type { HaDevice } from '../../src/homeassistant/devices';
import type { EntityTemplate } from '../../src/homeassistant/templates';
import { OPTIONS, TEMPLATES, fixtureDevices } from '../support/pipeline';

function device(fixture: string, index: number): HaDevice {
  const found = fixtureDevices(fixture)[index];
  if (found === undefined) throw new Error(`no device ${index} in ${fixture}`);
  return found;
}

function control(on: HaDevice, key: string): EntityTemplate {
  const checked = controlOf(on, key, TEMPLATES);
  if (!checked.ok) throw new Error(checked.reason);
  return checked.value;
}

const givenergy = device('single-givenergy', 1);
const parse = (key: string, payload: string, on: HaDevice = givenergy) =>
  parseControlValue(on, control(on, key), payload, OPTIONS);

describe('control payloads', () => {
  it('takes a number within the range Home Assistant was given, on its step', () => {
    expect(parse('charge_rate', '2500')).toEqual({ ok: true, value: 2500 });
    expect(parse('charge_rate', ' 3600.0 ')).toEqual({ ok: true, value: 3600 });
    expect(parse('charge_rate', '0')).toEqual({ ok: true, value: 0 });
    expect(parse('reserve_soc', '4')).toEqual({ ok: true, value: 4 });
  });

  it.each([
    ['abc', "'abc' is not a finite number"],
    ['', "'' is not a finite number"],
    ['NaN', "'NaN' is not a finite number"],
    ['Infinity', "'Infinity' is not a finite number"],
    ['1e400', "'1e400' is not a finite number"],
    ['0x10', "'0x10' is not a finite number"],
    ['-100', '-100 is below the minimum 0'],
    ['3700', '3700 is above the maximum 3600'],
    ['2550', '2550 is not on a step of 100 from 0'],
  ])('refuses charge rate %j: %s', (payload, reason) => {
    expect(parse('charge_rate', payload)).toEqual({ ok: false, reason });
  });

  it('takes the maximum the battery reports, or the configured fallback', () => {
    const deye = device('mixed-solis-deye', 1);
    expect(parse('charge_rate', '5000', deye)).toEqual({ ok: true, value: 5000 });
    expect(parse('charge_rate', '5100', deye)).toEqual({
      ok: false,
      reason: '5100 is above the maximum 5000',
    });
  });

  it('takes ON and OFF for a switch, PRESS for a button', () => {
    expect(parse('charge_enabled', 'ON')).toEqual({ ok: true, value: true });
    expect(parse('charge_enabled', 'OFF')).toEqual({ ok: true, value: false });
    expect(parse('charge_enabled', 'on')).toEqual({
      ok: false,
      reason: "'on' is neither ON nor OFF",
    });
    expect(parse('reset', 'PRESS')).toEqual({ ok: true, value: null });
    expect(parse('reset', 'press')).toEqual({ ok: false, reason: "'press' is not PRESS" });
  });

  it('takes only an option of a select, the current off-grid value being one', () => {
    expect(parse('charge_slot_1_start', '02:05')).toEqual({ ok: true, value: '02:05' });
    expect(parse('charge_slot_1_start', '02:03')).toEqual({
      ok: false,
      reason: "'02:03' is not one of the options",
    });
    const offGrid: HaDevice = {
      ...givenergy,
      state: { ...givenergy.state, schedule: { charge_start: '02:03' } },
    };
    expect(parse('charge_slot_1_start', '02:03', offGrid)).toEqual({ ok: true, value: '02:03' });
  });

  it('refuses an overlong payload without echoing it whole', () => {
    expect(parse('charge_rate', '1'.repeat(100))).toEqual({
      ok: false,
      reason: `'${'1'.repeat(32)}…' is too long`,
    });
  });

  it("takes the EV charger's current limit from 6 A up to its maximum", () => {
    const charger = device('ev-charger', 2);
    expect(parse('current_limit', '16', charger)).toEqual({ ok: true, value: 16 });
    expect(parse('current_limit', '5', charger)).toEqual({
      ok: false,
      reason: '5 is below the minimum 6',
    });
    expect(parse('current_limit', '33', charger)).toEqual({
      ok: false,
      reason: '33 is above the maximum 32',
    });
  });

  it('takes the battery mode and its duration on the gateway', () => {
    const gateway = device('single-givenergy', 0);
    expect(parse('battery_mode', 'Charge', gateway)).toEqual({ ok: true, value: 'Charge' });
    expect(parse('forced_mode_minutes', '90', gateway)).toEqual({ ok: true, value: 90 });
    expect(parse('forced_mode_minutes', '92', gateway)).toEqual({
      ok: false,
      reason: '92 is not on a step of 5 from 5',
    });
  });
});

describe('which unit takes a control', () => {
  it('refuses controls of a read-only unit', () => {
    const deye = device('mixed-solis-deye', 2);
    expect(deye.managed).toBe(false);
    expect(controlOf(deye, 'charge_rate', TEMPLATES)).toEqual({
      ok: false,
      reason:
        "'Deye/Sunsynk 2306125093' is read-only: its gateway reports that it does not accept commands",
    });
  });

  it('refuses a key that is no control, or a sensor', () => {
    expect(controlOf(givenergy, 'warp_drive', TEMPLATES)).toEqual({
      ok: false,
      reason: "'GivEnergy CE2341G123' has no control 'warp_drive'",
    });
    expect(controlOf(givenergy, 'battery_soc', TEMPLATES)).toMatchObject({ ok: false });
  });

  it('refuses a control whose settings the unit does not report', () => {
    const bare: HaDevice = { ...givenergy, groups: ['battery'] };
    expect(controlOf(bare, 'charge_rate', TEMPLATES)).toEqual({
      ok: false,
      reason: "'GivEnergy CE2341G123' does not report its control, so 'charge_rate' is not offered",
    });
  });
});

describe('reported values', () => {
  it('compares a value with what the state JSON reports', () => {
    expect(reportedValue(givenergy, control(givenergy, 'charge_rate'))).toBe(3600);
    expect(isReported(3600, 3600)).toBe(true);
    expect(isReported(3500, 3600)).toBe(false);
    expect(isReported(true, 'ON')).toBe(true);
    expect(isReported(false, 'ON')).toBe(false);
    expect(isReported('01:30', '01:30')).toBe(true);
    expect(isReported(null, null)).toBe(false);
    expect(isReported(0, null)).toBe(false);
    expect(stateForm(false)).toBe('OFF');
  });
});
