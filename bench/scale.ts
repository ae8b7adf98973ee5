// How the bridge grows with its fleet: resident memory after a GC and the time each
// status message costs inside the running bridge, with 1 to 10,000 gateways; and how
// long the command-line bridge takes from its start to its first discovery config.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { packagePath } from '../src/package-root';
import { startMosquitto } from './mosquitto';
import { BridgeProcess, clock, sleep } from './processes';
import { connectPublisher, publishAll } from './publisher';
import { SiteSimulator, fleet, fleetStream } from './telemetry';
import { BENCH_BROKER, PREFIX, percentile } from './throughput';

/** One kind of site throughout, so only the number of gateways changes between sizes. */
const SCALE_FIXTURE = 'single-givenergy';

export interface ScalePoint {
  gateways: number;
  rssMb: number;
  heapMb: number;
  /** Microseconds inside the bridge's status handler per message, in steady state. */
  perMessageUs: number;
  messages: number;
  /** Discovery configs the bridge keeps track of. */
  configs: number;
  /** From the first status of every gateway until the bridge went quiet. */
  introductionSeconds: number;
}

export async function scalePoint(gateways: number, messages: number): Promise<ScalePoint> {
  const broker = await startMosquitto(BENCH_BROKER);
  const bridge = await BridgeProcess.start({
    mqtt_url: broker.url,
    max_gateways: Math.max(gateways, 1),
    log_level: 'warn',
  });
  try {
    const sites = fleet(gateways, SCALE_FIXTURE);
    const publisher = await connectPublisher(broker.url);
    const introduced = clock();
    await publishAll(publisher, fleetStream(sites, gateways, PREFIX), 1);
    await bridge.settle(gateways);
    const introductionSeconds = (clock() - introduced) / 1000;
    // Three rounds: the cost is the median round's, a busy neighbour on the machine aside.
    const rounds: number[] = [];
    let handled = gateways;
    for (let round = 0; round < 3; round++) {
      const stream = fleetStream(sites, Math.ceil(messages / 3), PREFIX);
      await bridge.ask({ type: 'reset' });
      await publishAll(publisher, stream, 1);
      handled += stream.length;
      const report = await bridge.settle(handled, 200);
      rounds.push((report.busyMs * 1000) / report.busyMessages);
    }
    await publisher.endAsync();
    const memory = await bridge.report(true);
    rounds.sort((a, b) => a - b);
    return {
      gateways,
      rssMb: memory.rss / 2 ** 20,
      heapMb: memory.heapUsed / 2 ** 20,
      perMessageUs: percentile(rounds, 0.5),
      messages,
      configs: memory.configs,
      introductionSeconds,
    };
  } finally {
    await bridge.close();
    await broker.stop();
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
