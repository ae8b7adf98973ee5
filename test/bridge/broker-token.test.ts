import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  readToken,
  renewalDelayMs,
  TokenKeeper,
  tokenExpiry,
  tokenFromBody,
  warnIfExpiring,
} from '../../src/bridge/broker-token';
import { captureLog } from '../support/log-capture';
import { makeJwt } from '../support/jwt';

describe('tokenExpiry', () => {
  it('reads exp from a JWT without checking its signature', () => {
    expect(tokenExpiry(makeJwt({ sub: 'pbgw_a1b2c3', exp: 1796300400 }))).toBe(1796300400);
  });

  it('has nothing to say about a plain password or a JWT without exp', () => {
    expect(tokenExpiry('hunter2')).toBeUndefined();
    expect(tokenExpiry(makeJwt({ sub: 'x' }))).toBeUndefined();
  });
});

describe('warnIfExpiring', () => {
  it('says when a fixed token password stops working', () => {
    const log = captureLog();
    warnIfExpiring(makeJwt({ exp: 1796300400 }), log.logger, 1796300400_000 - 1);
    expect(log.messages()).toEqual([
      'gateway_mqtt_password is a token that expires at 2026-12-03T12:20:00Z; give' +
        ' gateway_mqtt_token_file or gateway_mqtt_token_url so the bridge can renew it',
    ]);
  });

  it('names an expiry no date can hold as the number it is, instead of throwing', () => {
    const log = captureLog();
    warnIfExpiring(makeJwt({ exp: 1e15 }), log.logger, 0);
    expect(log.messages()).toEqual([
      'gateway_mqtt_password is a token that expires at 1000000000000000; give' +
        ' gateway_mqtt_token_file or gateway_mqtt_token_url so the bridge can renew it',
    ]);
  });
});

describe('renewalDelayMs', () => {
  const now = 1_000_000_000_000;
  it('renews a fifth of the remaining life ahead, between 30 s and 5 min ahead', () => {
    // 10 minutes left: 2 minutes ahead.
    expect(renewalDelayMs(now / 1000 + 600, now)).toBe(480_000);
    // An hour left: capped at 5 minutes ahead.
    expect(renewalDelayMs(now / 1000 + 3600, now)).toBe(3_300_000);
    // One minute left: at least 30 s ahead.
    expect(renewalDelayMs(now / 1000 + 60, now)).toBe(30_000);
  });

  it('renews at once a token that is already expired', () => {
    expect(renewalDelayMs(now / 1000 - 10, now)).toBe(0);
  });
});

describe('tokenFromBody', () => {
  it('takes a bare token, a JSON string, or JSON naming it', () => {
    expect(tokenFromBody('abc.def.ghi\n')).toBe('abc.def.ghi');
    expect(tokenFromBody('"abc.def.ghi"')).toBe('abc.def.ghi');
    expect(tokenFromBody('{"token":"t1"}')).toBe('t1');
    expect(tokenFromBody('{"access_token":"t2","expires_in":3600}')).toBe('t2');
  });

  it('refuses an answer without a token', () => {
    expect(() => tokenFromBody('{"error":"denied"}')).toThrow('the answer holds no token');
    expect(() => tokenFromBody('  ')).toThrow('the answer holds no token');
  });
});

describe('readToken', () => {
  it('reads a token file, trimmed', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'token-'));
    const file = path.join(dir, 'token');
    fs.writeFileSync(file, 'abc.def.ghi\n');
    await expect(readToken({ file })).resolves.toBe('abc.def.ghi');
    fs.writeFileSync(file, '');
    await expect(readToken({ file })).rejects.toThrow('the token file is empty');
    fs.rmSync(dir, { recursive: true });
  });
});

/** A refresh URL served on a free local port, answering with whatever `token` holds. */
async function tokenServer(): Promise<{
  url: string;
  token: { value: string; status: number };
  requests: number[];
  close(): Promise<void>;
}> {
  const token = { value: '', status: 200 };
  const requests: number[] = [];
  const server = http.createServer((request, response) => {
    requests.push(Date.now());
    response.writeHead(token.status, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ token: token.value }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/token`,
    token,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function nextToken(keeperTokens: string[], count: number): Promise<void> {
  return new Promise((resolve) => {
    const check = setInterval(() => {
      if (keeperTokens.length >= count) {
        clearInterval(check);
        resolve();
      }
    }, 10);
  });
}

describe('TokenKeeper', () => {
  it('renews a token from its URL ahead of its expiry, and never logs it', async () => {
    const server = await tokenServer();
    const exp = Math.floor(Date.now() / 1000) + 3600;
    const first = makeJwt({ sub: 'gw', exp });
    const second = makeJwt({ sub: 'gw', exp: exp + 3600 });
    server.token.value = first;
    // The clock stands 30.2 s before the first token's expiry: renewal is due in 200 ms, and
    // the URL hands out the next token as soon as the first one is taken.
    const log = captureLog();
    const tokens: string[] = [];
    const keeper = new TokenKeeper(
      { url: server.url },
      log.logger,
      (token) => {
        tokens.push(token);
        server.token.value = second;
      },
      { now: () => exp * 1000 - 30_200 },
    );
    keeper.start();
    await nextToken(tokens, 2);
    keeper.stop();
    await server.close();
    expect(tokens).toEqual([first, second]);
    expect(keeper.current()).toBe(second);
    expect(server.requests).toHaveLength(2);
    expect(log.messages()).toEqual([
      `gateway broker token read from the token URL (start-up); it expires at ${iso(exp)}`,
      'gateway broker token read from the token URL (the token is about to expire);' +
        ` it expires at ${iso(exp + 3600)}`,
    ]);
    for (const line of log.lines) {
      expect(line).not.toContain(first);
      expect(line).not.toContain(second);
    }
  });

  it('reads the token file again when it changes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'token-'));
    const file = path.join(dir, 'token');
    fs.writeFileSync(file, 'first-token\n');
    const tokens: string[] = [];
    const keeper = new TokenKeeper({ file }, captureLog().logger, (t) => tokens.push(t), {
      pollMs: 20,
    });
    keeper.start();
    await nextToken(tokens, 1);
    // A renewal tool replaces the file rather than editing it.
    fs.writeFileSync(`${file}.new`, 'second-token-longer\n');
    fs.renameSync(`${file}.new`, file);
    await nextToken(tokens, 2);
    keeper.stop();
    fs.rmSync(dir, { recursive: true });
    expect(tokens).toEqual(['first-token', 'second-token-longer']);
  });

  it('asks again when the broker refuses the token, and hands on only a new one', async () => {
    const server = await tokenServer();
    server.token.value = 'revoked';
    const tokens: string[] = [];
    const keeper = new TokenKeeper({ url: server.url }, captureLog().logger, (t) => tokens.push(t));
    keeper.start();
    await nextToken(tokens, 1);
    server.token.value = 'reissued';
    keeper.authRefused();
    await nextToken(tokens, 2);
    // A second refusal right after the first is not a reason to ask again.
    keeper.authRefused();
    keeper.stop();
    await server.close();
    expect(tokens).toEqual(['revoked', 'reissued']);
    expect(server.requests).toHaveLength(2);
  });

  it('says what failed when the token URL does not answer with a token', async () => {
    const server = await tokenServer();
    server.token.status = 503;
    const log = captureLog();
    const keeper = new TokenKeeper({ url: server.url }, log.logger, () => undefined);
    await keeper.refresh('start-up');
    keeper.stop();
    await server.close();
    expect(log.messages()).toEqual([
      "could not read the gateway broker's token from the token URL (start-up): the token URL" +
        ' answered HTTP 503; trying again in 5 s',
    ]);
  });
});

function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
