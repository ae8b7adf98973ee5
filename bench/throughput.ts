// Through a real Mosquitto: the broker's own relay rate (the ceiling), the bridge's
// sustained rate end to end (status in, state out), and the latency from a status
// publish to its state's arrival at a fixed moderate rate.
import { fork } from 'node:child_process';
import * as path from 'node:path';
import { type Broker, startMosquitto } from './mosquitto';
import type { LatencyPlan, LatencyReply } from './latency-child';
import type { RelayPlan } from './relay-child';
import { BridgeProcess, SinkProcess, clock, sleep } from './processes';
import { connectPublisher, publishAll } from './publisher';
import { type Outgoing, SITE_ZONE, type SiteSimulator, fleetStream } from './telemetry';

export const PREFIX = 'predbat/devices';
export const BASE = 'predbat_bridge';
/**
 * Queues without limits: a slow subscriber must get every message, not lose some. Every
 * section runs on brokers set up alike, the relay rate's included.
 */
export const BENCH_BROKER = [
  'max_queued_messages 0',
  'max_inflight_messages 0',
  // Small messages leave at once, as from a broker set up for latency.
  'set_tcp_nodelay true',
];

export interface RateResult {
  messages: number;
  seconds: number;
  perSecond: number;
  /** CPU time per message of the broker, the sending client and (end to end) the bridge. */
  cpuUs: { broker: number; publisher: number; bridge?: number };
}

export interface EndToEndResult extends RateResult {
  statesOut: number;
  /** Bytes of the states that reached the subscriber, topics included. */
  bytesOut: number;
  handled: number;
}

export interface LatencyResult {
  perSecond: number;
  messages: number;
  received: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** How long the bridge's event loop was held up meanwhile (p99, ms). */
  bridgeLoopDelayP99Ms: number;
  /** And the probe's, which counts in every delay it measures. */
  probeLoopDelayP99Ms: number;
}

/** A plain publisher → broker → subscriber pass-through of the same messages. */
export async function relayRate(messages: Outgoing[]): Promise<RateResult> {
  const broker = await startMosquitto(BENCH_BROKER);
  try {
    const sink = await SinkProcess.start(broker.url, 1, [`${PREFIX}/+/status`]);
    const publisher = await connectPublisher(broker.url);
    const done = sink.ask({ type: 'count', n: messages.length });
    const cpu = { broker: broker.cpuMs(), publisher: process.cpuUsage() };
    const start = clock();
    await publishAll(publisher, messages, 1);
    const { at } = await done;
    const cpuUs = perMessage(messages.length, broker.cpuMs() - cpu.broker, cpu.publisher);
    await publisher.endAsync();
    await sink.close();
    return { ...rate(messages.length, at - start), cpuUs };
  } finally {
    await broker.stop();
  }
}

/** A running bridge on a private broker, its gateways introduced (discovery done). */
export interface BridgeRig {
  url: string;
  brokerCpuMs(): number;
  bridge: BridgeProcess;
  sites: SiteSimulator[];
  handled: number;
  close(): Promise<void>;
}

export async function bridgeRig(sites: SiteSimulator[]): Promise<BridgeRig> {
  const broker = await startMosquitto(BENCH_BROKER);
  const bridge = await BridgeProcess.start({
    mqtt_url: broker.url,
    max_gateways: sites.length + 1,
    log_level: 'error',
    timezone: SITE_ZONE,
  });
  return introduced(broker, bridge, sites);
}

/**
 * The decode-and-relay stand-in (bench/relay-child.ts) in the bridge's place, sending as
 * many states of the same size as the bridge did end to end.
 */
export async function standInRig(
  sites: SiteSimulator[],
  bridgeRun: EndToEndResult,
): Promise<BridgeRig> {
  const broker = await startMosquitto(BENCH_BROKER);
  const [site] = sites;
  const topicBytes = Buffer.byteLength(`${BASE}/${site?.id ?? ''}/state`);
  const plan: RelayPlan = {
    url: broker.url,
    prefix: PREFIX,
    base: BASE,
    statesPerMessage: bridgeRun.statesOut / bridgeRun.messages,
    stateBytes: Math.round(bridgeRun.bytesOut / bridgeRun.statesOut - topicBytes),
  };
  const standIn = await BridgeProcess.start(plan, 'relay-child.js');
  return introduced(broker, standIn, sites);
}

/** The rig once every gateway's first message went through, so discovery is not measured. */
async function introduced(
  broker: Broker,
  bridge: BridgeProcess,
  sites: SiteSimulator[],
): Promise<BridgeRig> {
  const publisher = await connectPublisher(broker.url);
  await publishAll(publisher, fleetStream(sites, sites.length, PREFIX), 1);
  await publisher.endAsync();
  const settled = await bridge.settle(sites.length);
  return {
    url: broker.url,
    brokerCpuMs: () => broker.cpuMs(),
    bridge,
    sites,
    handled: settled.statusMessages,
    async close() {
      await bridge.close();
      await broker.stop();
    },
  };
}

/**
 * Sends the messages as fast as the broker takes them, then a last one that surely
 * changes a state; the rate counts until that state reaches a subscriber.
 */
export async function endToEnd(rig: BridgeRig, messages: Outgoing[]): Promise<EndToEndResult> {
  const [site] = rig.sites;
  if (site === undefined) throw new Error('no gateways');
  const marker = 900_000 + (rig.handled % 90_000);
  const last: Outgoing = {
    gateway: site.id,
    topic: `${PREFIX}/${site.id}/status`,
    payload: site.nextBytes(marker),
  };
  const sink = await SinkProcess.start(rig.url, 0, [`${BASE}/#`]);
  // Retained states arrive right after subscribing; they are not part of the count.
  await sleep(300);
  const before = await sink.ask({ type: 'count', n: 0 });
  const publisher = await connectPublisher(rig.url);
  const done = sink.ask({
    type: 'watch',
    topic: `${BASE}/${site.id}/state`,
    contains: `"heap_internal_min_free":${marker}`,
  });
  const cpu = {
    broker: rig.brokerCpuMs(),
    bridge: (await rig.bridge.report()).cpuMs,
    publisher: process.cpuUsage(),
  };
  const start = clock();
  await publishAll(publisher, [...messages, last], 1);
  const arrived = await done;
  const count = messages.length + 1;
  const cpuUs = perMessage(count, rig.brokerCpuMs() - cpu.broker, cpu.publisher);
  await publisher.endAsync();
  await sink.close();
  const report = await rig.bridge.settle(rig.handled + count);
  rig.handled = report.statusMessages;
  return {
    ...rate(count, arrived.at - start),
    cpuUs: { ...cpuUs, bridge: ((report.cpuMs - cpu.bridge) * 1000) / count },
    statesOut: arrived.count - before.count,
    bytesOut: arrived.bytes - before.bytes,
    handled: report.statusMessages,
  };
}

/**
 * Status publish → state arrival, each message marked so its state is known, measured by a
 * probe in its own process after a second at the rate that is not measured. A GC first
 * clears what the sections before left in the bridge.
 */
export async function latency(
  rig: BridgeRig,
  perSecond: number,
  count: number,
): Promise<LatencyResult> {
  await rig.bridge.report(true);
  await rig.bridge.ask({ type: 'reset' });
  const plan: LatencyPlan = {
    url: rig.url,
    prefix: PREFIX,
    base: BASE,
    gateways: rig.sites.length,
    perSecond,
    warmup: perSecond,
    count,
  };
  const probe = fork(path.join(__dirname, 'latency-child.js'), [JSON.stringify(plan)], {
    execArgv: ['--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const reply = await new Promise<LatencyReply>((resolve, reject) => {
    probe.once('message', (message) => resolve(message as LatencyReply));
    probe.once('exit', (code) => reject(new Error(`the latency probe ended (${code})`)));
  });
  const report = await rig.bridge.settle(rig.handled + plan.warmup + count);
  rig.handled = report.statusMessages;
  const { delays } = reply;
  return {
    perSecond,
    messages: count,
    received: reply.received,
    p50Ms: percentile(delays, 0.5),
    p99Ms: percentile(delays, 0.99),
    maxMs: delays[delays.length - 1] ?? Number.NaN,
    bridgeLoopDelayP99Ms: report.loopDelayMs.p99,
    probeLoopDelayP99Ms: reply.probeLoopDelayP99Ms,
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
}

function rate(messages: number, ms: number): Omit<RateResult, 'cpuUs'> {
  return { messages, seconds: ms / 1000, perSecond: (messages * 1000) / ms };
}

function perMessage(
  messages: number,
  brokerMs: number,
  publisherSince: NodeJS.CpuUsage,
): RateResult['cpuUs'] {
  const publisher = process.cpuUsage(publisherSince);
  return {
    broker: (brokerMs * 1000) / messages,
    publisher: (publisher.user + publisher.system) / messages,
  };
}
