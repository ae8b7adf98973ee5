// QoS 1 publishes (discovery configs, availability flags) wait for the broker's
// acknowledgement. A bridge starting with thousands of gateways announces tens of
// thousands of entities at once; handed to the socket in one go they run mqtt.js out of
// packet ids, the kernel refuses the write and the connection drops. At most a window of
// them is unacknowledged at a time, the rest follow in order as acknowledgements come back.
// QoS 0 states are not held: they go out at once.
import type { MqttClient } from 'mqtt';
import type { PublishOptions } from './bridge';

const WINDOW = 256;

interface Waiting {
  topic: string;
  payload: string | Buffer;
  options: PublishOptions;
}

export class PublishWindow {
  private unacknowledged = 0;
  private waiting: Waiting[] = [];
  private next = 0;

  constructor(
    private readonly client: MqttClient,
    private readonly size = WINDOW,
  ) {
    // What was unacknowledged when the connection dropped, mqtt.js sends again itself.
    client.on('close', () => {
      this.unacknowledged = 0;
    });
    client.on('connect', () => this.drain());
  }

  publish(topic: string, payload: string | Buffer, options: PublishOptions): void {
    if (options.qos === 0) {
      this.client.publish(topic, payload, options);
      return;
    }
    this.waiting.push({ topic, payload, options });
    this.drain();
  }

  /** Publishes waiting for their turn. */
  get backlog(): number {
    return this.waiting.length - this.next;
  }

  private drain(): void {
    while (this.next < this.waiting.length && this.unacknowledged < this.size) {
      if (!this.client.connected) return;
      const { topic, payload, options } = this.waiting[this.next] as Waiting;
      this.next += 1;
      this.unacknowledged += 1;
      this.client.publish(topic, payload, options, () => {
        this.unacknowledged = Math.max(0, this.unacknowledged - 1);
        this.drain();
      });
    }
    // The queue is an array read from the front; it is emptied once all is sent.
    if (this.next === this.waiting.length && this.next > 0) {
      this.waiting = [];
      this.next = 0;
    }
  }
}
