// One structured logger; each area logs through its own child (mqtt, gateway, ...).
import pino from 'pino';

export type Logger = pino.Logger;

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}

/** A logger that drops everything, for tests that do not read the log. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
