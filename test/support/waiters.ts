// Waiting in a test for something a client records: what already came is found at once,
// what is still to come resolves the wait when it arrives, and nothing fails it in time.

export class Waiters<T> {
  private readonly pending: Array<{ predicate: (item: T) => boolean; resolve: (item: T) => void }> =
    [];

  /** `seen` is the client's record, which `offer` is called after each addition to. */
  constructor(
    private readonly seen: readonly T[],
    private readonly nothing: (timeoutMs: number) => string,
  ) {}

  /** A new item has been recorded: the waits it answers end. */
  offer(item: T): void {
    for (const waiter of [...this.pending]) {
      if (!waiter.predicate(item)) continue;
      this.pending.splice(this.pending.indexOf(waiter), 1);
      waiter.resolve(item);
    }
  }

  /** The first item recorded so far or to come within `timeoutMs` that matches. */
  waitFor(predicate: (item: T) => boolean, timeoutMs: number): Promise<T> {
    const found = this.seen.find(predicate);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(this.nothing(timeoutMs))), timeoutMs);
      this.pending.push({
        predicate,
        resolve: (item) => {
          clearTimeout(timer);
          resolve(item);
        },
      });
    });
  }
}
