// The demo gateway on a private Mosquitto, seen from the broker as a real gateway would be:
// protobuf telemetry, a retained online flag with a last will, and commands that show up
// in the next telemetry.
import { type DemoGateway, startDemoGateway } from '../../src/demo/gateway';
import type { GatewayStatus } from '../../src/gateway/messages';
import { decodeStatus, encodePlan } from '../../src/gateway/wire';
import { captureLog } from '../support/log-capture';
import { type Broker, type Recorder, record, startMosquitto } from '../support/mosquitto';

const PREFIX = 'predbat/devices';
const BASE = `${PREFIX}/pbgw_demo`;

let broker: Broker;
let demo: DemoGateway;
let gateway: Recorder;
const log = captureLog();

beforeAll(async () => {
  broker = await startMosquitto();
  gateway = await record(broker.url, [`${BASE}/status`, `${BASE}/online`]);
  demo = startDemoGateway(
    {
      broker: { url: broker.url, rejectUnauthorized: true },
      gatewayPrefix: PREFIX,
      intervalMs: 200,
      zone: 'Europe/London',
    },
    log.logger,
  );
});

afterAll(async () => {
  await demo.stop();
  await gateway.close();
  await broker.stop();
});

/** The first status after `from` messages that satisfies the predicate. */
async function nextStatus(predicate: (status: GatewayStatus) => boolean): Promise<GatewayStatus> {
  const from = gateway.messages.length;
  let found: GatewayStatus | undefined;
  await gateway.waitFor((topic, payload) => {
    if (topic !== `${BASE}/status`) return false;
    if (gateway.messages.findIndex((m) => m.payload === payload) < from) return false;
    const status = decodeStatus(payload);
    if (!predicate(status)) return false;
    found = status;
    return true;
  });
  return found as GatewayStatus;
}

/** Sends the demo a JSON command or EV action, as the bridge would. */
async function send(topic: string, message: object): Promise<void> {
  await gateway.client.publishAsync(topic, JSON.stringify(message), { qos: 1 });
}

/** Waits for something the demo does on receipt, not on its next telemetry. */
async function until(condition: () => boolean): Promise<void> {
  for (let tries = 0; tries < 200 && !condition(); tries += 1) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const ems = (status: GatewayStatus) => status.inverters.find((i) => i.serial === 'EMDEMO0001');

describe('the demo gateway', () => {
  it('says it is online, retained, and publishes protobuf telemetry', async () => {
    const online = await gateway.waitFor((topic) => topic === `${BASE}/online`);
    expect(online.payload.toString()).toBe('1');
    const status = await nextStatus(() => true);
    expect(status.device_id).toBe('pbgw_demo');
    expect(status.firmware).toBe('demo-1.0.0');
    expect(ems(status)?.control?.charge_rate_w).toBe(3600);
  });

  it('obeys a JSON command: the next telemetry shows the new charge rate', async () => {
    await send(`${BASE}/command`, {
      command: 'set_charge_rate',
      command_id: 'it-1',
      serial: 'EMDEMO0001',
      power_w: 1234,
    });
    const status = await nextStatus((s) => ems(s)?.control?.charge_rate_w === 1234);
    expect(ems(status)?.control?.charge_rate_w).toBe(1234);
    expect(log.messages()).toContain(
      'demo gateway \'pbgw_demo\': applied set_charge_rate (serial="EMDEMO0001", power_w=1234)',
    );
  });

  it('says why it refuses a command for a read-only unit', async () => {
    await send(`${BASE}/command`, {
      command: 'set_reserve',
      command_id: 'it-2',
      serial: 'CHDEMO0002',
      target_soc: 30,
    });
    const refusal = "demo gateway 'pbgw_demo' refused a command";
    await until(() => log.messages().some((m) => m.startsWith(refusal)));
    expect(log.messages()).toContain(
      "demo gateway 'pbgw_demo' refused a command: set_reserve: CHDEMO0002 is led by the EMS" +
        ' EMDEMO0001 and is read-only; command the EMS',
    );
  });

  it('obeys EV actions', async () => {
    await send(`${BASE}/ev/command`, { action: 'SetChargingProfile', current_a: 8 });
    const status = await nextStatus((s) => s.ev_chargers[0]?.current_limit_a === 8);
    expect(status.ev_chargers[0]?.current_limit_a).toBe(8);
    await send(`${BASE}/ev/command`, { action: 'RemoteStartTransaction', id_tag: 'predbat' });
    const charging = await nextStatus((s) => s.ev_chargers[0]?.session_active === true);
    expect(charging.ev_chargers[0]?.status).toBe('Charging');
    expect(charging.ev_chargers[0]?.power_w).toBe(8 * 238);
  });

  it('writes a native plan entry to its schedule', async () => {
    const plan = encodePlan({
      timestamp: Math.floor(Date.now() / 1000),
      plan_version: 7,
      timezone: 'GMT0BST,M3.5.0/1,M10.5.0',
      entries: [
        {
          enabled: true,
          start_hour: 2,
          start_minute: 0,
          end_hour: 5,
          end_minute: 0,
          mode: 1,
          power_w: 3000,
          target_soc: 80,
          days_of_week: 127,
          use_native: true,
        },
      ],
    });
    await gateway.client.publishAsync(`${BASE}/schedule`, Buffer.from(plan), {
      qos: 1,
      retain: true,
    });
    const status = await nextStatus((s) => ems(s)?.schedule?.charge_start === 200);
    expect(ems(status)?.schedule).toEqual({
      charge_start: 200,
      charge_end: 500,
      discharge_start: 0,
      discharge_end: 0,
    });
    expect(ems(status)?.control?.target_soc).toBe(80);
    await gateway.client.publishAsync(`${BASE}/schedule`, '', { qos: 1, retain: true });
  });
});
