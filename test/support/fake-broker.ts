// A Publisher that keeps what a broker would: every publish in order, and the retained
// message per topic (an empty retained payload clears it).
import type { PublishOptions, Publisher } from '../../src/bridge/bridge';

export interface Published {
  topic: string;
  payload: string;
  qos: 0 | 1;
  retain: boolean;
}

export class FakeBroker implements Publisher {
  readonly published: Published[] = [];
  readonly retained = new Map<string, string>();

  publish(topic: string, payload: string | Uint8Array, options: PublishOptions): void {
    const text = typeof payload === 'string' ? payload : Buffer.from(payload).toString('utf8');
    this.published.push({ topic, payload: text, ...options });
    if (!options.retain) return;
    if (text === '') this.retained.delete(topic);
    else this.retained.set(topic, text);
  }

  /** What was published since the last call. */
  take(): Published[] {
    return this.published.splice(0, this.published.length);
  }

  retainedUnder(prefix: string): Map<string, string> {
    return new Map([...this.retained].filter(([topic]) => topic.startsWith(prefix)));
  }
}
