import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  type Deadband,
  PublishedValues,
  deadbandProblems,
  deadbands,
} from '../../src/homeassistant/deadbands';
import { TEMPLATE_DIR, type Templates, loadTemplates } from '../../src/homeassistant/templates';
import { TEMPLATES } from '../support/pipeline';

describe('deadbands in the discovery templates', () => {
  it('hold power readings within 10 W and clock readings within a minute', () => {
    const bands = deadbands(TEMPLATES);
    expect(bands.inverter).toContainEqual({ path: ['battery', 'power_w'], band: 10, time: false });
    expect(bands.inverter).toContainEqual({ path: ['load', 'power_w'], band: 10, time: false });
    expect(bands.ev_charger).toContainEqual({ path: ['power_w'], band: 10, time: false });
    expect(bands.gateway).toContainEqual({ path: ['last_seen'], band: 60, time: true });
    expect(bands.gateway).toContainEqual({ path: ['uptime_seconds'], band: 60, time: false });
  });

  it('give every power sensor reading a deadband, and no control its state', () => {
    for (const entities of Object.values(TEMPLATES)) {
      for (const entity of entities) {
        const reading =
          entity.platform === 'sensor' &&
          entity.device_class === 'power' &&
          entity.entity_category === undefined &&
          !entity.key.endsWith('_state');
        if (reading) expect([entity.key, entity.deadband]).toEqual([entity.key, 10]);
        if (entity.platform !== 'sensor') expect(entity.deadband).toBeUndefined();
      }
    }
    expect(deadbandProblems(TEMPLATES)).toEqual([]);
  });

  it('refuse a deadband on a path another entity shows exactly', () => {
    const templates: Templates = {
      ...TEMPLATES,
      inverter: [
        ...TEMPLATES.inverter,
        { key: 'battery_power_exact', platform: 'sensor', name: 'Exact', value: 'battery.power_w' },
      ],
    };
    expect(deadbandProblems(templates)).toEqual([
      "inverter: 'battery_power_exact' shows 'battery.power_w', which another entity holds" +
        ' within a deadband; give it the same deadband or none to both',
    ]);
  });

  it('refuse a deadband on anything but a sensor when the templates load', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'templates-'));
    try {
      fs.copyFileSync(path.join(TEMPLATE_DIR, 'schema.json'), path.join(dir, 'schema.json'));
      const entity = {
        key: 'charge_rate',
        platform: 'number',
        name: 'Charge rate',
        value: 'control.charge_rate_w',
        command: 'set_charge_rate',
        deadband: 10,
      };
      fs.writeFileSync(
        path.join(dir, 'inverter.json'),
        JSON.stringify({ device: 'inverter', entities: [entity] }),
      );
      expect(() => loadTemplates(dir)).toThrow(/inverter\.json\/entities\/0\/platform/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the values last published at the deadband paths', () => {
  const band = (path: string): Deadband => ({ path: path.split('.'), band: 10, time: false });
  const bands = ['a', 'b.c', 'd', 'e', 'f', 'g'].map(band);

  it('gives back every kind of value as it was in the state, numbers exactly', () => {
    const held = new PublishedValues();
    const state = { a: 0.1 + 0.2, b: { c: -0 }, d: '2026-06-01T00:00:00Z', e: null, g: NaN };
    held.take(state, bands);
    const back = bands.map((_, i) => held.at(i));
    expect(back).toEqual([0.1 + 0.2, -0, '2026-06-01T00:00:00Z', null, undefined, NaN]);
    expect(Object.is(back[1], -0)).toBe(true);
  });

  it('takes a new state over a kept one, a number turning into text and back', () => {
    const held = new PublishedValues();
    held.take({ a: 5, b: { c: 7 }, d: 1 }, bands);
    held.take({ a: 'x', b: { c: 8 }, d: null }, bands);
    expect([held.at(0), held.at(1), held.at(2)]).toEqual(['x', 8, null]);
    held.take({ a: 6 }, bands.slice(0, 1));
    expect([held.at(0), held.at(1)]).toEqual([6, undefined]);
  });
});
