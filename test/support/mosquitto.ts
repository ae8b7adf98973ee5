// A private Mosquitto for one test file: on a free port, with its own settings, stopped
// at the end. Integration tests never touch the machine's own broker.
import mqtt, { type MqttClient } from 'mqtt';

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
  const waiters: Array<{
    predicate: (topic: string, payload: Buffer) => boolean;
    resolve: (m: { topic: string; payload: Buffer }) => void;
  }> = [];
  client.on('message', (topic, payload, packet) => {
    messages.push({ topic, payload, retain: packet.retain });
    latest.set(topic, payload);
    for (const waiter of [...waiters]) {
      if (waiter.predicate(topic, payload)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve({ topic, payload });
      }
    }
  });
  await client.subscribeAsync(topics, { qos: 1 });
  return {
    client,
    messages,
    latest,
    waitFor(predicate, timeoutMs = 5000) {
      const found = messages.find((m) => predicate(m.topic, m.payload));
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no matching message within ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiters.push({
          predicate,
          resolve: (m) => {
            clearTimeout(timer);
            resolve(m);
          },
        });
      });
    },
    close: () => client.endAsync(),
  };
}
