// With no broker given: the bridge uses what answers on the local port, or starts its own
// there and works the same. The port is an option, so the tests use a free one.
import * as http from 'node:http';
import * as net from 'node:net';
import { launch } from '../../src/bridge/launch';
import {
  localBroker,
  LocalBrokerError,
  localBrokerHint,
  probeLocal,
} from '../../src/bridge/local-broker';
import { connectBroker } from '../../src/bridge/mqtt-link';
import { DEFAULT_OPTIONS } from '../../src/bridge/options';
import { captureLog } from '../support/log-capture';
import { freePort, record, startMosquitto } from '../support/mosquitto';

describe('localBroker', () => {
  it('starts an embedded broker where none answers, says so, and it carries messages', async () => {
    const port = await freePort();
    expect(await probeLocal('127.0.0.1', port)).toBe('nothing');
    const log = captureLog();
    const local = await localBroker(port, log.logger);
    expect(local.url).toBe(`mqtt://127.0.0.1:${port}`);
    expect(local.embedded?.port).toBe(port);
    expect(log.messages()).toEqual([
      `no broker given and none answers on localhost:${port}: started an embedded broker` +
        ' there, reachable from this machine only (retained messages live in memory only;' +
        ' give --mqtt-url to use your own)',
    ]);
    const recorder = await record(local.url, ['probe/#']);
    await recorder.client.publishAsync('probe/retained', 'kept', { qos: 1, retain: true });
    const message = await recorder.waitFor((topic) => topic === 'probe/retained');
    expect(message.payload.toString()).toBe('kept');
    await recorder.close();
    await local.embedded?.close();
    expect(await probeLocal('127.0.0.1', port)).toBe('nothing');
  });

  it('uses the broker that already answers on the port', async () => {
    const mosquitto = await startMosquitto();
    const log = captureLog();
    const local = await localBroker(mosquitto.port, log.logger);
    expect(await probeLocal('127.0.0.1', mosquitto.port)).toBe('mqtt');
    await mosquitto.stop();
    expect(local).toEqual({ url: `mqtt://127.0.0.1:${mosquitto.port}` });
    expect(log.messages()).toEqual([
      `no broker given: using the MQTT broker already running on localhost:${mosquitto.port}` +
        ' (give --mqtt-url to use another)',
    ]);
  });

  it('stops at a port held by something other than an MQTT broker, saying what to do', async () => {
    const port = await freePort();
    const server = http.createServer((_request, response) => response.end('not MQTT'));
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    const log = captureLog();
    try {
      expect(await probeLocal('127.0.0.1', port)).toBe('other');
      await expect(localBroker(port, log.logger)).rejects.toEqual(
        new LocalBrokerError(
          `no broker given, and what answers on localhost:${port} is not an MQTT broker: give` +
            ' --mqtt-url mqtt://HOST:1883 for your broker, or --local-broker-port with a free' +
            ' port for the embedded one',
        ),
      );
      await expect(localBroker(port, log.logger)).rejects.toBeInstanceOf(LocalBrokerError);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(log.messages()).toEqual([]);
  });

  it('tells a free port from one that takes connections but never answers', async () => {
    const port = await freePort();
    expect(await probeLocal('127.0.0.1', port)).toBe('nothing');
    // Reads what it is sent and never answers.
    const silent = net.createServer((socket) => socket.resume());
    await new Promise<void>((resolve) => silent.listen(port, '127.0.0.1', resolve));
    expect(await probeLocal('127.0.0.1', port, 200)).toBe('other');
    await new Promise((resolve) => silent.close(resolve));
  });
});

describe('a connection problem with the local broker', () => {
  it('names the local broker and the options to give, not an mqtt_url nobody gave', async () => {
    const port = await freePort();
    const log = captureLog();
    const client = connectBroker(
      'MQTT',
      { url: `mqtt://127.0.0.1:${port}`, rejectUnauthorized: true },
      { urlHint: localBrokerHint(port) },
      log.logger,
    );
    await new Promise((resolve) => client.once('error', resolve));
    await client.endAsync(true);
    expect(log.messages()[0]).toBe(
      `MQTT broker at mqtt://127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}; check` +
        ` the broker on localhost:${port} (no mqtt_url was given: give --mqtt-url for another` +
        ' broker, or --local-broker-port), the credentials and the TLS options',
    );
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
