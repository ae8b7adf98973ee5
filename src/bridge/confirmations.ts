// Commands sent and not yet seen in telemetry. Each waits for the value it asked for to
// show in its device's state: seen is confirmed; not seen within a few telemetry cycles,
// or with no telemetry at all for too long, is not applied; replaced by a newer command for
// the same control before either, it has expired.
import type { HaDevice } from '../homeassistant/devices';
import { stateValue } from '../homeassistant/discovery';
import type { CommandSubject } from './command-results';

export interface Expectation {
  gatewayId: string;
  /** The control: a newer command for it replaces this expectation. */
  key: string;
  /** HaDevice.id of the unit, and the state path its telemetry reports the value at. */
  deviceId: string;
  path: string;
  /** The value as the state JSON writes it (ON/OFF for on/off). */
  expected: unknown;
  sentMs: number;
  cycles: number;
  subject: CommandSubject;
}

export interface Outcome {
  confirmed: Expectation[];
  notApplied: Array<{ expectation: Expectation; reported: unknown }>;
}

export class Confirmations {
  private readonly waiting = new Map<string, Expectation>();

  /** Waits for a command; returns the one it replaces, sent for the same control before. */
  add(expectation: Expectation): Expectation | undefined {
    const replaced = this.waiting.get(expectation.key);
    this.waiting.set(expectation.key, expectation);
    return replaced;
  }

  has(key: string): boolean {
    return this.waiting.has(key);
  }

  /** One telemetry cycle of a gateway: compares what its devices report now. */
  check(gatewayId: string, devices: HaDevice[], maxCycles: number): Outcome {
    const outcome: Outcome = { confirmed: [], notApplied: [] };
    for (const expectation of this.waiting.values()) {
      if (expectation.gatewayId !== gatewayId) continue;
      const device = devices.find((d) => d.id === expectation.deviceId);
      const reported =
        device === undefined ? undefined : stateValue(device.state, expectation.path);
      if (reported === expectation.expected) {
        outcome.confirmed.push(expectation);
        this.waiting.delete(expectation.key);
        continue;
      }
      expectation.cycles += 1;
      if (expectation.cycles >= maxCycles) {
        outcome.notApplied.push({ expectation, reported });
        this.waiting.delete(expectation.key);
      }
    }
    return outcome;
  }

  /**
   * In a fleet: a fellow sent `newer` at `atMs` (whole seconds) for the gateway. What this
   * bridge waits on for the same control, sent before then, is replaced: returned, and no
   * longer waited on.
   */
  replacedBy(gatewayId: string, newer: CommandSubject, atMs: number): Expectation[] {
    const replaced = [...this.waiting.values()].filter(
      (e) =>
        e.gatewayId === gatewayId &&
        e.subject.device === newer.device &&
        e.subject.entity === newer.entity &&
        e.subject.command_id !== newer.command_id &&
        Math.floor(e.sentMs / 1000) * 1000 <= atMs,
    );
    for (const expectation of replaced) this.waiting.delete(expectation.key);
    return replaced;
  }

  /** Those waiting longer than the limit, whatever telemetry did or did not come. */
  overdue(nowMs: number, limitMs: number): Expectation[] {
    const late = [...this.waiting.values()].filter((e) => nowMs - e.sentMs > limitMs);
    for (const expectation of late) this.waiting.delete(expectation.key);
    return late;
  }
}
