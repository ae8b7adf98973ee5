import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TEMPLATE_DIR, loadTemplates } from '../../src/homeassistant/templates';
import { validateDiscovery } from '../support/ha-discovery-validator';
import { GOOD_FIXTURES } from '../support/fixtures';
import { fixtureConfigs } from '../support/pipeline';

function templateDir(files: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'templates-'));
  fs.copyFileSync(path.join(TEMPLATE_DIR, 'schema.json'), path.join(dir, 'schema.json'));
  for (const [name, content] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, name), JSON.stringify(content));
  }
  return dir;
}

describe('discovery templates', () => {
  it('load and pass their schema', () => {
    const templates = loadTemplates();
    expect(templates.gateway.length).toBeGreaterThan(10);
    expect(templates.inverter.length).toBeGreaterThan(50);
    expect(templates.ev_charger.length).toBeGreaterThan(5);
  });

  it('refuse an entity the schema does not allow, naming the file and the problem', () => {
    const dir = templateDir({
      'bad.json': {
        device: 'gateway',
        entities: [{ key: 'Bad Key', platform: 'sensor', name: 'x', value: 'a' }],
      },
    });
    expect(() => loadTemplates(dir)).toThrow(/bad\.json\/entities\/0\/key: must match pattern/);
  });

  it('refuse a sensor without a value and a control without a command', () => {
    const dir = templateDir({
      'bad.json': {
        device: 'inverter',
        entities: [
          { key: 'a', platform: 'sensor', name: 'A' },
          { key: 'b', platform: 'switch', name: 'B', value: 'x' },
        ],
      },
    });
    expect(() => loadTemplates(dir)).toThrow(/must have required property 'value'/);
    expect(() => loadTemplates(dir)).toThrow(/must have required property 'command'/);
  });

  it('refuse two entities with one key', () => {
    const entity = { key: 'a', platform: 'sensor', name: 'A', value: 'x' };
    const dir = templateDir({ 'a.json': { device: 'gateway', entities: [entity, entity] } });
    expect(() => loadTemplates(dir)).toThrow("gateway: key 'a' is defined twice");
  });

  it('refuse two entities shown at once with one name, not a sensor and a control apart', () => {
    const sensor = { key: 'a', platform: 'sensor', name: 'A', value: 'x' };
    const control = { key: 'b', platform: 'number', name: 'A', value: 'x', command: 'set_x' };
    const shared = templateDir({ 'a.json': { device: 'gateway', entities: [sensor, control] } });
    expect(() => loadTemplates(shared)).toThrow("gateway: 'a' and 'b' are both named 'A'");
    const apart = templateDir({
      'a.json': {
        device: 'gateway',
        entities: [
          { ...sensor, when: 'read_only' },
          { ...control, when: 'managed' },
        ],
      },
    });
    expect(loadTemplates(apart).gateway.map((e) => e.key)).toEqual(['a', 'b']);
  });

  it.each(GOOD_FIXTURES)(
    '%s: every config passes the Home Assistant rules with no error or warning',
    (name) => {
      const configs = fixtureConfigs(name).map((c) => ({
        topic: c.topic,
        payload: JSON.stringify(c.payload),
      }));
      expect(configs.length).toBeGreaterThan(10);
      expect(validateDiscovery(configs)).toEqual([]);
    },
  );
});
