// The latency probe in its own small process: it sends marked status messages at a fixed
// rate and times each marked state's return, with nothing else on its event loop (the
// benchmark's own process holds a fleet of simulated sites, whose garbage collections would
// count as latency). argv[2] is a LatencyPlan as JSON; the result goes back over IPC.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { clock } from './processes';
import { connectPublisher, publishAtRate } from './publisher';
import { fleet, fleetStream } from './telemetry';

export interface LatencyPlan {
  url: string;
  prefix: string;
  base: string;
  gateways: number;
  perSecond: number;
  /** Sent first and not measured. */
  warmup: number;
  count: number;
}

export interface LatencyReply {
  received: number;
  /** Milliseconds from publish to the state's arrival, sorted. */
  delays: number[];
  probeLoopDelayP99Ms: number;
}

const MARK = 1_000_000;

async function main(): Promise<void> {
  const plan = JSON.parse(process.argv[2] ?? '{}') as LatencyPlan;
  const total = plan.warmup + plan.count;
  const messages = fleetStream(fleet(plan.gateways), total, plan.prefix, (k) => MARK + k);
  if (global.gc) global.gc();
  const sentAt = new Float64Array(total);
  const arrivedAt = new Float64Array(total);
  const client = await connectPublisher(plan.url);
  await client.subscribeAsync(`${plan.base}/+/state`, { qos: 0 });
  const pattern = /"heap_internal_min_free":(\d+)/;
  let received = 0;
  client.on('message', (_topic, payload) => {
    const now = clock();
    const k = Number(pattern.exec(payload.toString())?.[1] ?? 0) - MARK;
    if (k >= 0 && k < total && arrivedAt[k] === 0) {
      arrivedAt[k] = now;
      if (k >= plan.warmup) received += 1;
    }
  });
  const loop = monitorEventLoopDelay({ resolution: 1 });
  await publishAtRate(client, messages.slice(0, plan.warmup), plan.perSecond, (k, at) => {
    sentAt[k] = at;
  });
  loop.enable();
  await publishAtRate(client, messages.slice(plan.warmup), plan.perSecond, (k, at) => {
    sentAt[plan.warmup + k] = at;
  });
  const deadline = clock() + 10_000;
  while (received < plan.count && clock() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  loop.disable();
  await client.endAsync();
  const delays: number[] = [];
  for (let k = plan.warmup; k < total; k++) {
    if (arrivedAt[k] !== 0) delays.push((arrivedAt[k] as number) - (sentAt[k] as number));
  }
  delays.sort((a, b) => a - b);
  const reply: LatencyReply = { received, delays, probeLoopDelayP99Ms: loop.percentile(99) / 1e6 };
  process.send?.(reply, () => process.exit(0));
}

main().catch((error: unknown) => {
  process.stderr.write(`latency probe: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(2);
});
