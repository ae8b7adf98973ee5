// Commands given while the gateways' broker is unreachable. Each waits here, one per
// control (a newer value replaces an older one), and on reconnect goes out if it is still
// fresh; an old one is reported expired instead, so a stale command is never replayed and
// none is lost without a word.
export interface Queued {
  key: string;
  createdMs: number;
  deliver(): void;
  expire(reason: string): void;
}

export class Outbox {
  private readonly queued = new Map<string, Queued>();

  get size(): number {
    return this.queued.size;
  }

  has(key: string): boolean {
    return this.queued.has(key);
  }

  add(item: Queued): void {
    const older = this.queued.get(item.key);
    this.queued.delete(item.key);
    this.queued.set(item.key, item);
    older?.expire('replaced by a newer value while the gateway broker was unreachable');
  }

  /** On reconnect: fresh ones are delivered in the order they were given. */
  flush(nowMs: number, freshMs: number): void {
    const items = [...this.queued.values()];
    this.queued.clear();
    for (const item of items) {
      if (nowMs - item.createdMs <= freshMs) item.deliver();
      else item.expire(expiredReason(freshMs));
    }
  }

  /** The bridge is stopping: nothing waiting will be sent, and each says so. */
  drop(reason: string): void {
    const items = [...this.queued.values()];
    this.queued.clear();
    for (const item of items) item.expire(reason);
  }

  /** While still unreachable: those past their freshness are reported now, not at reconnect. */
  expireStale(nowMs: number, freshMs: number): void {
    for (const [key, item] of [...this.queued]) {
      if (nowMs - item.createdMs <= freshMs) continue;
      this.queued.delete(key);
      item.expire(expiredReason(freshMs));
    }
  }
}

function expiredReason(freshMs: number): string {
  return `the gateway broker was unreachable for more than ${Math.round(freshMs / 1000)} s`;
}
