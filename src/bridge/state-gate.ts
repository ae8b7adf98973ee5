// The lean publish path. A device's state goes out when a value changed beyond its
// deadband, and at the heartbeat whether it changed or not, so Home Assistant's recorder
// grows only on real change while expire_after and a late subscriber still see it.
// The last payload is kept whole: comparing it costs less than any digest, and a state
// is about a kilobyte, a few megabytes for ten thousand gateways.
import {
  type Deadband,
  bandValues,
  holdWithinBands,
  restoreHeld,
} from '../homeassistant/deadbands';

interface Sent {
  payload: string;
  atMs: number;
  /** The values at the deadband paths as they went out. */
  held: unknown[];
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
      const payload = JSON.stringify(state);
      if (!heartbeat && payload === last.payload) return undefined;
      this.remember(topic, payload, nowMs, state, bands, last);
      return payload;
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
    const last = this.sent.get(topic);
    if (last !== undefined && last.payload === payload) {
      last.atMs = nowMs;
      return;
    }
    let state: Record<string, unknown> = {};
    if (bands.length > 0) {
      try {
        const parsed: unknown = JSON.parse(payload);
        if (parsed !== null && typeof parsed === 'object') state = parsed as typeof state;
      } catch {
        // Not JSON: no held values; the next state compares unequal and goes out.
      }
    }
    this.remember(topic, payload, nowMs, state, bands, last);
  }

  forget(topic: string): void {
    this.sent.delete(topic);
  }

  get size(): number {
    return this.sent.size;
  }

  private remember(
    topic: string,
    payload: string,
    nowMs: number,
    state: Record<string, unknown>,
    bands: Deadband[],
    last: Sent | undefined,
  ): void {
    // The record is reused: a busy bridge then makes no garbage per state.
    const sent = last ?? { payload, atMs: nowMs, held: [] };
    sent.payload = payload;
    sent.atMs = nowMs;
    bandValues(state, bands, sent.held);
    if (last === undefined) this.sent.set(topic, sent);
  }
}
