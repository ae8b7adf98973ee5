// The benchmark's figures as JSON (bench/results/latest.json) and as a short table, each
// target with PASS or FAIL.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { packagePath } from '../src/package-root';
import type { BytesResult, CostResult } from './in-process';
import type { ScalePoint, StartupResult } from './scale';
import type { EndToEndResult, LatencyResult, RateResult } from './throughput';

export interface Results {
  machine: { node: string; cpus: number; cpuModel: string; memoryGb: number };
  version: string;
  date: string;
  seconds: number;
  /** A quick run is smaller and not comparable with a full one; it has its own file. */
  run: 'full' | 'quick';
  /** Throughput rounds; each figure is the best round's. */
  rounds: number;
  relay: RateResult;
  endToEnd: EndToEndResult & { shareOfCeiling: number };
  /**
   * The decode-and-relay stand-in through the same harness: what the machine allows. Its
   * CPU time is under cpuUs.bridge, the process in the bridge's place.
   */
  standIn: EndToEndResult & { shareOfCeiling: number };
  latency: LatencyResult;
  cost: CostResult;
  scale: ScalePoint[];
  startup: StartupResult;
  bytes: BytesResult;
  targets: Target[];
}

export interface Target {
  name: string;
  figure: string;
  target: string;
  pass: boolean;
}

export function targets(r: Omit<Results, 'targets'>): Target[] {
  const first = r.scale[0];
  const last = r.scale[r.scale.length - 1];
  const growth = first && last ? last.perMessageUs / first.perMessageUs - 1 : Number.NaN;
  return [
    {
      name: 'end-to-end rate',
      figure: `${percent(r.endToEnd.shareOfCeiling)} of the broker's relay rate`,
      target: '≥ 50%',
      pass: r.endToEnd.shareOfCeiling >= 0.5,
    },
    {
      name: `latency at ${count(r.latency.perSecond)} msg/s`,
      figure: `p99 ${ms(r.latency.p99Ms)}`,
      target: '< 10 ms',
      pass: r.latency.p99Ms < 10 && r.latency.received === r.latency.messages,
    },
    {
      name: `cost per message, ${count(last?.gateways ?? 0)} vs ${count(first?.gateways ?? 0)} gateway`,
      figure: `${growth >= 0 ? '+' : ''}${percent(growth)}`,
      target: 'within 20%',
      pass: Math.abs(growth) <= 0.2,
    },
    {
      name: 'resident memory, one gateway',
      figure: `${mb(first?.rssMb ?? Number.NaN)} after GC`,
      target: '< 80 MB',
      pass: (first?.rssMb ?? Number.POSITIVE_INFINITY) < 80,
    },
  ];
}

export function table(r: Results): string {
  const rows: string[][] = [
    [
      'broker relay (ceiling)',
      `${count(r.relay.perSecond)} msg/s (CPU per message: broker ${us(r.relay.cpuUs.broker)},` +
        ` sender ${us(r.relay.cpuUs.publisher)})`,
    ],
    [
      'bridge end to end',
      `${count(r.endToEnd.perSecond)} msg/s = ${percent(r.endToEnd.shareOfCeiling)} of ceiling` +
        ` (${count(r.endToEnd.statesOut)} states out for ${count(r.endToEnd.messages)} in;` +
        ` CPU per message: bridge ${us(r.endToEnd.cpuUs.bridge ?? Number.NaN)},` +
        ` broker ${us(r.endToEnd.cpuUs.broker)})`,
    ],
    [
      'decode-and-relay stand-in',
      `${count(r.standIn.perSecond)} msg/s = ${percent(r.standIn.shareOfCeiling)} of ceiling` +
        ` (as many states of the same size as the bridge's, no translation;` +
        ` CPU per message: stand-in ${us(r.standIn.cpuUs.bridge ?? Number.NaN)},` +
        ` broker ${us(r.standIn.cpuUs.broker)})`,
    ],
    [
      `latency at ${count(r.latency.perSecond)} msg/s`,
      `median ${ms(r.latency.p50Ms)}, p99 ${ms(r.latency.p99Ms)}, max ${ms(r.latency.maxMs)}` +
        ` (${count(r.latency.received)}/${count(r.latency.messages)} arrived; event loop` +
        ` held up at p99: bridge ${ms(r.latency.bridgeLoopDelayP99Ms)},` +
        ` probe ${ms(r.latency.probeLoopDelayP99Ms)})`,
    ],
    [
      'per message, in-process',
      `decode+translate ${us(r.cost.decodeTranslateUs)}, whole handler ${us(r.cost.handleUs)};` +
        ` bare protobufjs decode ${us(r.cost.bareDecodeUs)}`,
    ],
    ...r.scale.map((p) => [
      `${count(p.gateways)} gateway${p.gateways === 1 ? '' : 's'}`,
      `RSS ${mb(p.rssMb)} after GC (heap ${mb(p.heapMb)}; ${mb(p.rssAfterIntroductionMb)}` +
        ` right after introduction; ${mb(p.rssUnderLoadMb)} under load),` +
        ` CPU ${us(p.perMessageUs)} per message (handler ${us(p.handlerUs)}),` +
        ` ${count(p.configs)} configs, introduced in ${p.introductionSeconds.toFixed(1)} s`,
    ]),
    [
      'start-up to first discovery config',
      `${ms(r.startup.medianMs)} median of ${r.startup.runsMs.length}` +
        ` (CLI RSS ${mb(r.startup.cliRssMb)} with one gateway, no forced GC)`,
    ],
    [
      'to Home Assistant per gateway-hour',
      `lean ${kb(r.bytes.lean.bytes)}, ${count(r.bytes.lean.stateMessages)} states,` +
        ` ${count(r.bytes.lean.recorderRows)} recorder rows; every message` +
        ` ${kb(r.bytes.everyMessage.bytes)}, ${count(r.bytes.everyMessage.stateMessages)} states,` +
        ` ${count(r.bytes.everyMessage.recorderRows)} rows`,
    ],
  ];
  const width = Math.max(...rows.map(([name]) => (name ?? '').length));
  const lines = [
    `predbat-gateway-bridge ${r.version} benchmark (${r.run} run, best of ${r.rounds}` +
      ` round${r.rounds === 1 ? '' : 's'}): node ${r.machine.node},` +
      ` ${r.machine.cpus} CPUs (${r.machine.cpuModel}), ${r.seconds.toFixed(0)} s`,
    '',
    ...rows.map(([name, figure]) => `  ${(name ?? '').padEnd(width)}  ${figure}`),
    '',
    ...r.targets.map(
      (t) => `  ${t.pass ? 'PASS' : 'FAIL'}  ${t.name}: ${t.figure} (target ${t.target})`,
    ),
  ];
  return lines.join('\n');
}

export function machine(): Results['machine'] {
  return {
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
  };
}

export function save(results: Results): string {
  const file = packagePath(
    'bench',
    'results',
    results.run === 'quick' ? 'quick.json' : 'latest.json',
  );
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}

const count = (n: number): string => Math.round(n).toLocaleString('en-US');
const percent = (x: number): string => `${(x * 100).toFixed(0)}%`;
const ms = (x: number): string => `${x.toFixed(x < 10 ? 2 : 0)} ms`;
const us = (x: number): string => `${x.toFixed(1)} µs`;
const mb = (x: number): string => `${x.toFixed(1)} MB`;
const kb = (x: number): string => `${(x / 1000).toFixed(1)} kB`;
