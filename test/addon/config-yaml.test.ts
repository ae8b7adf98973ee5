// The add-on's files read against Home Assistant's add-on rules, and its options checked
// option by option against the bridge's own configuration schema.
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import { configSchema } from '../../src/bridge/config';
import { OPTION_TABLE } from '../../src/bridge/option-table';
import { ADDON_SUPPLIED } from '../../src/addon/start';
import {
  addonOptionsAndSchema,
  jsonSchemaOfAddonType,
  MACHINE_DEFAULTS,
} from '../../src/addon/schema';
import { PACKAGE_ROOT } from '../../src/package-root';

const ADDON = path.join(PACKAGE_ROOT, 'addon');
const readYaml = (file: string): Record<string, unknown> =>
  YAML.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;

const config = readYaml(path.join(ADDON, 'config.yaml'));
const schema = config.schema as Record<string, string>;
const options = config.options as Record<string, unknown>;
const bridgeSchema = configSchema().properties as Record<string, Record<string, unknown>>;
const packageJson = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8'));

describe('addon/config.yaml', () => {
  it('has the keys Home Assistant requires and the ones this add-on relies on', () => {
    expect(config).toMatchObject({
      name: 'Predbat Gateway Bridge',
      slug: 'predbat_gateway_bridge',
      version: packageJson.version,
      init: false,
      startup: 'application',
      services: ['mqtt:need'],
      watchdog: 'http://[HOST]:[PORT:8099]/health',
    });
    expect(typeof config.description).toBe('string');
    expect(String(config.url)).toMatch(/^https:\/\//);
    expect(config.arch).toEqual(expect.arrayContaining(['amd64', 'aarch64']));
    expect(config.slug).toMatch(/^[a-z0-9_]+$/);
  });

  it.each(Object.keys(schema))('offers %s as the bridge configures it', (name) => {
    const bridge = bridgeSchema[name];
    expect(bridge).toBeDefined();
    const addon = jsonSchemaOfAddonType(schema[name] as string);
    // Same JSON type, same bounds, same choices; undefined bounds count as absent.
    expect(JSON.parse(JSON.stringify(addon))).toEqual(JSON.parse(JSON.stringify(bridge)));
    const spec = OPTION_TABLE.find((s) => s.name === name);
    if (name in options) {
      expect(options[name]).toEqual(spec?.default);
      expect(schema[name]).not.toMatch(/\?$/);
    } else {
      // Left out of options, the option is optional: without a default, or the machine's own.
      expect(schema[name]).toMatch(/\?$/);
      expect(spec?.default === undefined || MACHINE_DEFAULTS.has(name)).toBe(true);
    }
    if (spec?.type === 'password') expect(schema[name]).toMatch(/^password/);
  });

  it('leaves out only the options the start script fills in itself', () => {
    const offered = new Set(Object.keys(schema));
    const missing = OPTION_TABLE.map((spec) => spec.name).filter((name) => !offered.has(name));
    expect(missing.sort()).toEqual(Object.keys(ADDON_SUPPLIED).sort());
    for (const name of Object.keys(options)) expect(offered.has(name)).toBe(true);
  });

  it("writes every option's type in the Supervisor's schema grammar", () => {
    // The Supervisor's own pattern for a schema element (RE_SCHEMA_ELEMENT): anything else
    // makes it refuse the whole add-on.
    const element = new RegExp(
      '^(?:|bool|email|url|port|device(?:\\((?:subsystem=[a-z]+)\\))?' +
        '|str(?:\\((?:\\d+)?,(?:\\d+)?\\))?|password(?:\\((?:\\d+)?,(?:\\d+)?\\))?' +
        '|int(?:\\((?:-?\\d+)?,(?:-?\\d+)?\\))?' +
        '|float(?:\\((?:-?\\d*\\.?\\d+)?,(?:-?\\d*\\.?\\d+)?\\))?' +
        '|match\\((?:.*)\\)|list\\((?:.+)\\))\\??$',
    );
    for (const type of Object.values(schema)) expect(type).toMatch(element);
  });

  it.each(['base_topic', 'discovery_prefix', 'gateway_prefix'])(
    'lets the Configuration tab refuse a %s the bridge would refuse',
    (name) => {
      const match = /^match\((.*)\)$/.exec(schema[name] as string);
      expect(match).not.toBeNull();
      // The Supervisor matches from the start (Python's re.match); the pattern is anchored.
      const supervisor = new RegExp(match?.[1] as string);
      const bridge = new RegExp(String(bridgeSchema[name]?.pattern), 'u');
      const taken = ['homeassistant', 'predbat/devices', 'home/predbat bridge', 'a$b'];
      const refused = ['', 'ha/', '/ha', 'a//b', 'x/+/b', '#', 'ha/#', '$SYS', 'a\u0000b'];
      for (const topic of taken)
        expect([supervisor.test(topic), bridge.test(topic)]).toEqual([true, true]);
      for (const topic of refused)
        expect([supervisor.test(topic), bridge.test(topic)]).toEqual([false, false]);
    },
  );

  it('matches what the option table gives, so the YAML can be regenerated from it', () => {
    const expected = addonOptionsAndSchema();
    expect(schema).toEqual(expected.schema);
    expect(options).toEqual(expected.options);
  });
});

describe('the rest of the add-on', () => {
  it('names and explains every option in translations/en.yaml', () => {
    const translations = readYaml(path.join(ADDON, 'translations', 'en.yaml'))
      .configuration as Record<string, { name?: string; description?: string }>;
    expect(Object.keys(translations).sort()).toEqual(Object.keys(schema).sort());
    for (const entry of Object.values(translations)) {
      expect(entry.name?.length).toBeGreaterThan(3);
      expect(entry.description?.length).toBeGreaterThan(20);
    }
  });

  it('builds each architecture from a Home Assistant base image', () => {
    const build = readYaml(path.join(ADDON, 'build.yaml'));
    const bases = build.build_from as Record<string, string>;
    expect(Object.keys(bases).sort()).toEqual([...(config.arch as string[])].sort());
    for (const [arch, image] of Object.entries(bases)) {
      expect(image).toMatch(new RegExp(`^ghcr\\.io/home-assistant/${arch}-base:`));
    }
    const dockerfile = fs.readFileSync(path.join(ADDON, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^ARG BUILD_FROM$/m);
    expect(dockerfile).toMatch(/^FROM \$BUILD_FROM$/m);
    expect(dockerfile).toContain('npm ci --omit=dev');
    expect(dockerfile).toContain('CMD ["node", "/app/dist/src/addon/start.js"]');
    expect(dockerfile).toContain('http://127.0.0.1:8099/health');
  });

  it('has its user documents and a repository manifest Home Assistant can add', () => {
    for (const file of ['DOCS.md', 'README.md', 'CHANGELOG.md']) {
      expect(fs.statSync(path.join(ADDON, file)).size).toBeGreaterThan(200);
    }
    expect(fs.readFileSync(path.join(ADDON, 'CHANGELOG.md'), 'utf8')).toContain(
      `## ${packageJson.version}`,
    );
    const repository = readYaml(path.join(PACKAGE_ROOT, 'repository.yaml'));
    expect(Object.keys(repository).sort()).toEqual(['maintainer', 'name', 'url']);
  });
});
