// A logger whose lines a test can read: what a user would see in the log.
import { createLogger, type Logger } from '../../src/bridge/logger';

export interface CapturedLog {
  logger: Logger;
  /** Every line as written, JSON text. */
  lines: string[];
  messages(): string[];
}

export function captureLog(level = 'debug'): CapturedLog {
  const lines: string[] = [];
  const logger = createLogger(level, { write: (line: string) => lines.push(line) });
  return {
    logger,
    lines,
    messages: () => lines.map((line) => (JSON.parse(line) as { msg: string }).msg),
  };
}
