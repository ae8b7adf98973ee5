// A private Mosquitto for one test file: on a free port, with its own settings, stopped
// at the end. Integration tests never touch the machine's own broker.
import mqtt, { type MqttClient } from 'mqtt';
import { Waiters } from './waiters';

export { type Broker, freePort, startMosquitto } from '../../bench/mosquitto';

/** A client that records every message on the topics it subscribes to. */
export interface Recorder {
  client: MqttClient;
  messages: Array<{ topic: string; payload: Buffer; retain: boolean }>;
  /** The last payload per topic, as a Home Assistant subscriber would hold it. */
  latest: Map<string, Buffer>;
  waitFor(
    predicate: (topic: string, payload: Buffer) => boolean,
    timeoutMs?: number,
  ): Promise<{ topic: string; payload: Buffer }>;
  close(): Promise<void>;
}

export async function record(url: string, topics: string[]): Promise<Recorder> {
  const client = await mqtt.connectAsync(url, { reconnectPeriod: 0 });
  const messages: Recorder['messages'] = [];
  const latest = new Map<string, Buffer>();
  const waiters = new Waiters(messages, (ms) => `no matching message within ${ms} ms`);
  client.on('message', (topic, payload, packet) => {
    const message = { topic, payload, retain: packet.retain };
    messages.push(message);
    latest.set(topic, payload);
    waiters.offer(message);
  });
  await client.subscribeAsync(topics, { qos: 1 });
  return {
    client,
    messages,
    latest,
    waitFor: (predicate, timeoutMs = 5000) =>
      waiters.waitFor((m) => predicate(m.topic, m.payload), timeoutMs),
    close: () => client.endAsync(),
  };
}
