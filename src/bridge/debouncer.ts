// Rapid changes of one control (a slider being dragged) send only where it came to rest.
// Each control's latest value waits here for the debounce time; a newer one replaces it.
// A value still resting when the bridge stops is reported, never dropped without a word.
import type { Logger } from './logger';

interface Resting {
  timer: NodeJS.Timeout;
  /** Says what became of the value when it will never be sent. */
  drop(): void;
}

export class Debouncer {
  private readonly resting = new Map<string, Resting>();

  constructor(
    private readonly delayMs: number,
    private readonly log: Logger,
  ) {}

  get size(): number {
    return this.resting.size;
  }

  /** Runs `run` once the control has rested; without a delay, at once. */
  add(key: string, run: () => void, drop: () => void): void {
    clearTimeout(this.resting.get(key)?.timer);
    this.resting.delete(key);
    if (this.delayMs <= 0) {
      run();
      return;
    }
    const timer = setTimeout(() => {
      this.resting.delete(key);
      try {
        run();
      } catch (error) {
        this.log.error({ key, error: (error as Error).message }, `a command for ${key} failed`);
      }
    }, this.delayMs);
    timer.unref();
    this.resting.set(key, { timer, drop });
  }

  /** Nothing resting will be sent: each value says so. */
  stop(): void {
    const values = [...this.resting.values()];
    this.resting.clear();
    for (const { timer, drop } of values) {
      clearTimeout(timer);
      drop();
    }
  }
}
