import { EventEmitter } from 'node:events';
import type { MqttClient } from 'mqtt';
import { PublishWindow } from '../../src/bridge/publish-window';

/** Enough of an mqtt.js client: it notes publishes and acknowledges when told. */
class FakeClient extends EventEmitter {
  connected = true;
  sent: Array<{ topic: string; qos: number }> = [];
  private readonly acks: Array<() => void> = [];

  publish(topic: string, _payload: unknown, options: { qos: number }, done?: () => void): void {
    this.sent.push({ topic, qos: options.qos });
    if (done) this.acks.push(done);
  }

  acknowledge(): void {
    this.acks.shift()?.();
  }
}

function setup(size = 2) {
  const client = new FakeClient();
  const window = new PublishWindow(client as unknown as MqttClient, size);
  const topics = () => client.sent.map((s) => s.topic);
  return { client, window, topics };
}

const QOS1 = { qos: 1 as const, retain: true };
const QOS0 = { qos: 0 as const, retain: true };

describe('the window of unacknowledged QoS 1 publishes', () => {
  it('sends as many as the window holds, the rest in order as acknowledgements come', () => {
    const { client, window, topics } = setup();
    for (const topic of ['a', 'b', 'c', 'd']) window.publish(topic, '{}', QOS1);
    expect(topics()).toEqual(['a', 'b']);
    expect(window.backlog).toBe(2);
    client.acknowledge();
    expect(topics()).toEqual(['a', 'b', 'c']);
    client.acknowledge();
    client.acknowledge();
    expect(topics()).toEqual(['a', 'b', 'c', 'd']);
    expect(window.backlog).toBe(0);
  });

  it('lets states at QoS 0 past whatever waits', () => {
    const { window, topics } = setup(1);
    window.publish('config-1', '{}', QOS1);
    window.publish('config-2', '{}', QOS1);
    window.publish('state', '{}', QOS0);
    expect(topics()).toEqual(['config-1', 'state']);
  });

  it('holds everything while the broker is away and starts again when it is back', () => {
    const { client, window, topics } = setup();
    window.publish('a', '{}', QOS1);
    client.connected = false;
    client.emit('close');
    window.publish('b', '{}', QOS1);
    window.publish('c', '{}', QOS1);
    expect(topics()).toEqual(['a']);
    client.connected = true;
    client.emit('connect');
    // What was unacknowledged mqtt.js sends again itself; the window opens afresh.
    expect(topics()).toEqual(['a', 'b', 'c']);
  });
});
