import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CommanderError } from 'commander';
import { OPTION_TABLE } from '../../src/bridge/option-table';
import type { BridgeOptions } from '../../src/bridge/options';
import { buildProgram, CliError } from '../../src/cli/program';
import { encodePlan } from '../../src/gateway/wire';
import { fixtureBytes, fixtureJson, GOOD_FIXTURES } from '../support/fixtures';

interface Run {
  out: string;
  err: string;
  started: BridgeOptions[];
  error?: unknown;
}

async function run(args: string[], stdin: Buffer = Buffer.alloc(0)): Promise<Run> {
  const result: Run = { out: '', err: '', started: [] };
  const program = buildProgram(
    {
      out: (text) => (result.out += text),
      err: (text) => (result.err += text),
      readStdin: async () => stdin,
    },
    async (options) => {
      result.started.push(options);
    },
  );
  program.exitOverride();
  try {
    await program.parseAsync(['node', 'predbat-gateway-bridge', ...args]);
  } catch (error) {
    result.error = error;
  }
  return result;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Uint8Array): string {
  const target = path.join(dir, name);
  fs.writeFileSync(target, content);
  return target;
}

describe('--help', () => {
  it('lists every option with its environment variable and default', async () => {
    const help = buildProgram(
      { out: () => undefined, err: () => undefined, readStdin: async () => Buffer.alloc(0) },
      async () => undefined,
    ).helpInformation({ error: false });
    for (const spec of OPTION_TABLE) {
      const line = help.split('\n').find((l) => l.trimStart().startsWith(spec.flag));
      expect(line).toBeDefined();
      // Commander wraps long descriptions; the option's entry runs until the next flag.
      const start = help.indexOf(line as string);
      const next = help.indexOf('\n  --', start + 1);
      const entry = help.slice(start, next === -1 ? undefined : next).replace(/\s+/g, ' ');
      expect(entry).toContain(`env: ${spec.env}`);
      if (spec.default !== undefined)
        expect(entry).toContain(`default: ${JSON.stringify(spec.default)}`);
    }
    expect(help).toContain('--config <file>');
    expect(help).toContain('decode [options] [file]');
  });
});

describe('start-up options', () => {
  it('takes a YAML file, with flags over it', async () => {
    const config = file(
      'bridge.yaml',
      'mqtt_url: mqtt://broker.lan:1883\nstale_after: 600\nlog_level: debug\ndemo: true\n',
    );
    const result = await run(['--config', config, '--log-level', 'warn']);
    expect(result.error).toBeUndefined();
    expect(result.started).toHaveLength(1);
    expect(result.started[0]).toMatchObject({
      broker: { url: 'mqtt://broker.lan:1883' },
      autoBroker: false,
      staleAfterSeconds: 600,
      logLevel: 'warn',
      demo: true,
    });
  });

  it('with no broker given, asks for the local one on the local broker port', async () => {
    const result = await run(['--local-broker-port', '18830', '--demo']);
    expect(result.started[0]).toMatchObject({
      broker: { url: 'mqtt://localhost:18830' },
      autoBroker: true,
      localBrokerPort: 18830,
      demo: true,
    });
  });

  it.each([
    [
      ['--stale-after', '5'],
      "option 'stale_after' (--stale-after, STALE_AFTER) must be >= 10:" +
        ' a whole number from 10 to 86400',
    ],
    [
      ['--health-port', 'eighty'],
      "option 'health_port' (--health-port, HEALTH_PORT) must be integer:" +
        ' a whole number from 0 to 65535',
    ],
    [
      ['--mqtt-url', 'broker.lan:1883'],
      "option 'mqtt_url' must be a URL such as mqtt://HOST:1883 (mqtt://, mqtts://, ws://," +
        " wss://, tcp://, ssl://, tls://), not 'broker.lan:1883'",
    ],
    [
      ['--gateway-mqtt-password', 'secret'],
      "option 'gateway_mqtt_password' needs gateway_mqtt_url (the gateways' own broker); without" +
        " it the gateways are read from Home Assistant's broker",
    ],
  ])('stops at %j and says what is allowed', async (args, message) => {
    const result = await run(args);
    expect(result.started).toEqual([]);
    expect(result.error).toEqual(new CliError(message, 2));
    expect((result.error as CliError).exitCode).toBe(2);
  });

  it('lets commander refuse a choice that is not offered, naming the choices', async () => {
    const result = await run(['--log-level', 'loud']);
    expect(result.started).toEqual([]);
    expect(result.error).toBeInstanceOf(CommanderError);
    expect(result.err).toContain(
      "error: option '--log-level <value>' argument 'loud' is invalid. Allowed choices are" +
        ' trace, debug, info, warn, error, fatal, silent.',
    );
  });

  it.each([
    ['broken.yaml', 'stale_after: [1\n', /^the config file .*broken\.yaml is not valid YAML: /],
    ['list.yaml', '- a\n- b\n', /^the config file .*list\.yaml must hold option: value lines/],
    [
      'unknown.yaml',
      'stale_afterr: 60\n',
      /^'stale_afterr' is not an option \(--help lists them all\) \(with the config file .*\)$/,
    ],
    [
      'typed.yaml',
      'read_only: maybe\n',
      /^option 'read_only' \(--read-only, READ_ONLY\) must be boolean: true or false/,
    ],
  ])('stops at a bad config file (%s) saying what is wrong', async (name, content, message) => {
    const result = await run(['--config', file(name, content)]);
    expect(result.started).toEqual([]);
    expect(result.error).toBeInstanceOf(CliError);
    expect((result.error as CliError).message).toMatch(message);
  });

  it('stops at a config file that is not there', async () => {
    const result = await run(['--config', path.join(dir, 'missing.yaml')]);
    expect((result.error as CliError).message).toMatch(
      /^cannot read the config file .*missing\.yaml: ENOENT/,
    );
  });
});

describe('decode', () => {
  it.each(GOOD_FIXTURES)(
    'prints the %s fixture as the official runtime decodes it',
    async (name) => {
      const result = await run(['decode', file(`${name}.bin`, fixtureBytes(name))]);
      expect(result.error).toBeUndefined();
      expect(JSON.parse(result.out)).toEqual(fixtureJson(name));
    },
  );

  it('reads standard input, and hex as saved by an MQTT tool', async () => {
    const bytes = fixtureBytes('minimal');
    const raw = await run(['decode'], bytes);
    expect(JSON.parse(raw.out)).toEqual(fixtureJson('minimal'));
    const hex = await run(['decode', '--input', 'hex'], Buffer.from(bytes.toString('hex')));
    expect(hex.out).toBe(raw.out);
  });

  it('prints a schedule', async () => {
    const plan = {
      timestamp: 1796300400,
      plan_version: 12,
      timezone: 'GMT0BST,M3.5.0/1,M10.5.0',
      entries: [
        {
          enabled: true,
          start_hour: 1,
          start_minute: 30,
          end_hour: 4,
          end_minute: 30,
          mode: 1,
          power_w: 3000,
          target_soc: 90,
          days_of_week: 127,
          use_native: false,
        },
      ],
    };
    const result = await run(['decode', '--type', 'schedule', file('plan.bin', encodePlan(plan))]);
    expect(result.out).toBe(`${JSON.stringify(plan, null, 2)}\n`);
  });

  it('says which file is not a payload of the type asked', async () => {
    const bad = file('bad.bin', fixtureBytes('bad-truncated'));
    const result = await run(['decode', bad]);
    expect(result.out).toBe('');
    expect(result.error).toBeInstanceOf(CliError);
    expect((result.error as CliError).message).toMatch(
      new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is not a status payload: `),
    );
    expect((result.error as CliError).exitCode).toBe(1);
  });
});
