// The log as a person reads it on a terminal, through pino-pretty: one line per event with
// local time, level, area and the message, which already says what happened and what to do.
// Log tools and the add-on keep pino's JSON lines, where every structured field stays.
import { Writable } from 'node:stream';
import pinoPretty from 'pino-pretty';

/** A pino destination that writes readable lines to `out`. */
export function prettyStream(out: {
  isTTY?: boolean;
  write(text: string): unknown;
}): NodeJS.WritableStream {
  return pinoPretty({
    colorize: out.isTTY === true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'area',
    messageFormat: '{if area}[{area}] {end}{msg}',
    singleLine: true,
    sync: true,
    destination:
      out instanceof Writable
        ? out
        : new Writable({
            write(chunk: Buffer, _encoding, done) {
              out.write(chunk.toString());
              done();
            },
          }),
  });
}
