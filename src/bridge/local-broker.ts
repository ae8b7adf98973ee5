// With no broker given, the bridge uses the one on this machine, and when none answers it
// starts its own (aedes) in its place, so `npm start` works on a fresh machine. It listens
// on 127.0.0.1 only: nothing on the network can reach it. Something other than an MQTT
// broker on the port stops start-up with what to give instead.
import * as net from 'node:net';
import type { Logger } from './logger';

export interface EmbeddedBroker {
  port: number;
  close(): Promise<void>;
}

/** No broker can be had on the local port: the message says what to give instead. */
export class LocalBrokerError extends Error {}

const PROBE_TIMEOUT_MS = 1000;

/** An MQTT 3.1.1 CONNECT with a clean session and the client id `probe`. */
const PROBE_CONNECT = Buffer.from([
  0x10, 17, 0, 4, 0x4d, 0x51, 0x54, 0x54, 4, 2, 0, 10, 0, 5, 0x70, 0x72, 0x6f, 0x62, 0x65,
]);
const DISCONNECT = Buffer.from([0xe0, 0]);

/**
 * What answers on host:port: nothing, an MQTT broker (it answers a CONNECT with a CONNACK,
 * whether it lets us in or not), or something else (a web server, another program).
 */
export function probeLocal(
  host: string,
  port: number,
  timeoutMs = PROBE_TIMEOUT_MS,
): Promise<'nothing' | 'mqtt' | 'other'> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let connected = false;
    const done = (answer: 'nothing' | 'mqtt' | 'other'): void => {
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      if (answer === 'mqtt') socket.end(DISCONNECT);
      else socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(connected ? 'other' : 'nothing'));
    socket.once('connect', () => {
      connected = true;
      socket.write(PROBE_CONNECT);
    });
    socket.once('data', (data: Buffer) => done(data[0] === 0x20 ? 'mqtt' : 'other'));
    socket.once('close', () => done(connected ? 'other' : 'nothing'));
    socket.once('error', () => done(connected ? 'other' : 'nothing'));
  });
}

/** An in-process MQTT broker on host:port, keeping retained messages in memory. */
async function startEmbeddedBroker(host: string, port: number): Promise<EmbeddedBroker> {
  // Loaded only when needed: aedes is an ES module, which Node loads from CommonJS only from
  // version 20.19 on, and a bridge with a broker of its own never needs it.
  let Aedes: typeof import('aedes').Aedes;
  try {
    ({ Aedes } = await import('aedes'));
  } catch (error) {
    throw new LocalBrokerError(
      `cannot load the embedded broker (${(error as Error).message}): use Node.js 20.19 or` +
        ' newer, or install a broker such as Mosquitto, or give --mqtt-url',
    );
  }
  const broker = await Aedes.createBroker();
  const server = net.createServer(broker.handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    async close(): Promise<void> {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** What a connection problem with the local broker asks the user to check: no URL was given. */
export function localBrokerHint(port: number): string {
  return (
    `the broker on localhost:${port} (no mqtt_url was given: give --mqtt-url for another` +
    ' broker, or --local-broker-port)'
  );
}

/**
 * The broker for a bridge started without one: localhost's if it answers, otherwise an
 * embedded one started there. Returns the URL to use and the embedded broker, if any.
 */
export async function localBroker(
  port: number,
  log: Logger,
): Promise<{ url: string; embedded?: EmbeddedBroker }> {
  const host = '127.0.0.1';
  const url = `mqtt://${host}:${port}`;
  const answer = await probeLocal(host, port);
  if (answer === 'mqtt') {
    log.info(
      `no broker given: using the MQTT broker already running on localhost:${port}` +
        ' (give --mqtt-url to use another)',
    );
    return { url };
  }
  if (answer === 'other') {
    throw new LocalBrokerError(
      `no broker given, and what answers on localhost:${port} is not an MQTT broker: give` +
        ' --mqtt-url mqtt://HOST:1883 for your broker, or --local-broker-port with a free port' +
        ' for the embedded one',
    );
  }
  let embedded: EmbeddedBroker;
  try {
    embedded = await startEmbeddedBroker(host, port);
  } catch (error) {
    if (error instanceof LocalBrokerError) throw error;
    throw new LocalBrokerError(
      `no broker given, and the embedded one cannot listen on localhost:${port}` +
        ` (${(error as Error).message}): give --mqtt-url mqtt://HOST:1883 for your broker, or` +
        ' --local-broker-port with a free port',
    );
  }
  log.info(
    `no broker given and none answers on localhost:${port}: started an embedded broker there,` +
      ' reachable from this machine only (retained messages live in memory only; give' +
      ' --mqtt-url to use your own)',
  );
  return { url: `mqtt://127.0.0.1:${embedded.port}`, embedded };
}
