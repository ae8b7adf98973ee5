// The log as a person reads it on a terminal: one line per event, local time, level, area
// and the message, which already says what happened and what to do, followed by any plain
// field the message does not already name. Log tools and the add-on keep pino's JSON lines,
// where every structured field stays.

const LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

interface LogRecord {
  level?: number;
  time?: string;
  area?: string;
  msg?: string;
  err?: { stack?: string; message?: string };
  [field: string]: unknown;
}

const OWN_FIELDS = new Set(['level', 'time', 'area', 'msg', 'err']);

const two = (n: number): string => String(n).padStart(2, '0');

/** One JSON log line as `HH:MM:SS LEVEL [area] message`; a line that is not JSON as it is. */
export function prettyLine(json: string): string {
  let record: LogRecord;
  try {
    record = JSON.parse(json) as LogRecord;
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`;
  }
  const parts: string[] = [];
  const time = record.time === undefined ? undefined : new Date(record.time);
  if (time !== undefined && !Number.isNaN(time.getTime())) {
    parts.push(`${two(time.getHours())}:${two(time.getMinutes())}:${two(time.getSeconds())}`);
  }
  parts.push((LEVELS[record.level ?? 30] ?? String(record.level)).padEnd(5));
  if (record.area !== undefined) parts.push(`[${record.area}]`);
  const msg = record.msg ?? '';
  parts.push(msg);
  // Nested fields (the start-up summary) have their readable version in the message.
  const extra = Object.entries(record)
    .filter(([key, value]) => !OWN_FIELDS.has(key) && value !== null && typeof value !== 'object')
    .filter(([, value]) => !msg.includes(String(value)))
    .map(([key, value]) => `${key}=${String(value)}`);
  if (extra.length > 0) parts.push(`(${extra.join(', ')})`);
  const stack = record.err?.stack ?? record.err?.message;
  return `${parts.join(' ')}${stack === undefined ? '' : `\n${stack}`}\n`;
}

/** A pino destination that writes pretty lines to `out`. */
export function prettyStream(out: { write(text: string): unknown }): { write(line: string): void } {
  return { write: (line: string) => void out.write(prettyLine(line)) };
}
