import { ConfigError, collectOptions, resolveOptions } from '../../src/bridge/config';
import { DEFAULT_OPTIONS } from '../../src/bridge/options';
import { systemTimeZone } from '../../src/gateway/posix-tz';

const BROKER = { mqtt_url: 'mqtt://127.0.0.1:1883' };

describe('command and plan options', () => {
  it('has defaults that keep deployed gateways working', () => {
    const options = resolveOptions(BROKER);
    expect({
      commandEncoding: options.commandEncoding,
      readOnly: options.readOnly,
      timezone: options.timezone,
      commandFreshSeconds: options.commandFreshSeconds,
      commandDebounceMs: options.commandDebounceMs,
      confirmCycles: options.confirmCycles,
      planRefreshSeconds: options.planRefreshSeconds,
      evIdTag: options.evIdTag,
      dataDir: options.dataDir,
    }).toEqual({
      commandEncoding: 'json',
      readOnly: false,
      timezone: systemTimeZone(),
      commandFreshSeconds: 60,
      commandDebounceMs: 500,
      confirmCycles: 3,
      planRefreshSeconds: 300,
      evIdTag: 'predbat',
      dataDir: DEFAULT_OPTIONS.dataDir,
    });
  });

  it('takes them from flags and the environment', () => {
    const raw = collectOptions(
      { command_encoding: 'protobuf', read_only: 'true' },
      { TIMEZONE: 'Australia/Adelaide', COMMAND_FRESH_SECONDS: '30', CONFIRM_CYCLES: '5' },
      BROKER,
    );
    expect(resolveOptions(raw)).toMatchObject({
      commandEncoding: 'protobuf',
      readOnly: true,
      timezone: 'Australia/Adelaide',
      commandFreshSeconds: 30,
      confirmCycles: 5,
    });
  });

  it('refuses a time zone tzdata does not know, and an unknown encoding', () => {
    expect(() => resolveOptions({ ...BROKER, timezone: 'Europe/Atlantis' })).toThrow(
      new ConfigError(
        "option 'timezone' must be an IANA time zone such as Europe/London, not 'Europe/Atlantis'",
      ),
    );
    expect(() => resolveOptions({ ...BROKER, command_encoding: 'xml' })).toThrow(ConfigError);
    expect(() => resolveOptions({ ...BROKER, confirm_cycles: 0 })).toThrow(ConfigError);
  });
});
