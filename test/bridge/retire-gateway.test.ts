// Retiring a gateway: every retained config and state the bridge put on Home Assistant's
// broker for it is emptied, and nothing of any other gateway is touched.
import { Bridge } from '../../src/bridge/bridge';
import { silentLogger } from '../../src/bridge/logger';
import { DEFAULT_OPTIONS } from '../../src/bridge/options';
import { retiredTopics, retireGateway } from '../../src/bridge/retire-gateway';
import { FakeBroker } from '../support/fake-broker';
import { fixtureBytes, fixtureGatewayId } from '../support/fixtures';
import { TEMPLATES } from '../support/pipeline';

const EMS = fixtureGatewayId('ems-three-aio');
const OTHER = fixtureGatewayId('single-givenergy');

function setup() {
  const broker = new FakeBroker();
  const bridge = new Bridge(DEFAULT_OPTIONS, TEMPLATES, broker, silentLogger());
  bridge.handleStatus(EMS, fixtureBytes('ems-three-aio'));
  bridge.handleStatus(OTHER, fixtureBytes('single-givenergy'));
  const client = {
    connected: true,
    publishAsync: async (topic: string, payload: string, options: { qos: 1; retain: true }) =>
      broker.publish(topic, payload, options),
  };
  return { broker, bridge, client };
}

describe('retireGateway', () => {
  it("clears a previous run's states before the gateway has reported in this one", () => {
    const { broker } = setup();
    const restarted = new Bridge(DEFAULT_OPTIONS, TEMPLATES, new FakeBroker(), silentLogger());
    for (const [topic, payload] of broker.retainedUnder('homeassistant/')) {
      restarted.handleDiscoveryConfig(topic, Buffer.from(payload));
    }
    const states = retiredTopics(restarted, EMS).states;
    const base = `predbat_bridge/${EMS}`;
    expect(states).toEqual(
      expect.arrayContaining([
        `${base}/inverter/CH2340G500/state`,
        `${base}/inverter/CH2342G502/state`,
        `${base}/ems/EM2402G777/state`,
      ]),
    );
    expect(states.every((topic) => topic.startsWith(`${base}/`))).toBe(true);
  });

  it("names the gateway's states and its devices'", () => {
    const { bridge } = setup();
    const base = `predbat_bridge/${EMS}`;
    expect(retiredTopics(bridge, EMS).states).toEqual([
      `${base}/state`,
      `${base}/inverter/CH2340G500/state`,
      `${base}/inverter/CH2341G501/state`,
      `${base}/ems/EM2402G777/state`,
      `${base}/inverter/CH2342G502/state`,
      `${base}/connection`,
      `${base}/telemetry`,
      `${base}/plan/state`,
    ]);
  });

  it('empties every config and state of the gateway, configs first, and no other', async () => {
    const { broker, bridge, client } = setup();
    const others = new Map([...broker.retained].filter(([topic]) => !topic.includes(EMS)));
    expect(others.size).toBeGreaterThan(60);
    const configs = [...broker.retained.keys()].filter(
      (topic) => topic.startsWith('homeassistant/') && !others.has(topic),
    );
    broker.take();
    const cleared = await retireGateway(client, bridge, EMS);
    expect(cleared?.configs.sort()).toEqual(configs.sort());
    expect(broker.retained).toEqual(others);
    const published = broker.take();
    expect(published.every((p) => p.payload === '' && p.qos === 1 && p.retain)).toBe(true);
    expect(published.map((p) => p.topic.split('/')[0])).toEqual([
      ...configs.map(() => 'homeassistant'),
      ...Array.from({ length: 8 }, () => 'predbat_bridge'),
    ]);
  });

  it('gives up, without waiting, when the broker is away', async () => {
    const { broker, bridge, client } = setup();
    broker.take();
    expect(await retireGateway({ ...client, connected: false }, bridge, EMS)).toBeUndefined();
    expect(broker.take()).toEqual([]);
  });

  it('does not hang a stop on a broker that never confirms', async () => {
    const { bridge } = setup();
    const silent = { connected: true, publishAsync: () => new Promise<unknown>(() => undefined) };
    expect(await retireGateway(silent, bridge, EMS, 20)).toBeUndefined();
  });
});
