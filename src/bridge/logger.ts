// One structured logger; each area logs through its own child (mqtt, gateway, ...).
import pino from 'pino';
import { prettyStream } from './log-format';
import type { BridgeOptions } from './options';

export type Logger = pino.Logger;

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}

/**
 * The bridge's logger on standard output, in the format asked for; with none asked for,
 * pretty on a terminal and JSON lines when the output goes to a file, a pipe or a collector.
 */
export function loggerFor(
  options: Pick<BridgeOptions, 'logLevel' | 'logFormat'>,
  out: { isTTY?: boolean; write(text: string): unknown } = process.stdout,
): Logger {
  const pretty = (options.logFormat ?? (out.isTTY === true ? 'pretty' : 'json')) === 'pretty';
  if (pretty) return createLogger(options.logLevel, prettyStream(out));
  // pino's own writer is the quickest way to standard output.
  return createLogger(
    options.logLevel,
    out === process.stdout ? undefined : { write: (line: string) => void out.write(line) },
  );
}

/** A logger that drops everything, for tests that do not read the log. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
