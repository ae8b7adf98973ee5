// A plain subscriber in its own process: it counts what arrives and says when the n-th
// message, or a message holding a marker, came. It stands for Home Assistant, and for
// the receiving side of the broker's relay rate. argv: url, QoS, topics...
import mqtt from 'mqtt';

export type SinkRequest =
  | { type: 'count'; n: number }
  | { type: 'watch'; topic: string; contains: string }
  | { type: 'stop' };

export interface SinkReply {
  count: number;
  bytes: number;
  /** When the awaited message arrived (ms, performance.timeOrigin based). */
  at: number;
}

function main(): void {
  const [url = '', qosText = '1', ...topics] = process.argv.slice(2);
  const client = mqtt.connect(url, { reconnectPeriod: 0 });
  let count = 0;
  let bytes = 0;
  let awaitCount: number | undefined;
  let watch: { topic: string; contains: string } | undefined;
  const reply = (): void => {
    process.send?.({ count, bytes, at: performance.timeOrigin + performance.now() });
  };
  client.on('message', (topic, payload) => {
    count += 1;
    bytes += payload.length + Buffer.byteLength(topic);
    if (awaitCount !== undefined && count >= awaitCount) {
      awaitCount = undefined;
      reply();
    }
    if (watch !== undefined && topic === watch.topic && payload.includes(watch.contains)) {
      watch = undefined;
      reply();
    }
  });
  client.on('connect', () => {
    (client.stream as { setNoDelay?: (noDelay: boolean) => void }).setNoDelay?.(true);
    client.subscribe(topics, { qos: Number(qosText) as 0 | 1 }, () => process.send?.('ready'));
  });
  process.on('message', (request: SinkRequest) => {
    if (request.type === 'count') {
      awaitCount = request.n;
      if (count >= request.n) {
        awaitCount = undefined;
        reply();
      }
    } else if (request.type === 'watch') {
      watch = { topic: request.topic, contains: request.contains };
    } else {
      void client.endAsync().finally(() => process.exit(0));
    }
  });
}

main();
