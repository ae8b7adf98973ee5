// With no broker given: the bridge uses what answers on the local port, or starts its own
// there and works the same. The port is an option, so the tests use a free one.
import { launch } from '../../src/bridge/launch';
import { localBroker, somethingListens } from '../../src/bridge/local-broker';
import { DEFAULT_OPTIONS } from '../../src/bridge/options';
import { captureLog } from '../support/log-capture';
import { freePort, record, startMosquitto } from '../support/mosquitto';

describe('localBroker', () => {
  it('starts an embedded broker where none answers, says so, and it carries messages', async () => {
    const port = await freePort();
    expect(await somethingListens('127.0.0.1', port)).toBe(false);
    const log = captureLog();
    const local = await localBroker(port, log.logger);
    expect(local.url).toBe(`mqtt://127.0.0.1:${port}`);
    expect(local.embedded?.port).toBe(port);
    expect(log.messages()).toEqual([
      `no broker given and none answers on localhost:${port}: started an embedded broker` +
        ' there (retained messages live in memory only; give --mqtt-url to use your own)',
    ]);
    const recorder = await record(local.url, ['probe/#']);
    await recorder.client.publishAsync('probe/retained', 'kept', { qos: 1, retain: true });
    const message = await recorder.waitFor((topic) => topic === 'probe/retained');
    expect(message.payload.toString()).toBe('kept');
    await recorder.close();
    await local.embedded?.close();
    expect(await somethingListens('127.0.0.1', port)).toBe(false);
  });

  it('uses the broker that already answers on the port', async () => {
    const mosquitto = await startMosquitto();
    const log = captureLog();
    const local = await localBroker(mosquitto.port, log.logger);
    await mosquitto.stop();
    expect(local).toEqual({ url: `mqtt://127.0.0.1:${mosquitto.port}` });
    expect(log.messages()).toEqual([
      `no broker given: using the one answering on localhost:${mosquitto.port}`,
    ]);
  });
});

describe('launch with no broker given', () => {
  it('bridges the demo gateway through its embedded broker like through any other', async () => {
    const port = await freePort();
    const log = captureLog('info');
    const launched = await launch(
      {
        ...DEFAULT_OPTIONS,
        broker: { url: `mqtt://localhost:${port}`, rejectUnauthorized: true },
        autoBroker: true,
        localBrokerPort: port,
        demo: true,
        birthStateDelayMs: 0,
      },
      log.logger,
    );
    expect(launched.embedded?.port).toBe(port);
    await launched.running.ready;
    const ha = await record(`mqtt://127.0.0.1:${port}`, ['homeassistant/#', 'predbat_bridge/#']);
    launched.demo?.publishStatus();
    // The demo may still be connecting: its next regular telemetry, 5 s on, does as well.
    const config = await ha.waitFor(
      (topic) => topic === 'homeassistant/sensor/predbat/pbgw_demo_EMDEMO0001_ems_total_soc/config',
      15000,
    );
    const state = await ha.waitFor((topic) => topic === 'predbat_bridge/pbgw_demo/state');
    await ha.close();
    await launched.stop();
    expect(JSON.parse(config.payload.toString())).toMatchObject({
      name: 'Site battery SOC',
      state_topic: 'predbat_bridge/pbgw_demo/ems/EMDEMO0001/state',
    });
    expect(JSON.parse(state.payload.toString())).toMatchObject({ firmware: 'demo-1.0.0' });
    expect(log.messages()).toContain(
      "found gateway 'pbgw_demo' (firmware demo-1.0.0) with 3 inverter(s) and 1 EV charger(s)",
    );
  });
});
