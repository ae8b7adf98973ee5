// The gateway broker's token kept fresh against a real Mosquitto that accepts one password
// at a time: the broker is restarted with a new password, the bridge is refused, fetches
// the new token from its file or URL and gets back in.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import type { MqttClient } from 'mqtt';
import { connectGatewayBroker, type GatewayLink } from '../../src/bridge/gateway-link';
import { makeJwt } from '../support/jwt';
import { captureLog } from '../support/log-capture';
import { type Broker, startMosquitto } from '../support/mosquitto';

const USER = 'gateway';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-token-'));
const passwordFile = path.join(dir, 'passwords');
fs.chmodSync(dir, 0o755);
const exp = Math.floor(Date.now() / 1000) + 3600;
const FIRST = makeJwt({ sub: 'pbgw_a1b2c3', exp, jti: 'first' });
const SECOND = makeJwt({ sub: 'pbgw_a1b2c3', exp: exp + 3600, jti: 'second' });

function allowOnly(token: string): void {
  execFileSync('mosquitto_passwd', ['-c', '-b', passwordFile, USER, token]);
  // Mosquitto started as root reads its files as the mosquitto user.
  fs.chmodSync(passwordFile, 0o644);
}

function nextConnect(client: MqttClient): Promise<void> {
  return new Promise((resolve) => client.once('connect', () => resolve()));
}

function refused(client: MqttClient): Promise<number> {
  return new Promise((resolve) =>
    client.once('error', (error) => resolve((error as { code?: number }).code ?? -1)),
  );
}

let broker: Broker;
let link: GatewayLink | undefined;

beforeAll(async () => {
  allowOnly(FIRST);
  broker = await startMosquitto(['allow_anonymous false', `password_file ${passwordFile}`]);
});

afterEach(async () => {
  link?.stop();
  await link?.client.endAsync(true);
  link = undefined;
});

afterAll(async () => {
  await broker.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('a gateway broker that takes a token', () => {
  it('gets back in with the new token file after the broker refused the old token', async () => {
    allowOnly(FIRST);
    await broker.restart();
    const tokenFile = path.join(dir, 'token');
    fs.writeFileSync(tokenFile, `${FIRST}\n`);
    const log = captureLog();
    link = connectGatewayBroker(
      { url: broker.url, username: USER, tokenFile, rejectUnauthorized: true },
      log.logger,
      { pollMs: 50 },
    );
    await nextConnect(link.client);
    expect(link.client.options.password).toBe(FIRST);

    // The hosted broker now accepts only the next token; the old one is refused.
    allowOnly(SECOND);
    const refusal = refused(link.client);
    await broker.restart();
    expect(await refusal).toBe(5);

    const back = nextConnect(link.client);
    fs.writeFileSync(tokenFile, `${SECOND}\n`);
    await back;
    expect(link.client.options.password).toBe(SECOND);
    const text = log.lines.join('\n');
    expect(text).not.toContain(FIRST);
    expect(text).not.toContain(SECOND);
    expect(log.messages()).toContain(
      `gateway broker at ${broker.url}: Connection refused: Not authorized;` +
        ' check gateway_mqtt_username and gateway_mqtt_password',
    );
  });

  it('fetches a new token from the refresh URL when the broker refuses the old one', async () => {
    allowOnly(FIRST);
    await broker.restart();
    let served = FIRST;
    let requests = 0;
    const server = http.createServer((_request, response) => {
      requests += 1;
      response.writeHead(200, { 'content-type': 'text/plain' }).end(served);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const tokenUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/token`;
    link = connectGatewayBroker(
      { url: broker.url, username: USER, tokenUrl, rejectUnauthorized: true },
      captureLog().logger,
    );
    await nextConnect(link.client);
    expect(requests).toBe(1);

    allowOnly(SECOND);
    served = SECOND;
    const back = nextConnect(link.client);
    await broker.restart();
    await back;
    server.close();
    expect(link.client.options.password).toBe(SECOND);
    expect(requests).toBe(2);
  });
});

describe('a token renewed ahead of its expiry', () => {
  it('reconnects with the new token without reporting a lost broker', async () => {
    const open = await startMosquitto();
    // The first answer is the token about to expire, every later one its successor.
    let answers = 0;
    const server = http.createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ token: answers++ === 0 ? FIRST : SECOND }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const tokenUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/token`;
    const log = captureLog();
    // The clock says the first token expires in 31 s: renewal is due in a second.
    link = connectGatewayBroker(
      { url: open.url, username: USER, tokenUrl, rejectUnauthorized: true },
      log.logger,
      { now: () => exp * 1000 - 31_000 },
    );
    await nextConnect(link.client);
    await nextConnect(link.client);
    server.close();
    await link.client.endAsync(true);
    await open.stop();
    expect(link.client.options.password).toBe(SECOND);
    const messages = log.messages().filter((m) => !m.startsWith('gateway broker token read'));
    expect(messages).toEqual([
      `connected to the gateway broker at ${open.url}`,
      'reconnecting to the gateway broker with the renewed token',
      `connected to the gateway broker at ${open.url}`,
    ]);
  });
});
