// The log on a terminal: one readable line per event; everywhere else pino's JSON lines.
import { prettyStream } from '../../src/bridge/log-format';
import { loggerFor } from '../../src/bridge/logger';

/** 3:04:05 in the morning, local time, as pino writes it. */
const TIME = new Date(2026, 0, 2, 3, 4, 5).toISOString();

function sink(isTTY: boolean) {
  const lines: string[] = [];
  return { isTTY, lines, write: (text: string) => lines.push(text) };
}

describe('prettyStream', () => {
  it('gives local time, level, area and the message, with the other fields after it', () => {
    const out = sink(false);
    const stream = prettyStream(out);
    stream.write(
      `${JSON.stringify({
        level: 40,
        time: TIME,
        area: 'gateway',
        gateway: 'pbgw_a1b2c3',
        msg: "no telemetry from gateway 'pbgw_a1b2c3' for 180 s",
      })}\n`,
    );
    expect(out.lines.join('')).toBe(
      "[03:04:05] WARN: [gateway] no telemetry from gateway 'pbgw_a1b2c3' for 180 s" +
        ' {"gateway":"pbgw_a1b2c3"}\n',
    );
  });
});

describe('loggerFor', () => {
  it('writes pretty lines to a terminal and JSON lines elsewhere, unless told', () => {
    const terminal = sink(true);
    loggerFor({ logLevel: 'info' }, terminal).info({ area: 'mqtt' }, 'connected');
    // On a terminal the level and message are coloured.
    const escape = String.fromCharCode(27);
    expect(terminal.lines).toEqual([
      expect.stringContaining(`${escape}[32mINFO${escape}[39m: ${escape}[36m[mqtt] connected`),
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
    expect(quiet.lines).toEqual([expect.stringMatching(/^\[\d\d:\d\d:\d\d\] WARN: lost\n$/)]);
  });
});
