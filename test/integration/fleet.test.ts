// Fleet mode through a real Mosquitto: two bridges share one MQTT 5 subscription group.
// Each gateway message is handled by exactly one of them, both take a share, and what Home
// Assistant ends up with is what a single bridge given the same messages would publish.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { Bridge } from '../../src/bridge/bridge';
import { Control } from '../../src/bridge/control';
import { ControlStore } from '../../src/bridge/control-store';
import { silentLogger } from '../../src/bridge/logger';
import { type BridgeOptions, DEFAULT_OPTIONS } from '../../src/bridge/options';
import { type RunningBridge, runBridge } from '../../src/bridge/run';
import { FakeBroker } from '../support/fake-broker';
import { validateDiscovery } from '../support/ha-discovery-validator';
import { type Broker, type Recorder, record, startMosquitto } from '../support/mosquitto';
import { TEMPLATES } from '../support/pipeline';
import { encodeStatus } from '../../src/gateway/wire';
import { fixtureStatus } from '../support/telemetry';

// Seven sites: with an odd count per round, a site's messages go to each bridge in turn.
const SITES = [
  'single-givenergy',
  'mixed-solis-deye',
  'ems-three-aio',
  'ev-charger',
  'minimal',
  'future-firmware',
  'single-givenergy',
];
const ROUNDS = 5;

let broker: Broker;
let ha: Recorder;
let gateway: MqttClient;
const bridges: RunningBridge[] = [];
const dataDirs: string[] = [];

function options(): BridgeOptions {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-'));
  dataDirs.push(dataDir);
  return {
    ...DEFAULT_OPTIONS,
    broker: { url: broker.url, rejectUnauthorized: true },
    dataDir,
    shareGroup: 'bridges',
    logLevel: 'silent',
  };
}

/** Site `index` at sample `round`: every round moves its readings well beyond a deadband. */
function sample(index: number, round: number): { id: string; bytes: Buffer } {
  const id = `pbgw_fleet${index}`;
  const status = fixtureStatus(SITES[index] as string);
  status.device_id = id;
  status.timestamp += 10 * round;
  status.uptime_seconds += 10 * round;
  status.heap_internal_min_free = 30_000 + round;
  for (const entry of status.inverters) {
    if (entry.battery) entry.battery.power_w += 100 * round;
    if (entry.battery) entry.battery.soc_percent = 40 + round;
    if (entry.load) entry.load.power_w += 50 * round;
  }
  for (const charger of status.ev_chargers) charger.power_w += 200 * round;
  return { id, bytes: Buffer.from(encodeStatus(status)) };
}

const handled = (): number[] => bridges.map((b) => b.bridge.stats.statusMessages);
const total = (): number => handled().reduce((sum, n) => sum + n, 0);
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await wait(20);
  }
}

/** Which bridges handled each site's messages. */
const handlers = new Map<string, Set<number>>();

/**
 * Sends one round (a message per site), each once the last is handled, so the order per
 * gateway holds whichever bridge takes it; notes which bridge took each message.
 */
async function sendRound(round: number, reference?: Bridge): Promise<void> {
  for (let index = 0; index < SITES.length; index++) {
    const { id, bytes } = sample(index, round);
    const before = handled();
    await gateway.publishAsync(`predbat/devices/${id}/status`, bytes, { qos: 1 });
    reference?.handleStatus(id, bytes);
    await until(() => total() > before.reduce((sum, n) => sum + n, 0), `${id} round ${round}`);
    const taker = handled().findIndex((n, i) => n > (before[i] ?? 0));
    if (!handlers.has(id)) handlers.set(id, new Set());
    handlers.get(id)?.add(taker);
    // What one bridge published reaches its fellow before the gateway's next message.
    await wait(50);
  }
}

/** Retained messages as Home Assistant holds them, last_seen aside (each bridge's clock). */
function held(retained: Iterable<[string, string]>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [topic, payload] of retained) {
    if (payload === '' || topic.endsWith('/bridge/state')) continue;
    out.set(topic, payload.replace(/"last_seen":"[^"]*"/, '"last_seen":"…"'));
  }
  return out;
}

beforeAll(async () => {
  broker = await startMosquitto();
  ha = await record(broker.url, ['homeassistant/#', 'predbat_bridge/#']);
  gateway = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
  for (let i = 0; i < 2; i++) bridges.push(runBridge(options(), silentLogger()));
  await Promise.all(bridges.map((b) => b.ready));
});

afterAll(async () => {
  for (const b of bridges) await b.stop();
  await ha.close();
  await gateway.endAsync();
  await broker.stop();
  for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('two bridges in one fleet', () => {
  it('handle each message once between them, and Home Assistant sees one bridge', async () => {
    const reference = new FakeBroker();
    let clock = Date.now();
    const singleOptions = {
      ...DEFAULT_OPTIONS,
      dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'one-')),
    };
    dataDirs.push(singleOptions.dataDir);
    const single = new Bridge(singleOptions, TEMPLATES, reference, silentLogger(), () => clock);
    // The same extension a running bridge has: its controls are part of the gateway state.
    single.extensions.push(
      new Control(
        single,
        TEMPLATES,
        singleOptions,
        reference,
        { connected: true, publish: () => undefined },
        new ControlStore(singleOptions.dataDir, silentLogger()),
        silentLogger(),
        () => clock,
      ),
    );
    for (let round = 0; round < ROUNDS; round++) {
      clock = Date.now();
      await sendRound(round, single);
    }
    const sent = ROUNDS * SITES.length;
    const [first = 0, second = 0] = handled();
    expect(first + second).toBe(sent);
    expect(first).toBeGreaterThan(0);
    expect(second).toBeGreaterThan(0);
    // Every gateway was translated by both bridges in turn.
    expect([...handlers.values()].map((takers) => takers.size)).toEqual(SITES.map(() => 2));

    const got = held([...ha.latest].map(([topic, payload]) => [topic, payload.toString()]));
    const want = held(reference.retained);
    const configs = [...want.keys()].filter((topic) => topic.startsWith('homeassistant/'));
    expect(configs.length).toBeGreaterThan(300);
    // Every config and every state as the single bridge has them, and nothing else.
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
    for (const [topic, payload] of want) expect([topic, got.get(topic)]).toEqual([topic, payload]);
    expect(
      validateDiscovery(configs.map((topic) => ({ topic, payload: want.get(topic) as string }))),
    ).toEqual([]);
    // Each config went out once, though both bridges saw messages of every kind of site.
    const published = ha.messages.filter((m) => m.topic.startsWith('homeassistant/'));
    const times = new Map<string, number>();
    for (const m of published) times.set(m.topic, (times.get(m.topic) ?? 0) + 1);
    expect([...times.values()].filter((n) => n > 1)).toEqual([]);
  });

  it('publishes nothing for a message that changes nothing, whichever bridge takes it', async () => {
    await sendRound(ROUNDS);
    const before = ha.messages.length;
    handlers.clear();
    // The same round twice more: each site's copies reach both bridges.
    await sendRound(ROUNDS);
    await sendRound(ROUNDS);
    expect([...handlers.values()].map((takers) => takers.size)).toEqual(SITES.map(() => 2));
    const after = ha.messages.slice(before).map((m) => m.topic);
    expect(after).toEqual([]);
  });

  it('keeps the bridges available while one of them runs', async () => {
    ha.messages.length = 0;
    const [leaving] = bridges.splice(0, 1);
    await leaving?.stop();
    const availability = (): string[] =>
      ha.messages
        .filter((m) => m.topic === 'predbat_bridge/bridge/state')
        .map((m) => m.payload.toString());
    // The one leaving says offline; the one still running answers that it is there.
    await until(
      () => availability().join(',') === 'offline,online',
      `the fellow to answer (${availability().join(',')})`,
    );
    await wait(300);
    expect(availability()).toEqual(['offline', 'online']);
    // The one left takes every message.
    const before = total();
    await sendRound(ROUNDS + 1);
    expect(total()).toBe(before + SITES.length);
  });
});
