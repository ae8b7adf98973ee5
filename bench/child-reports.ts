// What a bridge process under the benchmark tells it over IPC: its counters, its CPU time
// and memory, and how long its event loop was held up. Shared by the bridge itself and
// the decode-and-relay stand-in, so the benchmark reads both the same way.
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface ChildReport {
  statusMessages: number;
  statesPublished: number;
  configs: number;
  /** Discovery configs received: the bridge's own coming back, and a previous run's. */
  configsReceived: number;
  /** Milliseconds spent inside the status handler since the last reset. */
  busyMs: number;
  busyMessages: number;
  /** CPU time of the whole process since it started (user + system, ms). */
  cpuMs: number;
  rss: number;
  heapUsed: number;
  /** Event loop delay since the last reset: how long a message could wait (ms). */
  loopDelayMs: { p50: number; p99: number; max: number };
}

export type ChildRequest = { type: 'report'; gc?: boolean } | { type: 'reset' } | { type: 'stop' };

/** The process's own counters; the channel adds CPU, memory and event loop delay. */
export type Counters = Pick<
  ChildReport,
  'statusMessages' | 'statesPublished' | 'configs' | 'configsReceived'
>;

/** Times a status handler, so that reports carry the time spent in it. */
export class Busy {
  ms = 0;
  messages = 0;

  time<A extends unknown[]>(handler: (...args: A) => void): (...args: A) => void {
    return (...args: A): void => {
      const start = performance.now();
      handler(...args);
      this.ms += performance.now() - start;
      this.messages += 1;
    };
  }
}

/** Answers the benchmark's requests until it asks the process to stop. */
export function serveReports(
  counters: () => Counters,
  busy: Busy,
  stop: () => Promise<void>,
): void {
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const report = (gc: boolean): ChildReport => {
    if (gc && global.gc) {
      global.gc();
      global.gc();
    }
    const memory = process.memoryUsage();
    const cpu = process.cpuUsage();
    return {
      ...counters(),
      busyMs: busy.ms,
      busyMessages: busy.messages,
      cpuMs: (cpu.user + cpu.system) / 1000,
      loopDelayMs: {
        p50: loop.percentile(50) / 1e6,
        p99: loop.percentile(99) / 1e6,
        max: loop.max / 1e6,
      },
      rss: memory.rss,
      heapUsed: memory.heapUsed,
    };
  };
  process.on('message', (request: ChildRequest) => {
    if (request.type === 'report') process.send?.(report(request.gc === true));
    else if (request.type === 'reset') {
      busy.ms = 0;
      busy.messages = 0;
      loop.reset();
      process.send?.(report(false));
    } else {
      void stop().finally(() => process.exit(0));
    }
  });
}
