// The bridge as the benchmark runs it: its own process (node --expose-gc), the real
// runBridge against the benchmark's broker, and a channel to the benchmark for its
// counters, the time it spends handling status messages, and its memory after a GC.
// Started by bench/processes.ts; argv[2] is the options as JSON (option names).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { collectOptions, resolveOptions } from '../src/bridge/config';
import { createLogger } from '../src/bridge/logger';
import { runBridge } from '../src/bridge/run';
import { Busy, serveReports } from './child-reports';

function main(): void {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-bridge-'));
  const raw = JSON.parse(process.argv[2] ?? '{}') as Record<string, unknown>;
  const options = resolveOptions(collectOptions({}, {}, { data_dir: dataDir, ...raw }));
  const running = runBridge(options, createLogger(options.logLevel));
  const { bridge } = running;
  let configsReceived = 0;
  const learn = bridge.handleDiscoveryConfig.bind(bridge);
  bridge.handleDiscoveryConfig = (topic: string, payload: Uint8Array): void => {
    configsReceived += 1;
    learn(topic, payload);
  };
  const busy = new Busy();
  bridge.handleStatus = busy.time(bridge.handleStatus.bind(bridge));
  serveReports(
    () => ({
      statusMessages: bridge.stats.statusMessages,
      statesPublished: bridge.stats.statesPublished,
      configs: bridge.discovery.size,
      configsReceived,
    }),
    busy,
    async () => {
      try {
        await running.stop();
      } finally {
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    },
  );
  void running.ready.then(() => process.send?.('ready'));
}

main();
