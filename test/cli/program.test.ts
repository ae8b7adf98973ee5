import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CommanderError } from 'commander';
import { OPTION_TABLE } from '../../src/bridge/option-table';
import { type BridgeOptions, DEFAULT_OPTIONS } from '../../src/bridge/options';
import { buildProgram, CliError, cliExit } from '../../src/cli/program';
import { LocalBrokerError } from '../../src/bridge/local-broker';
import { encodePlan } from '../../src/gateway/wire';
import { fixtureBytes, fixtureJson, GOOD_FIXTURES } from '../support/fixtures';
import { CHARGE_ENTRY } from '../support/plans';

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
      if (spec.default !== undefined) {
        const text = spec.defaultText ?? JSON.stringify(spec.default);
        expect(entry).toContain(`default: ${text},`);
      }
      // One default per option: the description does not give one of its own.
      expect(entry.match(/default:/g)?.length ?? 0).toBe(spec.default === undefined ? 0 : 1);
      // Nor a parenthesis right before the one commander adds.
      expect(entry).not.toMatch(/\) \(/);
    }
    expect(help).toContain('--config <file>');
    const zone = help.slice(help.indexOf('--timezone')).replace(/\s+/g, ' ');
    expect(zone).toContain(
      "IANA time zone of the gateways' local time, e.g. Europe/London (default: this" +
        ` machine's zone, here ${DEFAULT_OPTIONS.timezone}, env: TIMEZONE)`,
    );
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

  it('reads a quoted number or switch in the file as a flag would give it', async () => {
    const config = file('quoted.yaml', 'heartbeat: "60"\nread_only: "true"\n');
    const result = await run(['--config', config]);
    expect(result.error).toBeUndefined();
    expect(result.started[0]).toMatchObject({ heartbeatSeconds: 60, readOnly: true });
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
      "option 'stale_after' (--stale-after, STALE_AFTER) must be a whole number from 10 to" +
        ' 86400, not 5',
    ],
    [
      ['--health-port', 'eighty'],
      "option 'health_port' (--health-port, HEALTH_PORT) must be a whole number from 0 to" +
        " 65535, not 'eighty'",
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

  const topicRule = "(levels joined by '/', none empty, without '+', '#', NUL or a leading '$')";
  it.each([
    ['--base-topic', 'x/+/b', "option 'base_topic' (--base-topic, BASE_TOPIC)", 'predbat_bridge'],
    ['--base-topic', '', "option 'base_topic' (--base-topic, BASE_TOPIC)", 'predbat_bridge'],
    [
      '--base-topic',
      'a\u0000b',
      "option 'base_topic' (--base-topic, BASE_TOPIC)",
      'predbat_bridge',
    ],
    [
      '--discovery-prefix',
      'ha/',
      "option 'discovery_prefix' (--discovery-prefix, DISCOVERY_PREFIX)",
      'homeassistant',
    ],
    [
      '--discovery-prefix',
      '#',
      "option 'discovery_prefix' (--discovery-prefix, DISCOVERY_PREFIX)",
      'homeassistant',
    ],
    [
      '--gateway-prefix',
      '/predbat/devices',
      "option 'gateway_prefix' (--gateway-prefix, GATEWAY_PREFIX)",
      'predbat/devices',
    ],
    [
      '--gateway-prefix',
      'predbat//devices',
      "option 'gateway_prefix' (--gateway-prefix, GATEWAY_PREFIX)",
      'predbat/devices',
    ],
    [
      '--gateway-prefix',
      '$SYS/devices',
      "option 'gateway_prefix' (--gateway-prefix, GATEWAY_PREFIX)",
      'predbat/devices',
    ],
  ])('stops at %s %j: a topic no broker would take', async (flag, value, option, example) => {
    const result = await run([flag, value]);
    expect(result.started).toEqual([]);
    const shown = value.replace('\u0000', '\\u0000');
    expect(result.error).toEqual(
      new CliError(`${option} must be a topic such as ${example} ${topicRule}, not '${shown}'`, 2),
    );
  });

  it('takes topics of several levels, with spaces and a $ past the start', async () => {
    const result = await run([
      '--base-topic',
      'home/predbat bridge',
      '--discovery-prefix',
      'ha/discovery',
      '--gateway-prefix',
      'site$1/devices',
    ]);
    expect(result.error).toBeUndefined();
    expect(result.started[0]).toMatchObject({
      baseTopic: 'home/predbat bridge',
      discoveryPrefix: 'ha/discovery',
      gatewayPrefix: 'site$1/devices',
    });
  });

  it('takes the log format, and leaves it to the terminal when not given', async () => {
    expect((await run(['--log-format', 'json'])).started[0]?.logFormat).toBe('json');
    expect((await run(['--log-format', 'pretty'])).started[0]?.logFormat).toBe('pretty');
    expect((await run([])).started[0]?.logFormat).toBeUndefined();
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
    [['--log-level', 'loud'], 2],
    [['--log-format', 'xml'], 2],
    [['--no-such-flag'], 2],
    [['decode', '--type', 'nonsense'], 2],
    [['--help'], 0],
    [['--version'], 0],
  ])('ends %p with exit code %p, as the README says', async (args, code) => {
    const result = await run(args);
    expect(result.started).toEqual([]);
    expect(cliExit(result.error)).toEqual({ code });
  });

  it('ends with the code and message of its own refusals, and leaves other errors alone', () => {
    expect(cliExit(new CliError('bad', 2))).toEqual({ code: 2, message: 'bad' });
    expect(cliExit(new LocalBrokerError('no broker'))).toEqual({ code: 1, message: 'no broker' });
    expect(cliExit(new Error('bug'))).toBeUndefined();
  });

  it.each([
    ['broken.yaml', 'stale_after: [1\n', /^the config file .*broken\.yaml is not valid YAML: /],
    ['list.yaml', '- a\n- b\n', /^the config file .*list\.yaml must hold option: value lines/],
    [
      'unknown.yaml',
      'stale_afterr: 60\n',
      /^the config file .*unknown\.yaml: 'stale_afterr' is not an option \(--help lists them/,
    ],
    [
      'typed.yaml',
      'read_only: maybe\n',
      /^the config file .*typed\.yaml: option 'read_only' \(--read-only, READ_ONLY\) must be true/,
    ],
  ])('stops at a bad config file (%s) saying what is wrong', async (name, content, message) => {
    const result = await run(['--config', file(name, content)]);
    expect(result.started).toEqual([]);
    expect(result.error).toBeInstanceOf(CliError);
    expect((result.error as CliError).message).toMatch(message);
  });

  it('names the config file once, and only for a value the file gave', async () => {
    const config = file('topics.yaml', 'discovery_prefix: ha/\nstale_after: 60\n');
    const fromFile = await run(['--config', config]);
    expect(fromFile.error).toEqual(
      new CliError(
        `the config file ${config}: option 'discovery_prefix' (--discovery-prefix,` +
          ` DISCOVERY_PREFIX) must be a topic such as homeassistant ${topicRule}, not 'ha/'`,
        2,
      ),
    );
    const fromFlag = await run([
      '--config',
      config,
      '--discovery-prefix',
      'ha',
      '--heartbeat',
      '1',
    ]);
    expect(fromFlag.error).toEqual(
      new CliError(
        "option 'heartbeat' (--heartbeat, HEARTBEAT) must be a whole number from 10 to 86400," +
          ' not 1',
        2,
      ),
    );
    const broken = file('broken-once.yaml', 'base_topic: [x\n');
    const message = ((await run(['--config', broken])).error as CliError).message;
    expect(message.split(broken)).toHaveLength(2);
    expect(message).toMatch(/^the config file .* is not valid YAML: .*[^:]$/);
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
      entries: [CHARGE_ENTRY],
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

  it('says what the bridge says of a status that is not one', async () => {
    const result = await run(['decode', file('json.bin', fixtureBytes('bad-json-instead'))]);
    expect((result.error as CliError).message).toMatch(
      /is not a status payload: looks like JSON, but gateway telemetry is protobuf GatewayStatus$/,
    );
  });
});
