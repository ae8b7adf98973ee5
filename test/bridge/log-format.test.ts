// The log on a terminal: one readable line per event; everywhere else pino's JSON lines.
import { prettyLine } from '../../src/bridge/log-format';
import { loggerFor } from '../../src/bridge/logger';

/** 3:04:05 in the morning, local time, as pino writes it. */
const TIME = new Date(2026, 0, 2, 3, 4, 5).toISOString();

function sink(isTTY: boolean) {
  const lines: string[] = [];
  return { isTTY, lines, write: (text: string) => lines.push(text) };
}

describe('prettyLine', () => {
  it('gives local time, level, area and the message', () => {
    const line = JSON.stringify({
      level: 40,
      time: TIME,
      area: 'gateway',
      gateway: 'pbgw_a1b2c3',
      msg: "no telemetry from gateway 'pbgw_a1b2c3' for 180 s",
    });
    expect(prettyLine(line)).toBe(
      "03:04:05 WARN  [gateway] no telemetry from gateway 'pbgw_a1b2c3' for 180 s\n",
    );
  });

  it('adds the plain fields the message does not name, and leaves nested ones out', () => {
    const line = JSON.stringify({
      level: 30,
      time: TIME,
      gatewayTopics: 'predbat/devices/+/status',
      baseTopic: 'predbat_bridge',
      brokers: { mqtt: { url: 'mqtt://localhost:1883' } },
      msg: 'bridging gateways',
    });
    expect(prettyLine(line)).toBe(
      '03:04:05 INFO  bridging gateways (gatewayTopics=predbat/devices/+/status,' +
        ' baseTopic=predbat_bridge)\n',
    );
  });

  it("shows an error's stack under its line, and passes on a line that is not JSON", () => {
    const line = JSON.stringify({
      level: 50,
      time: TIME,
      msg: 'failed',
      err: { message: 'boom', stack: 'Error: boom\n    at here' },
    });
    expect(prettyLine(line)).toBe('03:04:05 ERROR failed\nError: boom\n    at here\n');
    expect(prettyLine('not json')).toBe('not json\n');
  });
});

describe('loggerFor', () => {
  it('writes pretty lines to a terminal and JSON lines elsewhere, unless told', () => {
    const terminal = sink(true);
    loggerFor({ logLevel: 'info' }, terminal).info({ area: 'mqtt' }, 'connected');
    expect(terminal.lines).toEqual([
      expect.stringMatching(/^\d\d:\d\d:\d\d INFO {2}\[mqtt\] connected\n$/),
    ]);

    const pipe = sink(false);
    loggerFor({ logLevel: 'info' }, pipe).info('connected');
    expect(JSON.parse(pipe.lines[0] as string)).toMatchObject({ level: 30, msg: 'connected' });

    const told = sink(true);
    loggerFor({ logLevel: 'info', logFormat: 'json' }, told).info('connected');
    expect(JSON.parse(told.lines[0] as string)).toMatchObject({ level: 30, msg: 'connected' });

    const quiet = sink(false);
    loggerFor({ logLevel: 'warn', logFormat: 'pretty' }, quiet).info('connected');
    loggerFor({ logLevel: 'warn', logFormat: 'pretty' }, quiet).warn('lost');
    expect(quiet.lines).toEqual([expect.stringMatching(/^\d\d:\d\d:\d\d WARN {2}lost\n$/)]);
  });
});
