// The bridge as the benchmark runs it: its own process (node --expose-gc), the real
// runBridge against the benchmark's broker, and a channel to the benchmark for its
// counters, the time it spends handling status messages, and its memory after a GC.
// Started by bench/bridge-process.ts; argv[2] is the options as JSON (option names).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { collectOptions, resolveOptions } from '../src/bridge/config';
import { createLogger } from '../src/bridge/logger';
import { runBridge } from '../src/bridge/run';

export interface ChildReport {
  statusMessages: number;
  statesPublished: number;
  configs: number;
  /** Milliseconds spent inside handleStatus since the last reset. */
  busyMs: number;
  busyMessages: number;
  /** When the last status message was handled (ms, performance.timeOrigin based). */
  lastHandledAt: number;
  rss: number;
  heapUsed: number;
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
  let lastHandledAt = 0;
  const handle = bridge.handleStatus.bind(bridge);
  bridge.handleStatus = (id: string, payload: Uint8Array): void => {
    const start = performance.now();
    handle(id, payload);
    const end = performance.now();
    busyMs += end - start;
    busyMessages += 1;
    lastHandledAt = performance.timeOrigin + end;
  };
  const report = (gc: boolean): ChildReport => {
    if (gc && global.gc) {
      global.gc();
      global.gc();
    }
    const memory = process.memoryUsage();
    return {
      statusMessages: bridge.stats.statusMessages,
      statesPublished: bridge.stats.statesPublished,
      configs: bridge.discovery.size,
      busyMs,
      busyMessages,
      lastHandledAt,
      rss: memory.rss,
      heapUsed: memory.heapUsed,
    };
  };
  process.on('message', (request: ChildRequest) => {
    if (request.type === 'report') process.send?.(report(request.gc === true));
    else if (request.type === 'reset') {
      busyMs = 0;
      busyMessages = 0;
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
