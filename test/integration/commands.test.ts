// Home Assistant controls a gateway through a real Mosquitto: commands published on the
// command topics Home Assistant was given, received and decoded by a gateway stand-in
// that answers with telemetry, outcomes read from the result topic.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { silentLogger } from '../../src/bridge/logger';
import { type BridgeOptions, DEFAULT_OPTIONS } from '../../src/bridge/options';
import { type RunningBridge, runBridge } from '../../src/bridge/run';
import { decodePlan } from '../../src/gateway/wire';
import { type StandIn, gatewayStandIn } from '../support/gateway-standin';
import { entityStateFromMessage, expandAbbreviations } from '../support/ha-discovery-validator';
import { type Broker, type Recorder, record, startMosquitto } from '../support/mosquitto';

const GW = 'pbgw_a1b2c3';
const RESULTS = `predbat_bridge/${GW}/command_result`;
const CONFIG = (platform: string, key: string) =>
  `homeassistant/${platform}/predbat/${GW}_${key}/config`;
const UUID = /^[0-9a-f-]{36}$/;

function bridgeOptions(url: string, dataDir: string, more: Partial<BridgeOptions> = {}) {
  return {
    ...DEFAULT_OPTIONS,
    broker: { url, rejectUnauthorized: true },
    staleAfterSeconds: 30,
    birthStateDelayMs: 100,
    commandDebounceMs: 200,
    confirmCycles: 2,
    timezone: 'Europe/London',
    dataDir,
    ...more,
  };
}

/** Home Assistant's view: discovery configs, states and results, and a way to act. */
class HomeAssistant {
  constructor(readonly recorder: Recorder) {}

  config(platform: string, key: string): Record<string, unknown> {
    const payload = this.recorder.latest.get(CONFIG(platform, key));
    if (payload === undefined) throw new Error(`no config for ${key}`);
    return expandAbbreviations(JSON.parse(payload.toString()) as Record<string, unknown>);
  }

  /** What the entity shows, rendered from its state topic with its value template. */
  shows(platform: string, key: string): string {
    const config = this.config(platform, key);
    const state = this.recorder.latest.get(config.state_topic as string);
    if (state === undefined) throw new Error(`no state for ${key}`);
    return entityStateFromMessage(config, state.toString(), platform);
  }

  /** Acts on an entity the way Home Assistant does: a payload on its command topic. */
  async act(platform: string, key: string, payload: string): Promise<number> {
    const mark = this.recorder.messages.length;
    const topic = this.config(platform, key).command_topic as string;
    await this.recorder.client.publishAsync(topic, payload, { qos: 0 });
    return mark;
  }

  /** Waits for the entity to show a value: its state follows the result that changed it. */
  async showsSoon(platform: string, key: string, expected: string): Promise<void> {
    await this.recorder.waitFor(() => this.shows(platform, key) === expected);
  }

  results(since: number): Array<Record<string, unknown>> {
    return this.recorder.messages
      .slice(since)
      .filter((m) => m.topic === RESULTS)
      .map((m) => JSON.parse(m.payload.toString()) as Record<string, unknown>);
  }

  async result(since: number, status: string): Promise<Record<string, unknown>> {
    const deadline = Date.now() + 8000;
    for (;;) {
      const found = this.results(since).find((r) => r.status === status);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no '${status}' result`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

async function started(
  haUrl: string,
  gateway: StandIn,
  options: BridgeOptions,
): Promise<{ running: RunningBridge; ha: HomeAssistant }> {
  const recorder = await record(haUrl, ['homeassistant/#', 'predbat_bridge/#']);
  const running = runBridge(options, silentLogger());
  await running.ready;
  await gateway.publishStatus();
  await recorder.waitFor((topic) => topic === CONFIG('number', 'CE2341G123_charge_rate'));
  await recorder.waitFor((topic) => topic === `predbat_bridge/${GW}/plan/state`);
  return { running, ha: new HomeAssistant(recorder) };
}

function commandsSince(gateway: StandIn, mark: number) {
  return gateway.received.slice(mark).flatMap((r) => (r.kind === 'command' ? [r.command] : []));
}

describe('commands through one broker', () => {
  let broker: Broker;
  let gateway: StandIn;
  let running: RunningBridge;
  let ha: HomeAssistant;
  let dataDir: string;

  beforeAll(async () => {
    broker = await startMosquitto();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'predbat-commands-'));
    gateway = await gatewayStandIn(broker.url, 'single-givenergy');
    ({ running, ha } = await started(broker.url, gateway, bridgeOptions(broker.url, dataDir)));
  });

  afterAll(async () => {
    await running.stop();
    await ha.recorder.close();
    await gateway.close();
    await broker.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  beforeEach(() => {
    gateway.obey = true;
  });

  it('sends a charge rate, the inverter takes it and Home Assistant shows it', async () => {
    expect(ha.shows('number', 'CE2341G123_charge_rate')).toBe('3600');
    const since = await ha.act('number', 'CE2341G123_charge_rate', '2500');
    const confirmed = await ha.result(since, 'confirmed');
    expect(commandsSince(gateway, 0)).toEqual([
      {
        command: 'set_charge_rate',
        command_id: confirmed.command_id,
        serial: 'CE2341G123',
        power_w: 2500,
      },
    ]);
    expect(confirmed).toEqual({
      command: 'set_charge_rate',
      command_id: expect.stringMatching(UUID),
      entity: 'number.predbat_ce2341g123_charge_rate',
      device: 'CE2341G123',
      value: 2500,
      status: 'confirmed',
      reason: null,
      at: expect.any(String),
    });
    expect(ha.results(since).map((r) => r.status)).toEqual(['sent', 'confirmed']);
    expect(ha.shows('number', 'CE2341G123_charge_rate')).toBe('2500');
    await ha.showsSoon('sensor', 'command_result', 'confirmed');
  });

  it('sends only where a dragged slider stopped', async () => {
    const mark = gateway.received.length;
    const since = await ha.act('number', 'CE2341G123_target_soc', '80');
    await ha.act('number', 'CE2341G123_target_soc', '85');
    await ha.act('number', 'CE2341G123_target_soc', '90');
    await ha.result(since, 'confirmed');
    expect(commandsSince(gateway, mark)).toEqual([
      {
        command: 'set_target_soc',
        command_id: expect.stringMatching(UUID),
        serial: 'CE2341G123',
        target_soc: 90,
      },
    ]);
    expect(ha.shows('number', 'CE2341G123_target_soc')).toBe('90');
  });

  it('rejects a value off the range: nothing reaches the gateway', async () => {
    const mark = gateway.received.length;
    const since = await ha.act('number', 'CE2341G123_reserve_soc', '150');
    const rejected = await ha.result(since, 'rejected');
    expect(rejected).toMatchObject({ value: '150', reason: '150 is above the maximum 100' });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(gateway.received.slice(mark)).toEqual([]);
    expect(ha.shows('number', 'CE2341G123_reserve_soc')).toBe('4');
  });

  it('reports a command the inverter did not apply, showing the reported value', async () => {
    gateway.obey = false;
    const mark = gateway.received.length;
    const since = await ha.act('switch', 'CE2341G123_charge_enabled', 'OFF');
    await ha.result(since, 'sent');
    await gateway.publishStatus();
    const notApplied = await ha.result(since, 'not_applied');
    expect(notApplied).toMatchObject({
      command: 'set_charge_enable',
      value: false,
      reason: 'telemetry still reports "ON" after 2 cycles',
    });
    expect(commandsSince(gateway, mark)).toEqual([
      {
        command: 'set_charge_enable',
        command_id: notApplied.command_id,
        serial: 'CE2341G123',
        enable: false,
      },
    ]);
    expect(ha.shows('switch', 'CE2341G123_charge_enabled')).toBe('on');
  });

  it('moves a charge slot with the HHMM the gateway reads', async () => {
    const mark = gateway.received.length;
    const since = await ha.act('select', 'CE2341G123_charge_slot_1_end', '05:15');
    await ha.result(since, 'confirmed');
    expect(commandsSince(gateway, mark)).toEqual([
      expect.objectContaining({ command: 'set_charge_slot', schedule_json: '{"end":515}' }),
    ]);
    expect(ha.shows('select', 'CE2341G123_charge_slot_1_end')).toBe('05:15');
  });

  it("forces a charge with an execution plan on the gateway's schedule topic", async () => {
    const mark = gateway.received.length;
    const since = await ha.act('select', 'battery_mode', 'Charge');
    const received = await gateway.waitFor((r) => r.kind === 'plan');
    if (received.kind !== 'plan') throw new Error('not a plan');
    expect(received.retain).toBe(false);
    const { plan } = received;
    expect(plan.timezone).toBe('GMT0BST,M3.5.0/1,M10.5.0');
    expect(plan.plan_version).toBeGreaterThanOrEqual(plan.timestamp);
    expect(plan.entries).toHaveLength(1);
    expect(plan.entries[0]).toMatchObject({ enabled: true, mode: 1, power_w: 3600 });
    expect(await ha.result(since, 'sent')).toMatchObject({ command: 'set_battery_mode' });
    await ha.showsSoon('select', 'battery_mode', 'Charge');
    expect(ha.shows('sensor', 'plan')).toMatch(/^Charge \d\d:\d\d-\d\d:\d\d \w{3}$/);
    expect(gateway.received.slice(mark).map((r) => r.kind)).toEqual(['plan']);
    // Retained: a gateway that connects later still gets the plan in force.
    const late = await record(broker.url, [`predbat/devices/${GW}/schedule`]);
    const kept = await late.waitFor(() => true);
    expect(late.messages[0]?.retain).toBe(true);
    expect(decodePlan(kept.payload)).toEqual(plan);
    await late.close();
  });

  it('refuses a plan whose window starts as it ends: nothing reaches the gateway', async () => {
    const mark = gateway.received.length;
    const shown = ha.shows('sensor', 'plan');
    const since = ha.recorder.messages.length;
    await ha.recorder.client.publishAsync(
      `predbat_bridge/${GW}/plan/set`,
      '[{"start":"01:00","end":"01:00","mode":"charge"}]',
      { qos: 0 },
    );
    expect(await ha.result(since, 'rejected')).toMatchObject({
      command: 'set_plan',
      reason:
        "the plan's window 1 (Charge 01:00-01:00) starts and ends at the same time, so it" +
        ' would never run',
    });
    expect(gateway.received.slice(mark)).toEqual([]);
    expect(ha.shows('sensor', 'plan')).toBe(shown);
    // The plan reads the same in the gateway's state as on its own topic: true, not ON.
    const state = ha.recorder.latest.get(`predbat_bridge/${GW}/state`)?.toString() ?? '{}';
    const planState = ha.recorder.latest.get(`predbat_bridge/${GW}/plan/state`)?.toString();
    expect((JSON.parse(state) as { plan: unknown }).plan).toEqual(JSON.parse(planState ?? ''));
  });

  it('holds every command while the gateway is read-only', async () => {
    const mark = gateway.received.length;
    let since = await ha.act('switch', 'read_only', 'ON');
    await ha.result(since, 'sent');
    since = await ha.act('number', 'CE2341G123_discharge_rate', '1000');
    expect(await ha.result(since, 'rejected')).toMatchObject({
      reason: "gateway 'pbgw_a1b2c3' is read-only: turn its Read-only switch off first",
    });
    since = await ha.act('switch', 'read_only', 'OFF');
    await ha.result(since, 'sent');
    expect(commandsSince(gateway, mark)).toEqual([
      { command: 'set_read_only', command_id: expect.stringMatching(UUID), enable: true },
      { command: 'set_read_only', command_id: expect.stringMatching(UUID), enable: false },
    ]);
  });
});

describe('a read-only bridge', () => {
  it('lets no command leave', async () => {
    const broker = await startMosquitto();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'predbat-commands-'));
    const gateway = await gatewayStandIn(broker.url, 'single-givenergy');
    const options = bridgeOptions(broker.url, dataDir, { readOnly: true });
    const { running, ha } = await started(broker.url, gateway, options);
    try {
      const since = await ha.act('number', 'CE2341G123_charge_rate', '2500');
      await ha.act('select', 'battery_mode', 'Discharge');
      await ha.recorder.waitFor(() => ha.results(since).length === 2);
      expect(ha.results(since).map((r) => [r.status, r.reason])).toEqual([
        ['rejected', 'the bridge is in read-only mode (option read_only): no command leaves it'],
        ['rejected', 'the bridge is in read-only mode (option read_only): no command leaves it'],
      ]);
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(gateway.received).toEqual([]);
    } finally {
      await running.stop();
      await ha.recorder.close();
      await gateway.close();
      await broker.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe("the gateways' own broker restarting", () => {
  it('sends a command given during the restart once the broker is back, protobuf-encoded', async () => {
    const haBroker = await startMosquitto();
    const gwBroker = await startMosquitto();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'predbat-commands-'));
    const gateway = await gatewayStandIn(gwBroker.url, 'single-givenergy', 'protobuf');
    const options = bridgeOptions(haBroker.url, dataDir, {
      gatewayBroker: { url: gwBroker.url, rejectUnauthorized: true },
      commandEncoding: 'protobuf',
      commandDebounceMs: 300,
    });
    const { running, ha } = await started(haBroker.url, gateway, options);
    try {
      const since = await ha.act('number', 'CE2341G123_charge_rate', '1800');
      // The broker goes away before the command settles, and comes back empty.
      await gwBroker.restart();
      const back = ha.recorder.messages.length;
      expect(ha.results(since)).toEqual([]);
      const received = await gateway.waitFor((r) => r.kind === 'command');
      expect(received).toEqual({
        kind: 'command',
        retain: false,
        command: {
          command: 'set_charge_rate',
          command_id: expect.stringMatching(UUID),
          serial: 'CE2341G123',
          power_w: 1800,
        },
      });
      expect((await ha.result(back, 'confirmed')).value).toBe(1800);
      expect(ha.results(since).map((r) => r.status)).toEqual(['sent', 'confirmed']);
      expect(gateway.received.filter((r) => r.kind === 'command')).toHaveLength(1);
      expect(ha.shows('number', 'CE2341G123_charge_rate')).toBe('1800');
    } finally {
      await running.stop();
      await ha.recorder.close();
      await gateway.close();
      await gwBroker.stop();
      await haBroker.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
