import { Bridge } from '../../src/bridge/bridge';
import { silentLogger } from '../../src/bridge/logger';
import { type BridgeOptions, DEFAULT_OPTIONS } from '../../src/bridge/options';
import { FakeBroker } from '../support/fake-broker';
import { fixtureBytes } from '../support/fixtures';
import { captureLog } from '../support/log-capture';
import { TEMPLATES } from '../support/pipeline';
import { encodeStatus } from '../../src/gateway/wire';
import type { GatewayStatus } from '../../src/gateway/messages';
import { fixtureStatus, telemetry } from '../support/telemetry';

const OPTIONS: BridgeOptions = {
  ...DEFAULT_OPTIONS,
  staleAfterSeconds: 180,
  removeAfterSeconds: 600,
};
const GW = 'pbgw_a1b2c3';
const INVERTER_STATE = `predbat_bridge/${GW}/inverter/CE2341G123/state`;
const GATEWAY_STATE = `predbat_bridge/${GW}/state`;

function setup(broker = new FakeBroker(), options: BridgeOptions = OPTIONS) {
  const clock = { now: 1_800_000_000_000 };
  const bridge = new Bridge(options, TEMPLATES, broker, silentLogger(), () => clock.now);
  return { bridge, broker, clock };
}

function json(text: string | undefined): Record<string, unknown> {
  return JSON.parse(text ?? 'null') as Record<string, unknown>;
}

const discovery = <T extends { topic: string }>(published: T[]): T[] =>
  published.filter((p) => p.topic.startsWith('homeassistant/'));

/** The mixed site's telemetry with its Deye inverter gone. */
function withoutDeye(): Uint8Array {
  const status = fixtureStatus('mixed-solis-deye');
  status.inverters = status.inverters.slice(0, 1);
  return encodeStatus(status);
}

describe('Bridge', () => {
  it('announces every entity retained at QoS 1 on first sight, then only changes', () => {
    const { bridge, broker, clock } = setup();
    bridge.handleStatus(GW, fixtureBytes('single-givenergy'));
    const first = broker.take();
    const configs = discovery(first);
    expect(configs.length).toBeGreaterThan(60);
    expect(configs.every((p) => p.qos === 1 && p.retain)).toBe(true);
    expect(json(broker.retained.get(INVERTER_STATE)).battery).toMatchObject({ soc_percent: 62 });
    expect(broker.retained.get(`predbat_bridge/${GW}/connection`)).toBe('online');
    expect(broker.retained.get(`predbat_bridge/${GW}/telemetry`)).toBe('online');

    // last_seen moves beyond its 60 s deadband.
    clock.now += 61_000;
    bridge.handleStatus(GW, fixtureBytes('single-givenergy'));
    const second = broker.take();
    expect(discovery(second)).toEqual([]);
    // Only the gateway state changed (last_seen); the inverter's did not.
    expect(second.map((p) => p.topic)).toEqual([GATEWAY_STATE]);
  });

  it.each([
    ['bad-json-instead', 'looks like JSON, but gateway telemetry is protobuf GatewayStatus'],
    ['bad-random', 'not a GatewayStatus (index out of range: 9 + 2740 > 300)'],
    ['bad-truncated', 'not a GatewayStatus (index out of range: 276 + 1 > 276)'],
  ])('keeps the last good state through %s and counts it', (bad, reason) => {
    const { bridge, broker } = setup();
    bridge.handleStatus(GW, fixtureBytes('single-givenergy'));
    const before = broker.retained.get(INVERTER_STATE);
    broker.take();
    expect(() => bridge.handleStatus(GW, fixtureBytes(bad))).not.toThrow();
    expect(broker.retained.get(INVERTER_STATE)).toBe(before);
    const gateway = json(broker.retained.get(GATEWAY_STATE));
    expect(gateway.rejected_messages).toBe(1);
    expect(gateway.last_rejection).toBe(reason);
    expect(gateway.firmware).toBe('1.4.2');
    // The next good message is handled.
    bridge.handleStatus(GW, fixtureBytes('ev-charger'));
    expect(json(broker.retained.get(GATEWAY_STATE)).ev_charger_count).toBe(1);
  });

  it('rejects a payload over the size cap unread, and an empty one', () => {
    const { bridge, broker } = setup(new FakeBroker(), { ...OPTIONS, maxPayloadBytes: 300 });
    bridge.handleStatus(GW, fixtureBytes('single-givenergy'));
    const before = broker.retained.get(INVERTER_STATE);
    bridge.handleStatus(GW, Buffer.alloc(301));
    expect(json(broker.retained.get(GATEWAY_STATE)).last_rejection).toBe(
      'payload of 301 bytes is over the cap',
    );
    bridge.handleStatus(GW, Buffer.alloc(0));
    const gateway = json(broker.retained.get(GATEWAY_STATE));
    expect(gateway).toMatchObject({
      rejected_messages: 2,
      last_rejection:
        'empty payload (a retained status being cleared?); telemetry is protobuf GatewayStatus',
      firmware: '1.4.2',
    });
    expect(broker.retained.get(INVERTER_STATE)).toBe(before);
  });

  it('makes no device of garbage on an id that never sent valid telemetry', () => {
    const { bridge, broker } = setup(new FakeBroker(), { ...OPTIONS, maxGateways: 1 });
    for (let i = 0; i < 50; i++) bridge.handleStatus(`junk_${i}`, fixtureBytes('bad-random'));
    bridge.handleOnline('junk_0', Buffer.from('1'));
    expect(broker.take()).toEqual([]);
    expect(bridge.stats.rejectedMessages).toBe(50);
    bridge.handleStatus(GW, fixtureBytes('single-givenergy'));
    expect(broker.retained.has(INVERTER_STATE)).toBe(true);
  });

  it('warns about the first unknown gateways only, so a flood cannot fill the log', () => {
    const log = captureLog('warn');
    const bridge = new Bridge(OPTIONS, TEMPLATES, new FakeBroker(), log.logger);
    for (let i = 0; i < 100; i++) bridge.handleStatus(`junk_${i}`, fixtureBytes('bad-random'));
    bridge.handleStatus('junk_0', fixtureBytes('bad-random'));
    const messages = log.messages();
    expect(messages).toHaveLength(20);
    expect(messages[0]).toBe(
      "ignored a message on the topic of unknown gateway 'junk_0': not a GatewayStatus" +
        ' (index out of range: 9 + 2740 > 300); a gateway appears once it sends valid telemetry',
    );
    expect(messages[19]).toMatch(/\(further unknown gateways are logged at debug level\)$/);
    // Each line names its gateway, as a log collector filters by it.
    expect(JSON.parse(log.lines[0] ?? '{}')).toMatchObject({ gateway: 'junk_0' });
  });

  it('counts a message with skipped units once, and logs each problem once', () => {
    const { bridge, broker } = setup();
    const status = fixtureStatus('single-givenergy');
    const [entry] = status.inverters;
    if (!entry) throw new Error('fixture changed');
    status.inverters = [entry, { ...entry, serial: '' }, { ...entry, serial: 'y'.repeat(300) }];
    const bytes = encodeStatus(status);
    bridge.handleStatus(GW, bytes);
    bridge.handleStatus(GW, bytes);
    const gateway = json(broker.retained.get(GATEWAY_STATE));
    expect(gateway.rejected_messages).toBe(2);
    expect(gateway.last_rejection).toBe(
      `${GW}/${'y'.repeat(63)}…: inverter id longer than 64 skipped`,
    );
  });

  it("keeps a day's energy that leapt beyond any home's rate out of Home Assistant", () => {
    const { bridge, broker } = setup();
    bridge.handleStatus(GW, fixtureBytes('single-givenergy'));
    const energy = () => json(broker.retained.get(INVERTER_STATE)).energy as Record<string, number>;
    const before = energy().pv_today_kwh;
    const spike = fixtureStatus('single-givenergy');
    spike.timestamp += 10;
    const [unit] = spike.inverters;
    if (!unit?.energy) throw new Error('fixture');
    unit.energy.pv_today_wh = 4_294_967_295;
    bridge.handleStatus(GW, encodeStatus(spike));
    expect(energy().pv_today_kwh).toBe(before);
    expect(json(broker.retained.get(GATEWAY_STATE)).rejected_messages).toBe(1);
  });

  it('holds counters a restarted gateway sent as zeros mid-day, and goes on from the real ones', () => {
    const { bridge, broker } = setup(new FakeBroker(), { ...OPTIONS, timezone: 'Europe/London' });
    const energy = () => json(broker.retained.get(INVERTER_STATE)).energy;
    // 12:20 in London.
    const status = fixtureStatus('single-givenergy');
    bridge.handleStatus(GW, encodeStatus(status));
    const real = energy();
    const [unit] = status.inverters;
    if (!unit?.energy) throw new Error('fixture changed');
    const counters = unit.energy;
    unit.energy = {
      pv_today_wh: 0,
      grid_import_today_wh: 0,
      grid_export_today_wh: 0,
      battery_charge_today_wh: 0,
      battery_discharge_today_wh: 0,
      consumption_today_wh: 0,
    };
    status.timestamp += 10;
    bridge.handleStatus(GW, encodeStatus(status));
    expect(energy()).toEqual(real);
    unit.energy = counters;
    for (let i = 0; i < 5; i++) {
      status.timestamp += 10;
      bridge.handleStatus(GW, encodeStatus(status));
      expect(energy()).toEqual(real);
    }
    expect(json(broker.retained.get(GATEWAY_STATE)).rejected_messages).toBe(1);
  });

  it('cuts text longer than Home Assistant shows', () => {
    const { bridge, broker } = setup();
    const status = fixtureStatus('single-givenergy');
    status.firmware = 'f'.repeat(400);
    bridge.handleStatus(GW, encodeStatus(status));
    expect(json(broker.retained.get(GATEWAY_STATE)).firmware).toBe(`${'f'.repeat(254)}…`);
  });

  it('marks a gateway from a previous run unavailable if it does not report', () => {
    const { bridge, broker } = setup();
    bridge.handleStatus(GW, fixtureBytes('single-givenergy'));
    bridge.handleStatus('pbgw_mix777', fixtureBytes('mixed-solis-deye'));
    const restarted = setup();
    for (const [topic, payload] of broker.retainedUnder('homeassistant/')) {
      restarted.bridge.handleDiscoveryConfig(topic, Buffer.from(payload));
    }
    restarted.bridge.watchRetainedGateways();
    restarted.bridge.handleStatus(GW, fixtureBytes('single-givenergy'));
    restarted.clock.now += 181_000;
    restarted.broker.take();
    restarted.bridge.handleStatus(GW, fixtureBytes('single-givenergy'));
    restarted.bridge.tick();
    const flags = restarted.broker.take().filter((p) => p.topic.endsWith('/telemetry'));
    expect(flags).toEqual([
      { topic: 'predbat_bridge/pbgw_mix777/telemetry', payload: 'offline', qos: 1, retain: true },
    ]);
  });

  it('shows a gateway whose telemetry stops as unavailable, and back when it returns', () => {
    const clock = { now: 1_800_000_000_000 };
    const broker = new FakeBroker();
    const log = captureLog('info');
    const bridge = new Bridge(OPTIONS, TEMPLATES, broker, log.logger, () => clock.now);
    bridge.handleStatus(GW, fixtureBytes('single-givenergy'));
    clock.now += 179_000;
    bridge.tick();
    expect(broker.retained.get(`predbat_bridge/${GW}/telemetry`)).toBe('online');
    clock.now += 2_000;
    broker.take();
    bridge.tick();
    expect(broker.retained.get(`predbat_bridge/${GW}/telemetry`)).toBe('offline');
    expect(json(broker.retained.get(GATEWAY_STATE)).online).toBe('OFF');
    // Only the flag that changed goes out, each way: the connection stays online.
    const flagsSent = (): string[] =>
      broker
        .take()
        .map((p) => p.topic)
        .filter((topic) => /\/(connection|telemetry)$/.test(topic));
    expect(flagsSent()).toEqual([`predbat_bridge/${GW}/telemetry`]);
    bridge.handleStatus(GW, fixtureBytes('single-givenergy'));
    expect(flagsSent()).toEqual([`predbat_bridge/${GW}/telemetry`]);
    expect(broker.retained.get(`predbat_bridge/${GW}/telemetry`)).toBe('online');
    expect(json(broker.retained.get(GATEWAY_STATE)).online).toBe('ON');
    const said = log.messages();
    expect(said.filter((m) => m.startsWith('no telemetry from gateway'))).toHaveLength(1);
    expect(said.filter((m) => m === `gateway '${GW}' reports again`)).toHaveLength(1);
    expect(said.indexOf(`gateway '${GW}' reports again`)).toBe(said.length - 1);
  });

  it('says a new gateway is online and fresh in one publish of each flag', () => {
    const { bridge, broker } = setup();
    bridge.handleStatus(GW, fixtureBytes('single-givenergy'));
    const flags = broker
      .take()
      .filter((p) => /\/(connection|telemetry)$/.test(p.topic))
      .map((p) => [p.topic, p.payload]);
    expect(flags).toEqual([
      [`predbat_bridge/${GW}/connection`, 'online'],
      [`predbat_bridge/${GW}/telemetry`, 'online'],
    ]);
  });

  it("mirrors the gateway's own online topic", () => {
    const { bridge, broker } = setup();
    bridge.handleStatus(GW, fixtureBytes('single-givenergy'));
    bridge.handleOnline(GW, Buffer.from('0'));
    expect(broker.retained.get(`predbat_bridge/${GW}/connection`)).toBe('offline');
    expect(json(broker.retained.get(GATEWAY_STATE)).online).toBe('OFF');
    bridge.handleOnline(GW, Buffer.from('1'));
    expect(broker.retained.get(`predbat_bridge/${GW}/connection`)).toBe('online');
    bridge.handleOnline(GW, Buffer.from('maybe'));
    expect(json(broker.retained.get(GATEWAY_STATE)).rejected_messages).toBe(1);
    // An empty payload clears the retained flag: no news, not a bad message.
    bridge.handleOnline(GW, Buffer.from(''));
    expect(json(broker.retained.get(GATEWAY_STATE)).rejected_messages).toBe(1);
  });

  it('removes an inverter missing from telemetry for longer than the option', () => {
    const { bridge, broker, clock } = setup();
    bridge.handleStatus('pbgw_mix777', fixtureBytes('mixed-solis-deye'));
    const deyeTopics = [...broker.retained.keys()].filter((t) => t.includes('_2306125093_'));
    expect(deyeTopics.length).toBeGreaterThan(5);
    clock.now += 300_000;
    bridge.handleStatus('pbgw_mix777', withoutDeye());
    bridge.tick();
    expect(deyeTopics.every((t) => broker.retained.has(t))).toBe(true);
    clock.now += 301_000;
    bridge.handleStatus('pbgw_mix777', withoutDeye());
    broker.take();
    bridge.tick();
    const removed = broker.take();
    expect(removed.map((p) => p.topic).sort()).toEqual(
      [...deyeTopics, 'predbat_bridge/pbgw_mix777/inverter/2306125093/state'].sort(),
    );
    expect(removed.every((p) => p.payload === '' && p.retain)).toBe(true);
  });

  it("keeps the gateway's controls while its unit is missing, until the unit is removed", () => {
    const { bridge, broker, clock } = setup();
    bridge.handleStatus(GW, fixtureBytes('single-givenergy'));
    const control = `homeassistant/select/predbat/${GW}_battery_mode/config`;
    expect(broker.retained.get(control)).toContain('Battery mode');
    const noUnits = fixtureStatus('single-givenergy');
    noUnits.inverters = [];
    broker.take();
    clock.now += 300_000;
    bridge.handleStatus(GW, encodeStatus(noUnits));
    bridge.tick();
    expect(discovery(broker.take())).toEqual([]);
    expect(broker.retained.get(control)).toContain('Battery mode');
    // Past remove_after the unit goes, and the controls it brought go with it.
    clock.now += 301_000;
    bridge.handleStatus(GW, encodeStatus(noUnits));
    bridge.tick();
    bridge.handleStatus(GW, encodeStatus(noUnits));
    expect(broker.retained.has(control)).toBe(false);
  });

  it('keeps controls through messages saying the unit takes none, until remove_after', () => {
    const { bridge, broker, clock } = setup();
    bridge.handleStatus(GW, fixtureBytes('single-givenergy'));
    const gatewayControl = `homeassistant/select/predbat/${GW}_battery_mode/config`;
    const unitControl = `homeassistant/number/predbat/${GW}_CE2341G123_charge_rate/config`;
    const unitSensor = `homeassistant/sensor/predbat/${GW}_CE2341G123_charge_rate_state/config`;
    expect(broker.retained.has(unitControl)).toBe(true);
    const readOnly = fixtureStatus('single-givenergy');
    for (const unit of readOnly.inverters) unit.managed = false;
    broker.take();
    clock.now += 60_000;
    bridge.handleStatus(GW, encodeStatus(readOnly));
    expect(discovery(broker.take())).toEqual([]);
    // Past remove_after since it last took commands, it shows as the read-only unit it is.
    clock.now += 600_000;
    bridge.handleStatus(GW, encodeStatus(readOnly));
    expect(broker.retained.has(gatewayControl)).toBe(false);
    expect(broker.retained.has(unitControl)).toBe(false);
    expect(broker.retained.has(unitSensor)).toBe(true);
    // Taking commands again shows its controls at once.
    bridge.handleStatus(GW, fixtureBytes('single-givenergy'));
    expect(broker.retained.has(gatewayControl)).toBe(true);
    expect(broker.retained.has(unitControl)).toBe(true);
  });

  it('gives a gateway with only an EV charger no battery controls', () => {
    const { bridge, broker } = setup();
    const chargerOnly = fixtureStatus('ev-charger');
    chargerOnly.inverters = [];
    bridge.handleStatus(GW, encodeStatus(chargerOnly));
    bridge.handleStatus(GW, encodeStatus(chargerOnly));
    const configs = [...broker.retainedUnder('homeassistant/').keys()];
    expect(configs.some((topic) => topic.includes('_ev_'))).toBe(true);
    expect(configs.some((topic) => topic.endsWith(`${GW}_battery_mode/config`))).toBe(false);
  });

  it('removes a unit gone while the bridge was down, with its state, after a restart', () => {
    const { bridge, broker } = setup();
    bridge.handleStatus('pbgw_mix777', fixtureBytes('mixed-solis-deye'));
    const restarted = setup();
    for (const [topic, payload] of broker.retainedUnder('homeassistant/')) {
      restarted.bridge.handleDiscoveryConfig(topic, Buffer.from(payload));
    }
    restarted.bridge.handleStatus('pbgw_mix777', withoutDeye());
    restarted.clock.now += 601_000;
    restarted.bridge.handleStatus('pbgw_mix777', withoutDeye());
    restarted.broker.take();
    restarted.bridge.tick();
    const removed = restarted.broker.take();
    expect(removed.every((p) => p.payload === '')).toBe(true);
    expect(removed.map((p) => p.topic)).toContain(
      'predbat_bridge/pbgw_mix777/inverter/2306125093/state',
    );
    expect(removed.filter((p) => p.topic.startsWith('homeassistant/')).length).toBeGreaterThan(5);
  });

  it('gives the same ids after a restart and publishes no config again', () => {
    const { bridge, broker } = setup();
    bridge.handleStatus(GW, fixtureBytes('single-givenergy'));
    const restarted = setup();
    for (const [topic, payload] of broker.retainedUnder('homeassistant/')) {
      restarted.bridge.handleDiscoveryConfig(topic, Buffer.from(payload));
    }
    restarted.bridge.handleStatus(GW, fixtureBytes('single-givenergy'));
    expect(discovery(restarted.broker.take())).toEqual([]);
  });

  it.each([
    [
      'says its unit takes no commands',
      (status: GatewayStatus) => {
        for (const unit of status.inverters) unit.managed = false;
      },
    ],
    [
      'has no unit',
      (status: GatewayStatus) => {
        status.inverters = [];
      },
    ],
  ])('keeps the controls after a restart whose first message %s', (_what, change) => {
    const { bridge, broker } = setup();
    bridge.handleStatus(GW, fixtureBytes('single-givenergy'));
    const restarted = setup(broker);
    for (const [topic, payload] of broker.retainedUnder('homeassistant/')) {
      restarted.bridge.handleDiscoveryConfig(topic, Buffer.from(payload));
    }
    broker.take();
    const status = fixtureStatus('single-givenergy');
    change(status);
    restarted.bridge.handleStatus(GW, encodeStatus(status));
    expect(discovery(broker.take()).filter((p) => p.payload === '')).toEqual([]);
    expect(broker.retained.has(`homeassistant/select/predbat/${GW}_battery_mode/config`)).toBe(
      true,
    );
  });

  it('keeps entities a unit reported before a restart, and removes ghosts of old templates', () => {
    const { bridge, broker } = setup();
    bridge.handleStatus(GW, fixtureBytes('single-givenergy'));
    const restarted = setup();
    const ghost = `homeassistant/sensor/predbat/${GW}_CE2341G123_retired_sensor/config`;
    const retained = new Map(broker.retainedUnder('homeassistant/'));
    retained.set(
      ghost,
      retained.get(`homeassistant/sensor/predbat/${GW}_CE2341G123_pv_power/config`) ?? '',
    );
    for (const [topic, payload] of retained) {
      restarted.bridge.handleDiscoveryConfig(topic, Buffer.from(payload));
    }
    // A message without the battery group must not delete the battery entities.
    restarted.bridge.handleStatus(
      GW,
      telemetry('single-givenergy', (inverter) => {
        inverter.battery = null;
      }),
    );
    const published = restarted.broker.take().filter((p) => p.topic.startsWith('homeassistant/'));
    const removed = published.filter((p) => p.payload === '');
    expect(removed).toEqual([{ topic: ghost, payload: '', qos: 1, retain: true }]);
    // Without the battery's own maximum the rate controls fall back to the option.
    expect(published.filter((p) => p.payload !== '').map((p) => p.topic)).toEqual([
      `homeassistant/number/predbat/${GW}_CE2341G123_charge_rate/config`,
      `homeassistant/number/predbat/${GW}_CE2341G123_discharge_rate/config`,
    ]);
    expect(published.some((p) => p.topic.includes('_battery_soc/'))).toBe(false);
  });

  it("sends every config again on Home Assistant's birth, then every state", () => {
    const { bridge, broker } = setup();
    bridge.handleStatus(GW, fixtureBytes('single-givenergy'));
    const configCount = discovery(broker.take()).length;
    bridge.republish();
    expect(discovery(broker.take())).toHaveLength(configCount);
    bridge.republishStates();
    const states = broker.take().map((p) => p.topic);
    expect(states).toEqual(
      expect.arrayContaining([GATEWAY_STATE, INVERTER_STATE, `predbat_bridge/${GW}/telemetry`]),
    );
  });

  it('never publishes to an illegal topic, whatever the ids hold', () => {
    const { bridge, broker } = setup();
    const status = fixtureStatus('ev-charger');
    const [entry] = status.inverters;
    const [charger] = status.ev_chargers;
    if (!entry || !charger) throw new Error('fixture changed');
    status.inverters = ['a/b', 'c+d', 'e#f', 'g h', 'ü€', '..'].map((serial) => ({
      ...entry,
      serial,
    }));
    status.ev_chargers = [{ ...charger, charge_point_id: 'x/+#y z' }];
    bridge.handleStatus('gw with space ü', encodeStatus(status));
    const topics = broker.take().map((p) => p.topic);
    expect(topics.length).toBeGreaterThan(100);
    for (const topic of topics) {
      expect(topic).not.toMatch(/[+#]|\/\/|^\/|\/$/);
      expect(topic.includes('\u0000')).toBe(false);
    }
    const discoveryTopics = topics.filter((t) => t.startsWith('homeassistant/'));
    for (const topic of discoveryTopics) {
      expect(topic).toMatch(/^homeassistant\/\w+\/predbat\/[a-zA-Z0-9_-]+\/config$/);
    }
  });

  it('ignores gateways over the cap and unusable ids, saying so once', () => {
    const { bridge, broker } = setup(new FakeBroker(), { ...OPTIONS, maxGateways: 2 });
    for (const id of ['g1', 'bridge', 'g2', 'g3', '', 'x'.repeat(65)]) {
      expect(() => bridge.handleStatus(id, fixtureBytes('minimal'))).not.toThrow();
    }
    expect([...bridge.gateways.keys()]).toEqual(['g1', 'g2']);
    expect(broker.take().some((p) => p.topic.includes('/g3/'))).toBe(false);
    // Each ignored message counts: 'bridge', 'g3', the empty id and the long one.
    expect(bridge.stats).toMatchObject({ statusMessages: 6, rejectedMessages: 4 });
  });

  it("sends a held energy counter again on Home Assistant's birth, not the spike", () => {
    const { bridge, broker, clock } = setup();
    const status = fixtureStatus('single-givenergy');
    const [unit] = status.inverters;
    if (!unit?.energy) throw new Error('fixture changed');
    unit.energy.pv_today_wh = 12_000;
    bridge.handleStatus(GW, encodeStatus(status));
    status.timestamp += 10;
    unit.energy.pv_today_wh = 4_000_000;
    clock.now += 10_000;
    bridge.handleStatus(GW, encodeStatus(status));
    broker.take();
    // The model is gone after each message: the birth's states are built from what was kept.
    bridge.republishStates();
    const sent = broker.take().filter((p) => p.topic === INVERTER_STATE);
    expect(sent).toHaveLength(1);
    expect(json(sent[0]?.payload).energy).toMatchObject({ pv_today_kwh: 12 });
  });
});
