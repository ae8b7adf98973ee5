// The bridge as the benchmark runs it: its own process (node --expose-gc), the real
// runBridge against the benchmark's broker, and a channel to the benchmark for its
// counters, the time it spends handling status messages, and its memory after a GC.
// Started by bench/processes.ts; argv[2] is the options as JSON (option names).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { collectOptions, resolveOptions } from '../src/bridge/config';
import { createLogger } from '../src/bridge/logger';
import { runBridge } from '../src/bridge/run';

export interface ChildReport {
  statusMessages: number;
  statesPublished: number;
  configs: number;
  /** Discovery configs received: the bridge's own coming back, and a previous run's. */
  configsReceived: number;
  /** Milliseconds spent inside handleStatus since the last reset. */
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

function main(): void {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-bridge-'));
  const raw = JSON.parse(process.argv[2] ?? '{}') as Record<string, unknown>;
  const options = resolveOptions(collectOptions({}, {}, { data_dir: dataDir, ...raw }));
  const running = runBridge(options, createLogger(options.logLevel));
  const { bridge } = running;
  let busyMs = 0;
  let busyMessages = 0;
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  let configsReceived = 0;
  const learn = bridge.handleDiscoveryConfig.bind(bridge);
  bridge.handleDiscoveryConfig = (topic: string, payload: Uint8Array): void => {
    configsReceived += 1;
    learn(topic, payload);
  };
  const handle = bridge.handleStatus.bind(bridge);
  bridge.handleStatus = (id: string, payload: Uint8Array): void => {
    const start = performance.now();
    handle(id, payload);
    busyMs += performance.now() - start;
    busyMessages += 1;
  };
  const report = (gc: boolean): ChildReport => {
    if (gc && global.gc) {
      global.gc();
      global.gc();
    }
    const memory = process.memoryUsage();
    const cpu = process.cpuUsage();
    return {
      statusMessages: bridge.stats.statusMessages,
      statesPublished: bridge.stats.statesPublished,
      configs: bridge.discovery.size,
      configsReceived,
      busyMs,
      busyMessages,
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
      busyMs = 0;
      busyMessages = 0;
      loop.reset();
      process.send?.(report(false));
    } else {
      void running.stop().finally(() => {
        fs.rmSync(dataDir, { recursive: true, force: true });
        process.exit(0);
      });
    }
  });
  void running.ready.then(() => process.send?.('ready'));
}

main();
