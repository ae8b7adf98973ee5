// How the bridge grows with its fleet: resident memory after a GC and the time each
// status message costs inside the running bridge, with 1 to 10,000 gateways; and how
// long the command-line bridge takes from its start to its first discovery config.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { MqttClient } from 'mqtt';
import { packagePath } from '../src/package-root';
import { startMosquitto } from './mosquitto';
import type { ChildReport } from './child-reports';
import { BridgeProcess, clock, sleep } from './processes';
import { connectPublisher, publishAll, publishAtRate } from './publisher';
import { SITE_ZONE, SiteSimulator, fleet, fleetStream } from './telemetry';
import { BENCH_BROKER, PREFIX, percentile } from './throughput';

/** One kind of site throughout, so only the number of gateways changes between sizes. */
const SCALE_FIXTURE = 'single-givenergy';

export interface ScalePoint {
  gateways: number;
  /**
   * Resident memory after a GC, once the gateways have reported at their own pace a while
   * after their introduction (before the bursts that measure the cost) and the process has
   * handed back what the introduction took.
   */
  rssMb: number;
  /** Resident memory after a GC right after the introduction and the paced messages. */
  rssAfterIntroductionMb: number;
  heapMb: number;
  /** The most resident memory seen during the bursts that measure the cost (no GC). */
  rssUnderLoadMb: number;
  /** CPU time of the bridge process per status message, in steady state (µs). */
  perMessageUs: number;
  /** Of which inside the status handler (wall time, µs). */
  handlerUs: number;
  messages: number;
  /** Discovery configs the bridge keeps track of. */
  configs: number;
  /** From the first status of every gateway until the bridge went quiet. */
  introductionSeconds: number;
}

/** How long every gateway reports at its own pace (one message per 10 s) before memory is read. */
const PACE_SECONDS = 12;
/**
 * Introducing thousands of gateways publishes hundreds of thousands of configs at once; V8
 * and the C library hand the memory that took back over tens of seconds. Memory is read
 * again until it stops falling, for at most this long.
 */
const SETTLE_MEMORY_MS = 60_000;

/** Memory after a GC now, and once it no longer falls by more than 2% in 5 s. */
async function settledMemory(
  bridge: BridgeProcess,
): Promise<{ first: ChildReport; settled: ChildReport }> {
  const first = await bridge.report(true);
  const deadline = Date.now() + SETTLE_MEMORY_MS;
  let settled = first;
  while (Date.now() < deadline) {
    await sleep(5000);
    const now = await bridge.report(true);
    const falling = now.rss < settled.rss * 0.98;
    settled = now;
    if (!falling) break;
  }
  return { first, settled };
}

interface Rig {
  gateways: number;
  sites: SiteSimulator[];
  bridge: BridgeProcess;
  publisher: MqttClient;
  handled: number;
  introductionSeconds: number;
  rounds: Array<{ cpu: number; handler: number }>;
  rssUnderLoad: number;
  close(): Promise<void>;
}

async function rig(gateways: number): Promise<Rig> {
  const broker = await startMosquitto(BENCH_BROKER);
  const bridge = await BridgeProcess.start({
    mqtt_url: broker.url,
    max_gateways: Math.max(gateways, 1),
    log_level: 'error',
    timezone: SITE_ZONE,
    // The sizes take turns, so a gateway may wait minutes for its next message here.
    stale_after: 3600,
  });
  const sites = fleet(gateways, SCALE_FIXTURE);
  const publisher = await connectPublisher(broker.url);
  const introduced = clock();
  await publishAll(publisher, fleetStream(sites, gateways, PREFIX), 1);
  const report = await bridge.settle(gateways);
  return {
    gateways,
    sites,
    bridge,
    publisher,
    handled: report.statusMessages,
    introductionSeconds: (clock() - introduced) / 1000,
    rounds: [],
    rssUnderLoad: 0,
    async close() {
      await publisher.endAsync();
      await bridge.close();
      await broker.stop();
    },
  };
}

/** A burst of messages; what it cost the bridge process per message. */
async function costRound(r: Rig, messages: number): Promise<void> {
  const stream = fleetStream(r.sites, messages, PREFIX);
  const before = await r.bridge.ask({ type: 'reset' });
  await publishAll(r.publisher, stream, 1);
  const after = await r.bridge.settle(r.handled + stream.length, 200);
  r.handled = after.statusMessages;
  r.rssUnderLoad = Math.max(r.rssUnderLoad, after.rss);
  r.rounds.push({
    cpu: ((after.cpuMs - before.cpuMs) * 1000) / stream.length,
    handler: (after.busyMs * 1000) / after.busyMessages,
  });
}

/**
 * Every size's bridge at once, each in its own process with its own broker. Once all are
 * introduced, every gateway reports at its own pace for a while and memory is read after a
 * GC. Then the bursts that measure the cost take turns between sizes, so a busy moment of
 * the machine falls on all of them alike. Other work on the machine only ever adds to a
 * round's cost, so each size's cost is its cheapest round, as the throughput's is its best.
 */
export async function scale(
  sizes: number[],
  perRound: number,
  rounds: number,
): Promise<ScalePoint[]> {
  const rigs: Rig[] = [];
  try {
    for (const size of sizes) rigs.push(await rig(size));
    await Promise.all(
      rigs.map(async (r) => {
        const paced = fleetStream(r.sites, Math.ceil((r.gateways * PACE_SECONDS) / 10), PREFIX);
        await publishAtRate(r.publisher, paced, r.gateways / 10, () => undefined);
        r.handled = (await r.bridge.settle(r.handled + paced.length, 200)).statusMessages;
      }),
    );
    const memory = await Promise.all(rigs.map((r) => settledMemory(r.bridge)));
    for (let round = 0; round < rounds; round++) {
      for (const r of rigs) await costRound(r, Math.max(perRound, r.gateways));
    }
    return rigs.map((r, i) => {
      const sorted = [...r.rounds].sort((a, b) => a.cpu - b.cpu);
      const best = sorted[0] ?? {
        cpu: Number.NaN,
        handler: Number.NaN,
      };
      const { first, settled: held } = memory[i] as Awaited<ReturnType<typeof settledMemory>>;
      return {
        gateways: r.gateways,
        rssMb: held.rss / 2 ** 20,
        rssAfterIntroductionMb: first.rss / 2 ** 20,
        heapMb: held.heapUsed / 2 ** 20,
        rssUnderLoadMb: r.rssUnderLoad / 2 ** 20,
        perMessageUs: best.cpu,
        handlerUs: best.handler,
        messages: r.rounds.length * Math.max(perRound, r.gateways),
        configs: held.configs,
        introductionSeconds: r.introductionSeconds,
      };
    });
  } finally {
    for (const r of rigs) await r.close();
  }
}

export interface StartupResult {
  /** Milliseconds from starting the process to the first discovery config, per run. */
  runsMs: number[];
  medianMs: number;
  /** The command-line bridge's resident memory (no forced GC) with one gateway reporting. */
  cliRssMb: number;
}

/**
 * `node dist/src/main.js` against an empty broker with a gateway already reporting:
 * process start, templates, connect, the wait for retained configs, the first message.
 */
export async function startupTime(runs = 3): Promise<StartupResult> {
  const runsMs: number[] = [];
  let cliRssMb = Number.NaN;
  for (let run = 0; run < runs; run++) {
    const broker = await startMosquitto(BENCH_BROKER);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-start-'));
    const watcher = await connectPublisher(broker.url);
    await watcher.subscribeAsync('homeassistant/#', { qos: 0 });
    const firstConfig = new Promise<number>((resolve) => {
      watcher.on('message', (_topic, _payload, packet) => {
        if (!packet.retain) resolve(clock());
      });
    });
    const site = new SiteSimulator(run, SCALE_FIXTURE);
    let reporting = true;
    const report = async (): Promise<void> => {
      while (reporting) {
        await watcher.publishAsync(`${PREFIX}/${site.id}/status`, Buffer.from(site.nextBytes()), {
          qos: 1,
        });
        await sleep(20);
      }
    };
    const reporter = report();
    const started = clock();
    const cli = spawn(
      process.execPath,
      [packagePath('dist', 'src', 'main.js'), '--mqtt-url', broker.url, '--log-level', 'warn'],
      { stdio: 'ignore', env: { ...process.env, DATA_DIR: dataDir } },
    );
    runsMs.push((await firstConfig) - started);
    if (run === runs - 1) {
      // 150 more messages (25 minutes of the gateway's telemetry), then what the process holds.
      await sleep(3000);
      cliRssMb = residentMb(cli.pid);
    }
    reporting = false;
    await reporter;
    await new Promise<void>((resolve) => {
      cli.once('exit', () => resolve());
      cli.kill('SIGTERM');
    });
    await watcher.endAsync();
    await broker.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return {
    runsMs,
    medianMs: percentile(
      [...runsMs].sort((a, b) => a - b),
      0.5,
    ),
    cliRssMb,
  };
}

function residentMb(pid: number | undefined): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
    return kb === undefined ? Number.NaN : Number(kb) / 1024;
  } catch {
    return Number.NaN;
  }
}
