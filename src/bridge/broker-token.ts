// A gateway broker that authenticates with a token (a JWT, the way the hosted Predbat broker
// hands them out): the password is renewed ahead of its expiry and after the broker refuses
// it, from a token file read again whenever it changes or from a refresh URL.
import * as fs from 'node:fs';
import { jwtDecode } from 'jwt-decode';
import { isoTime } from '../site/values';
import type { Logger } from './logger';

export interface TokenSource {
  file?: string;
  url?: string;
}

export interface TokenKeeperOptions {
  /** How often the token file is looked at for a change. */
  pollMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

const POLL_MS = 2000;
const FETCH_TIMEOUT_MS = 10000;
const FIRST_RETRY_MS = 5000;
const MAX_RETRY_MS = 300000;
/** A broker refusing the token is asked again no more often than this. */
const AUTH_RETRY_MS = 5000;

/** Unix seconds at which a JWT expires; undefined for a plain password or a JWT without exp. */
export function tokenExpiry(token: string): number | undefined {
  try {
    const { exp } = jwtDecode(token);
    return typeof exp === 'number' && Number.isFinite(exp) ? exp : undefined;
  } catch {
    return undefined;
  }
}

/**
 * When to fetch a new token: a fifth of its remaining life ahead of its expiry, at least
 * 30 s and at most 5 minutes ahead, so a short-lived token is not renewed at once.
 */
export function renewalDelayMs(expSeconds: number, nowMs: number): number {
  const remainingMs = expSeconds * 1000 - nowMs;
  const marginMs = Math.min(300000, Math.max(30000, remainingMs / 5));
  return Math.max(0, remainingMs - marginMs);
}

/** A refresh URL may answer with the bare token or with JSON naming it. */
export function tokenFromBody(body: string): string {
  const text = body.trim();
  let token = text;
  if (text.startsWith('{') || text.startsWith('"')) {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed === 'string') token = parsed;
    else if (typeof parsed === 'object' && parsed !== null) {
      const fields = parsed as Record<string, unknown>;
      const found = ['token', 'access_token', 'jwt', 'password']
        .map((key) => fields[key])
        .find((value) => typeof value === 'string');
      token = typeof found === 'string' ? found : '';
    }
  }
  token = token.trim();
  if (token === '') throw new Error('the answer holds no token');
  return token;
}

export async function readToken(
  source: TokenSource,
  fetchImpl: typeof fetch = fetch,
): Promise<string> {
  if (source.url !== undefined) {
    const response = await fetchImpl(source.url, {
      headers: { accept: 'application/json, text/plain' },
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`the token URL answered HTTP ${response.status}`);
    return tokenFromBody(await response.text());
  }
  if (source.file !== undefined) {
    const text = (await fs.promises.readFile(source.file, 'utf8')).trim();
    if (text === '') throw new Error('the token file is empty');
    return text;
  }
  throw new Error('no token file or URL given');
}

/**
 * Holds the current token and hands each new one to onToken: the first as soon as it is
 * read, later ones when renewed. Never logs a token.
 */
export class TokenKeeper {
  private token: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private retryMs = FIRST_RETRY_MS;
  private lastAuthRefreshMs = -Infinity;
  private stopped = false;
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => number;
  private readonly pollMs: number;
  private readonly where: string;

  constructor(
    private readonly source: TokenSource,
    private readonly log: Logger,
    private readonly onToken: (token: string) => void,
    options: TokenKeeperOptions = {},
  ) {
    this.fetchImpl = options.fetch ?? fetch;
    this.now = options.now ?? Date.now;
    this.pollMs = options.pollMs ?? POLL_MS;
    this.where = source.url !== undefined ? 'the token URL' : `token file ${source.file}`;
  }

  current(): string | undefined {
    return this.token;
  }

  /** Reads the first token and starts watching the token file. */
  start(): void {
    if (this.source.file !== undefined && this.source.url === undefined) {
      fs.watchFile(
        this.source.file,
        { interval: this.pollMs, persistent: false },
        (now, before) => {
          if (now.mtimeMs !== before.mtimeMs || now.size !== before.size) {
            void this.refresh('the token file changed');
          }
        },
      );
    }
    void this.refresh('start-up');
  }

  /** The broker refused the token: it may have been revoked or expired early. */
  authRefused(): void {
    const now = this.now();
    if (now - this.lastAuthRefreshMs < AUTH_RETRY_MS) return;
    this.lastAuthRefreshMs = now;
    void this.refresh('the gateway broker refused the token');
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.source.file !== undefined) fs.unwatchFile(this.source.file);
  }

  /** Reads the token again; a new one is handed on, the same one waits for a later try. */
  async refresh(reason: string): Promise<void> {
    if (this.stopped) return;
    let token: string;
    try {
      token = await readToken(this.source, this.fetchImpl);
    } catch (error) {
      if (this.stopped) return;
      this.log.error(
        { error: (error as Error).message },
        `could not read the gateway broker's token from ${this.where} (${reason}):` +
          ` ${(error as Error).message}; trying again in ${Math.round(this.retryMs / 1000)} s`,
      );
      this.schedule(this.retryMs, 'a retry');
      this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
      return;
    }
    if (this.stopped) return;
    this.retryMs = FIRST_RETRY_MS;
    const exp = tokenExpiry(token);
    if (token === this.token) {
      this.scheduleAfterSameToken(exp);
      return;
    }
    this.token = token;
    const expires = exp === undefined ? 'it does not expire' : `it expires at ${expiryText(exp)}`;
    this.log.info(`gateway broker token read from ${this.where} (${reason}); ${expires}`);
    if (exp !== undefined) {
      this.schedule(renewalDelayMs(exp, this.now()), 'the token is about to expire');
    }
    this.onToken(token);
  }

  /** The source still holds the old token: look again shortly while it is still valid. */
  private scheduleAfterSameToken(exp: number | undefined): void {
    if (exp === undefined) return;
    const remainingMs = exp * 1000 - this.now();
    if (remainingMs < 300000) {
      this.log.warn(
        `the gateway broker's token expires at ${expiryText(exp)} and ${this.where} still holds` +
          ' the same one; check whatever renews it',
      );
    }
    this.schedule(
      Math.max(FIRST_RETRY_MS, Math.min(30000, remainingMs / 4)),
      'the token is about to expire',
    );
  }

  private schedule(delayMs: number, reason: string): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.refresh(reason), delayMs);
    this.timer.unref();
  }
}

/** A fixed password that is a JWT cannot be renewed: say when it will stop working. */
export function warnIfExpiring(password: string | undefined, log: Logger, nowMs: number): void {
  if (password === undefined) return;
  const exp = tokenExpiry(password);
  if (exp === undefined) return;
  log.warn(
    `gateway_mqtt_password is a token that expires at ${expiryText(exp)}` +
      `${exp * 1000 <= nowMs ? ' (already expired)' : ''}; give gateway_mqtt_token_file or` +
      ' gateway_mqtt_token_url so the bridge can renew it',
  );
}

/** A token's expiry as a UTC time; one no date can hold, as the number it is. */
function expiryText(unixSeconds: number): string {
  return isoTime(unixSeconds) ?? String(unixSeconds);
}
