// The add-on's start logic with a stand-in Supervisor on a local port: options.json and the
// MQTT service become the bridge's configuration.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import YAML from 'yaml';
import { DEFAULT_OPTIONS } from '../../src/bridge/options';
import { addonEnvironment, addonOptions, addonRawOptions } from '../../src/addon/start';
import { PACKAGE_ROOT } from '../../src/package-root';

const TOKEN = 'supervisor-token-for-this-add-on';

interface Supervisor {
  url: string;
  requests: Array<{ url?: string; authorization?: string }>;
  answer: { status: number; body: unknown };
  close(): Promise<void>;
}

async function supervisor(): Promise<Supervisor> {
  const requests: Supervisor['requests'] = [];
  const answer = {
    status: 200,
    body: {
      result: 'ok',
      data: {
        addon: 'core_mosquitto',
        host: 'core-mosquitto',
        port: 1883,
        ssl: false,
        protocol: '3.1.1',
        username: 'addons',
        password: 'Ahm3ohgh',
      },
    } as unknown,
  };
  const server = http.createServer((request, response) => {
    requests.push({ url: request.url, authorization: request.headers.authorization });
    response.writeHead(answer.status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    requests,
    answer,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'addon-'));
const optionsFile = path.join(dir, 'options.json');
let stand: Supervisor;

beforeAll(async () => {
  stand = await supervisor();
});
afterAll(async () => {
  await stand.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** options.json as the Supervisor writes it from config.yaml's defaults and the user's changes. */
function writeOptions(changes: Record<string, unknown>): void {
  const config = YAML.parse(
    fs.readFileSync(path.join(PACKAGE_ROOT, 'addon', 'config.yaml'), 'utf8'),
  );
  fs.writeFileSync(optionsFile, JSON.stringify({ ...config.options, ...changes }));
}

function environment(): ReturnType<typeof addonEnvironment> {
  const env = addonEnvironment({
    SUPERVISOR_TOKEN: TOKEN,
    SUPERVISOR_URL: stand.url,
    ADDON_OPTIONS_FILE: optionsFile,
  });
  return { ...env, supervisor: { ...env.supervisor, attempts: 1 } };
}

describe('the add-on start logic', () => {
  it('runs on the Supervisor broker with the defaults, keeping its state in /data', async () => {
    writeOptions({});
    const options = await addonOptions(environment());
    expect(stand.requests.at(-1)).toEqual({
      url: '/services/mqtt',
      authorization: `Bearer ${TOKEN}`,
    });
    expect(options).toEqual({
      ...DEFAULT_OPTIONS,
      broker: {
        url: 'mqtt://core-mosquitto:1883',
        username: 'addons',
        password: 'Ahm3ohgh',
        ca: undefined,
        cert: undefined,
        key: undefined,
        rejectUnauthorized: true,
      },
      autoBroker: false,
      healthPort: 8099,
      dataDir: '/data',
      logFormat: 'json',
    });
  });

  it('takes the user options and a separate gateway broker with a token file', async () => {
    writeOptions({
      log_level: 'debug',
      read_only: true,
      timezone: 'Europe/London',
      stale_after: 300,
      gateway_mqtt_url: 'mqtts://broker.example.com:8883',
      gateway_mqtt_username: 'pbgw_a1b2c3',
      gateway_mqtt_token_file: '/share/predbat/token',
      // The Supervisor keeps an optional field the user emptied as "" or null.
      gateway_mqtt_ca: '',
      gateway_mqtt_token_url: null,
    });
    const options = await addonOptions(environment());
    expect(options).toMatchObject({
      logLevel: 'debug',
      readOnly: true,
      timezone: 'Europe/London',
      staleAfterSeconds: 300,
      gatewayBroker: {
        url: 'mqtts://broker.example.com:8883',
        username: 'pbgw_a1b2c3',
        password: undefined,
        tokenFile: '/share/predbat/token',
        tokenUrl: undefined,
        ca: undefined,
        rejectUnauthorized: true,
      },
    });
  });

  it('uses TLS when the MQTT service does', () => {
    const raw = addonRawOptions(
      { log_level: 'info' },
      { host: 'core-mosquitto', port: 8883, ssl: true, username: 'addons', password: 'p' },
    );
    expect(raw).toEqual({
      log_level: 'info',
      mqtt_url: 'mqtts://core-mosquitto:8883',
      mqtt_username: 'addons',
      mqtt_password: 'p',
      mqtt_reject_unauthorized: false,
      health_port: 8099,
      data_dir: '/data',
      log_format: 'json',
    });
  });

  it('says what to install when the Supervisor offers no broker', async () => {
    writeOptions({});
    const { body } = stand.answer;
    stand.answer.status = 400;
    stand.answer.body = { result: 'error', message: 'No mqtt service available' };
    await expect(addonOptions(environment())).rejects.toThrow(
      'the Supervisor offers no MQTT broker (HTTP 400: No mqtt service available); install and' +
        ' start the Mosquitto broker add-on, or another add-on that provides MQTT',
    );
    stand.answer.status = 200;
    stand.answer.body = body;
  });

  it('refuses to start outside an add-on', async () => {
    writeOptions({});
    await expect(
      addonOptions({ optionsFile, supervisor: { supervisorUrl: stand.url, token: undefined } }),
    ).rejects.toThrow(
      'SUPERVISOR_TOKEN is not set: this start script runs only as a Home Assistant add-on',
    );
  });

  it('stops at an option the bridge does not allow, naming it', async () => {
    writeOptions({ timezone: 'Mars/Olympus_Mons' });
    await expect(addonOptions(environment())).rejects.toThrow(
      "option 'timezone' must be an IANA time zone such as Europe/London, not 'Mars/Olympus_Mons'",
    );
  });
});
