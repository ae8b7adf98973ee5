// The lean publish path. A device's state goes out when a value changed beyond its
// deadband, and at the heartbeat whether it changed or not, so Home Assistant's recorder
// grows only on real change while expire_after and a late subscriber still see it.
// Of the last payload only a digest is kept: whole payloads would hold 25 MB for ten
// thousand gateways, and the kilobytes kept per message would outlive V8's young
// generation, so that every collection copies them and the old one fills with them.
// The digest is taken from the state object, so a state that goes nowhere is never
// written out as JSON.
import { stateHash } from '../digest';
import {
  type Deadband,
  PublishedValues,
  holdWithinBands,
  restoreHeld,
} from '../homeassistant/deadbands';

interface Sent {
  hash: number;
  atMs: number;
  /** The values at the deadband paths as they went out. */
  held: PublishedValues;
}

export class StateGate {
  private readonly sent = new Map<string, Sent>();

  constructor(private readonly heartbeatMs: number) {}

  /**
   * The payload to publish for a state, or undefined when it holds nothing new and no
   * heartbeat is due. The state object is left as it came.
   */
  admit(
    topic: string,
    state: Record<string, unknown>,
    bands: Deadband[],
    nowMs: number,
    force: boolean,
  ): string | undefined {
    const last = this.sent.get(topic);
    // A heartbeat sends the readings as they are, which also ends any drift of held values.
    const heartbeat = force || last === undefined || nowMs - last.atMs >= this.heartbeatMs;
    const overwritten =
      heartbeat || bands.length === 0 ? undefined : holdWithinBands(state, bands, last.held);
    try {
      const hash = stateHash(state);
      if (!heartbeat && hash === last.hash) return undefined;
      this.remember(topic, hash, nowMs, state, bands, last);
      return JSON.stringify(state);
    } finally {
      if (overwritten !== undefined) restoreHeld(state, bands, overwritten);
    }
  }

  /** A state found on the broker: another bridge of a fleet published it. */
  observe(topic: string, payload: string, bands: Deadband[], nowMs: number): void {
    if (payload === '') {
      this.sent.delete(topic);
      return;
    }
    let state: Record<string, unknown> = {};
    let hash: number;
    try {
      const parsed: unknown = JSON.parse(payload);
      hash = stateHash(parsed);
      if (parsed !== null && typeof parsed === 'object') state = parsed as typeof state;
    } catch {
      // Not JSON: no held values, and a digest no state has; the next one goes out.
      hash = -1;
    }
    const last = this.sent.get(topic);
    if (last !== undefined && last.hash === hash) {
      last.atMs = nowMs;
      return;
    }
    this.remember(topic, hash, nowMs, state, bands, last);
  }

  forget(topic: string): void {
    this.sent.delete(topic);
  }

  get size(): number {
    return this.sent.size;
  }

  private remember(
    topic: string,
    hash: number,
    nowMs: number,
    state: Record<string, unknown>,
    bands: Deadband[],
    last: Sent | undefined,
  ): void {
    // The record is reused: a busy bridge then makes no garbage per state.
    const sent = last ?? { hash, atMs: nowMs, held: new PublishedValues() };
    sent.hash = hash;
    sent.atMs = nowMs;
    sent.held.take(state, bands);
    if (last === undefined) this.sent.set(topic, sent);
  }
}
