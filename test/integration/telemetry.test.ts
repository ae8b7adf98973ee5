// Telemetry through a real Mosquitto, read the way Home Assistant reads it: every
// discovery config checked against Home Assistant's rules, every entity's state rendered
// from its state topic with its value template.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { silentLogger } from '../../src/bridge/logger';
import { type BridgeOptions, DEFAULT_OPTIONS } from '../../src/bridge/options';
import { type RunningBridge, runBridge } from '../../src/bridge/run';
import { BAD_FIXTURES, GOOD_FIXTURES, fixtureBytes, fixtureGatewayId } from '../support/fixtures';
import {
  entityStateFromMessage,
  expandAbbreviations,
  validateDiscovery,
} from '../support/ha-discovery-validator';
import { type Broker, type Recorder, record, startMosquitto } from '../support/mosquitto';
import { encodeStatus } from '../../src/gateway/wire';
import { fixtureStatus } from '../support/telemetry';
import { captureLog } from '../support/log-capture';

let broker: Broker;
let ha: Recorder;
let gateway: MqttClient;
let running: RunningBridge | undefined;

function options(): BridgeOptions {
  return {
    ...DEFAULT_OPTIONS,
    broker: { url: broker.url, rejectUnauthorized: true },
    staleAfterSeconds: 1.5,
    birthStateDelayMs: 100,
  };
}

async function startBridge(): Promise<RunningBridge> {
  running = runBridge(options(), silentLogger());
  await running.ready;
  return running;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The non-empty configs under the discovery prefix, as a subscriber holds them now. */
function currentConfigs(): Array<{ topic: string; payload: string }> {
  return [...ha.latest]
    .filter(([topic, payload]) => topic.startsWith('homeassistant/') && payload.length > 0)
    .filter(([topic]) => topic.endsWith('/config'))
    .map(([topic, payload]) => ({ topic, payload: payload.toString() }));
}

/** What Home Assistant would show for every entity with a state topic. */
function entityStates(): Map<string, string> {
  const states = new Map<string, string>();
  for (const { topic, payload } of currentConfigs()) {
    const config = expandAbbreviations(JSON.parse(payload) as Record<string, unknown>);
    const platform = topic.split('/')[1];
    const stateTopic = config.state_topic as string | undefined;
    if (stateTopic === undefined) continue;
    const message = ha.latest.get(stateTopic);
    if (message === undefined) throw new Error(`no state on ${stateTopic}`);
    states.set(
      config.default_entity_id as string,
      entityStateFromMessage(config, message.toString(), platform),
    );
  }
  return states;
}

async function publishStatus(name: string, id = fixtureGatewayId(name)): Promise<void> {
  await gateway.publishAsync(`predbat/devices/${id}/status`, fixtureBytes(name), { qos: 1 });
}

beforeAll(async () => {
  broker = await startMosquitto();
  ha = await record(broker.url, ['homeassistant/#', 'predbat_bridge/#']);
  gateway = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
});

beforeEach(() => {
  // Each test waits only for what it causes; the latest retained values stay.
  ha.messages.length = 0;
});

afterEach(async () => {
  await running?.stop();
  running = undefined;
});

afterAll(async () => {
  await ha.close();
  await gateway.endAsync();
  await broker.stop();
});

describe('telemetry through a real broker', () => {
  it('announces every fixture as valid Home Assistant entities with the right states', async () => {
    await startBridge();
    expect(ha.latest.get('predbat_bridge/bridge/state')?.toString()).toBe('online');
    for (const name of GOOD_FIXTURES) await publishStatus(name);
    await ha.waitFor((topic) => topic === 'predbat_bridge/pbgw_a1b2c3/inverter/CE2341G123/state');
    await ha.waitFor((topic) => topic.startsWith('predbat_bridge/pbgw_evc042/ev_charger/'));
    await wait(300);

    const configs = currentConfigs();
    expect(configs.length).toBeGreaterThan(300);
    expect(validateDiscovery(configs)).toEqual([]);

    const states = entityStates();
    expect(states.get('sensor.predbat_ce2341g123_battery_soc')).toBe('62');
    expect(states.get('sensor.predbat_ce2341g123_battery_voltage')).toBe('52.4');
    expect(states.get('sensor.predbat_ce2341g123_battery_discharge_power')).toBe('602');
    expect(states.get('sensor.predbat_ce2341g123_battery_charge_power')).toBe('0');
    expect(states.get('sensor.predbat_ce2341g123_grid_export_power')).toBe('230');
    expect(states.get('sensor.predbat_ce2341g123_grid_import_today')).toBe('3.31');
    expect(states.get('number.predbat_ce2341g123_charge_rate')).toBe('3600');
    expect(states.get('switch.predbat_ce2341g123_charge_enabled')).toBe('on');
    expect(states.get('select.predbat_ce2341g123_charge_slot_1_start')).toBe('01:30');
    expect(states.get('sensor.predbat_pbgw_a1b2c3_wifi_rssi')).toBe('-61');
    expect(states.get('binary_sensor.predbat_pbgw_a1b2c3_online')).toBe('on');
    expect(states.get('sensor.predbat_pbgw_a1b2c3_timestamp')).toBe('2026-12-03T12:20:00+00:00');
    // Sentinels: not reported is unknown, export limit 1 is 0 W.
    expect(states.get('sensor.predbat_1031220231190045_grid_voltage')).toBe('unknown');
    expect(states.get('sensor.predbat_1031220231190045_battery_soh')).toBe('unknown');
    expect(states.get('sensor.predbat_1031220231190045_export_limit')).toBe('0');
    expect(states.get('select.predbat_1031220231190045_charge_slot_1_end')).toBe('00:00');
    // The read-only Deye shows its controls as sensors.
    expect(states.get('sensor.predbat_2306125093_reserve_soc_state')).toBe('0');
    expect(states.has('number.predbat_2306125093_reserve_soc')).toBe(false);
    // The EMS is the site view.
    expect(states.get('sensor.predbat_em2402g777_ems_total_soc')).toBe('58');
    expect(states.get('sensor.predbat_em2402g777_ems_total_grid_import_power')).toBe('320');
    // EV charger with a vendor id.
    expect(states.get('sensor.predbat_ev_evb_pro_3xb_749_power')).toBe('7120');
    expect(states.get('binary_sensor.predbat_ev_evb_pro_3xb_749_connected')).toBe('on');
    expect(states.get('sensor.predbat_ev_evb_pro_3xb_749_car_soc')).toBe('unknown');
    // Future firmware: unknown type kept.
    expect(states.get('sensor.predbat_ce2341g789_inverter_type')).toBe('type_42');
    // Every entity has a state Home Assistant accepts.
    expect(states.size).toBe(configs.filter((c) => c.payload.includes('"state_topic"')).length);
  });

  it('takes telemetry at QoS 0, so no acknowledgement per message is sent or tracked', async () => {
    const bridge = await startBridge();
    const name = GOOD_FIXTURES[0] as string;
    const status = `predbat/devices/${fixtureGatewayId(name)}/status`;
    const arrived = new Promise<number>((resolve) => {
      bridge.gateways.on('message', (topic, _payload, packet) => {
        if (topic === status) resolve(packet.qos);
      });
    });
    // The gateway publishes at QoS 1; the bridge's subscription gets it at 0.
    await publishStatus(name);
    expect(await arrived).toBe(0);
  });

  it('logs its own availability at debug level as it publishes it, online and offline', async () => {
    const log = captureLog('debug');
    running = runBridge(options(), log.logger);
    await running.ready;
    await running.stop();
    running = undefined;
    const said = log.messages().filter((m) => m === 'published predbat_bridge/bridge/state');
    expect(said).toHaveLength(2);
    await ha.waitFor(
      (topic, payload) =>
        topic === 'predbat_bridge/bridge/state' && payload.toString() === 'offline',
    );
  });

  it('keeps good state through hostile payloads and counts them', async () => {
    await startBridge();
    await publishStatus('single-givenergy');
    await ha.waitFor((topic) => topic === 'predbat_bridge/pbgw_a1b2c3/inverter/CE2341G123/state');
    for (const bad of BAD_FIXTURES) {
      await gateway.publishAsync('predbat/devices/pbgw_a1b2c3/status', fixtureBytes(bad), {
        qos: 1,
      });
    }
    await gateway.publishAsync('predbat/devices/pbgw_a1b2c3/status', Buffer.alloc(70000, 1), {
      qos: 1,
    });
    await ha.waitFor(
      (topic, payload) =>
        topic === 'predbat_bridge/pbgw_a1b2c3/state' &&
        (JSON.parse(payload.toString()) as { rejected_messages: number }).rejected_messages === 4,
    );
    const states = entityStates();
    expect(states.get('sensor.predbat_pbgw_a1b2c3_rejected_messages')).toBe('4');
    expect(states.get('sensor.predbat_pbgw_a1b2c3_last_rejection')).toBe(
      'payload of 70000 bytes is over the cap',
    );
    expect(states.get('sensor.predbat_ce2341g123_battery_soc')).toBe('62');
    expect(validateDiscovery(currentConfigs())).toEqual([]);
  });

  it('makes hostile ids legal and keeps them apart', async () => {
    await startBridge();
    const status = fixtureStatus('ev-charger');
    const [entry] = status.inverters;
    const [charger] = status.ev_chargers;
    if (!entry || !charger) throw new Error('fixture changed');
    status.inverters = ['a/b', 'a+b', 'a#b', 'a b', 'aü', 'a-2fb'].map((serial) => ({
      ...entry,
      serial,
    }));
    status.ev_chargers = [{ ...charger, charge_point_id: 'Wall box/+# ü' }];
    await gateway.publishAsync('predbat/devices/gw ü/status', Buffer.from(encodeStatus(status)), {
      qos: 1,
    });
    await ha.waitFor((topic) => topic.startsWith('predbat_bridge/gw-20-c3-bc/ev_charger/'));
    await wait(300);
    const configs = currentConfigs().filter((c) => c.topic.includes('/gw-20-c3-bc'));
    expect(validateDiscovery(currentConfigs())).toEqual([]);
    const devices = new Set(
      configs.map((c) => (JSON.parse(c.payload) as { device: { name: string } }).device.name),
    );
    expect(devices.size).toBe(8);
    const states = entityStates();
    expect(states.get('sensor.predbat_ev_wall_box_u_power')).toBe('7120');
  });

  it("answers Home Assistant's birth with discovery, then states", async () => {
    await startBridge();
    await publishStatus('single-givenergy');
    const inverterState = (topic: string): boolean =>
      topic === 'predbat_bridge/pbgw_a1b2c3/inverter/CE2341G123/state';
    await ha.waitFor(inverterState);
    // waitFor also looks at what already came: only what the birth brings is kept, so the
    // wait below lasts until the birth's states arrive.
    ha.messages.length = 0;
    await gateway.publishAsync('homeassistant/status', 'online');
    await ha.waitFor(inverterState, 3000);
    const after = ha.messages;
    const configIndex = after.findIndex((m) => m.topic.endsWith('_battery_soc/config'));
    const stateIndex = after.findIndex((m) => m.topic.endsWith('/CE2341G123/state'));
    expect(configIndex).toBeGreaterThanOrEqual(0);
    expect(stateIndex).toBeGreaterThan(configIndex);
  });

  it('shows an offline or stale gateway as unavailable', async () => {
    await startBridge();
    await publishStatus('single-givenergy');
    await gateway.publishAsync('predbat/devices/pbgw_a1b2c3/online', '0', { qos: 1, retain: true });
    await ha.waitFor(
      (topic, payload) =>
        topic === 'predbat_bridge/pbgw_a1b2c3/connection' && payload.toString() === 'offline',
    );
    await gateway.publishAsync('predbat/devices/pbgw_a1b2c3/online', '1', { qos: 1, retain: true });
    await ha.waitFor(
      (topic, payload) =>
        topic === 'predbat_bridge/pbgw_a1b2c3/connection' && payload.toString() === 'online',
    );
    const stale = ha.waitFor(
      (topic, payload) =>
        topic === 'predbat_bridge/pbgw_a1b2c3/telemetry' && payload.toString() === 'offline',
      5000,
    );
    await expect(stale).resolves.toBeDefined();
    await gateway.publishAsync('predbat/devices/pbgw_a1b2c3/online', '', { qos: 1, retain: true });
  });

  it('says offline through its last will when it dies', async () => {
    const bridge = await startBridge();
    bridge.homeAssistant.stream.destroy();
    await ha.waitFor(
      (topic, payload) =>
        topic === 'predbat_bridge/bridge/state' && payload.toString() === 'offline',
    );
    await bridge.homeAssistant.endAsync(true);
    running = undefined;
  });

  it('stays available when another bridge on the broker, such as a demo, stops', async () => {
    await startBridge();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'second-bridge-'));
    const other = runBridge({ ...options(), dataDir }, silentLogger());
    await other.ready;
    ha.messages.length = 0;
    await other.stop();
    const availability = (): string[] =>
      ha.messages
        .filter((m) => m.topic === 'predbat_bridge/bridge/state')
        .map((m) => m.payload.toString());
    await ha.waitFor(
      (topic, payload) =>
        topic === 'predbat_bridge/bridge/state' &&
        payload.toString() === 'online' &&
        availability().includes('offline'),
    );
    expect(availability()).toEqual(['offline', 'online']);
    expect(ha.latest.get('predbat_bridge/bridge/state')?.toString()).toBe('online');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('comes back after a restart with the same ids and no config sent again', async () => {
    await startBridge();
    await publishStatus('ems-three-aio');
    await ha.waitFor((topic) => topic.startsWith('predbat_bridge/pbgw_ems001/ems/'));
    await wait(300);
    const ids = currentConfigs()
      .map((c) => c.topic)
      .sort();
    await running?.stop();
    await startBridge();
    // Only what the restarted bridge sends is kept, so the wait lasts until its states come.
    ha.messages.length = 0;
    await publishStatus('ems-three-aio');
    await ha.waitFor((topic) => topic.startsWith('predbat_bridge/pbgw_ems001/ems/'));
    await wait(500);
    const resent = ha.messages.filter((m) => m.topic.endsWith('/config'));
    expect(resent).toEqual([]);
    expect(
      currentConfigs()
        .map((c) => c.topic)
        .sort(),
    ).toEqual(ids);
  });
});
