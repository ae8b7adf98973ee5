// The gateways' side of the benchmark: one MQTT client sending prepared status messages,
// either as fast as the broker takes them (with a window of unacknowledged messages, as
// a real QoS 1 sender has) or at a fixed rate.
import mqtt, { type MqttClient } from 'mqtt';
import type { Outgoing } from './telemetry';
import { clock } from './processes';

export async function connectPublisher(url: string): Promise<MqttClient> {
  const client = await mqtt.connectAsync(url, { reconnectPeriod: 0 });
  // Each message leaves when it is sent, as a gateway's does.
  (client.stream as { setNoDelay?: (noDelay: boolean) => void }).setNoDelay?.(true);
  return client;
}

/** Sends every message at QoS `qos`; resolves when the last one was handed to the socket. */
export function publishAll(
  client: MqttClient,
  messages: Outgoing[],
  qos: 0 | 1,
  window = 2000,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let next = 0;
    let unacked = 0;
    let waiting = false;
    const acked = (error?: Error): void => {
      if (error) return reject(error);
      unacked -= 1;
      if (waiting && unacked < window / 2) {
        waiting = false;
        setImmediate(pump);
      }
    };
    const pump = (): void => {
      let burst = 0;
      while (next < messages.length) {
        if (qos === 1 && unacked >= window) {
          waiting = true;
          return;
        }
        const message = messages[next] as Outgoing;
        next += 1;
        unacked += 1;
        client.publish(message.topic, Buffer.from(message.payload), { qos }, acked);
        burst += 1;
        if (burst >= 200) {
          setImmediate(pump);
          return;
        }
      }
      resolve();
    };
    pump();
  });
}

/** Sends the messages at `perSecond`, calling `sent` with each one's send time. */
export function publishAtRate(
  client: MqttClient,
  messages: Outgoing[],
  perSecond: number,
  sent: (index: number, at: number) => void,
): Promise<void> {
  return new Promise((resolve) => {
    const start = clock();
    let next = 0;
    const tick = (): void => {
      const due = Math.min(messages.length, Math.floor(((clock() - start) * perSecond) / 1000) + 1);
      while (next < due) {
        const message = messages[next] as Outgoing;
        sent(next, clock());
        client.publish(message.topic, Buffer.from(message.payload), { qos: 1 });
        next += 1;
      }
      if (next >= messages.length) resolve();
      else setTimeout(tick, 1);
    };
    tick();
  });
}
