// The demo on a broker a real Home Assistant might use: it says where it appears, and a
// graceful stop leaves nothing of it behind but the bridge's own offline flag.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { launch } from '../../src/bridge/launch';
import { DEFAULT_OPTIONS } from '../../src/bridge/options';
import { captureLog } from '../support/log-capture';
import { type Broker, record, startMosquitto } from '../support/mosquitto';

let broker: Broker;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-cleanup-'));

beforeAll(async () => {
  broker = await startMosquitto();
});
afterAll(async () => {
  await broker.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Every retained message on the broker, as a Home Assistant connecting now would find it. */
async function retained(): Promise<Record<string, string>> {
  const recorder = await record(broker.url, ['#']);
  await new Promise((resolve) => setTimeout(resolve, 500));
  await recorder.close();
  return Object.fromEntries(
    recorder.messages.filter((m) => m.retain).map((m) => [m.topic, m.payload.toString()]),
  );
}

describe('the demo gateway on a given broker', () => {
  it('says where it appears, and removes itself from Home Assistant when stopped', async () => {
    const log = captureLog('info');
    const launched = await launch(
      {
        ...DEFAULT_OPTIONS,
        broker: { url: broker.url, rejectUnauthorized: true },
        demo: true,
        dataDir,
        birthStateDelayMs: 0,
      },
      log.logger,
    );
    await launched.running.ready;
    const ha = await record(broker.url, ['homeassistant/#', 'predbat_bridge/#']);
    launched.demo?.publishStatus();
    const chargerState = 'predbat_bridge/pbgw_demo/ev_charger/Demo-20Charger-201/state';
    await ha.waitFor((topic) => topic === chargerState, 15000);
    await ha.close();
    const before = await retained();
    const configs = Object.keys(before).filter((topic) => topic.startsWith('homeassistant/'));
    expect(configs.length).toBeGreaterThan(100);
    expect(before['predbat/devices/pbgw_demo/online']).toBe('1');

    await launched.stop();
    expect(await retained()).toEqual({ 'predbat_bridge/bridge/state': 'offline' });
    const messages = log.messages();
    expect(messages).toContain(
      `demo gateway 'pbgw_demo' added on the broker at ${broker.url}; a Home Assistant using` +
        ` that broker (discovery prefix 'homeassistant') shows it as the device "Predbat` +
        ' gateway pbgw_demo", whose controls act on the simulated site; stopping the bridge' +
        ' (Ctrl-C) removes it again',
    );
    // The states: the gateway's, the EMS's, the EMS's view of its two units, the units' own,
    // the charger's, the two availability flags and the plan in force.
    expect(messages).toContain(
      `removed demo gateway 'pbgw_demo' from Home Assistant: cleared ${configs.length}` +
        ' discovery configs and 8 states',
    );
  }, 30000);
});
