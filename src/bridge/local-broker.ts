// With no broker given, the bridge uses the one on this machine, and when none answers it
// starts its own (aedes) in its place, so `npm start` works on a fresh machine.
import * as net from 'node:net';
import type { Logger } from './logger';

export interface EmbeddedBroker {
  port: number;
  close(): Promise<void>;
}

const PROBE_TIMEOUT_MS = 1000;

/** Whether something accepts TCP connections on host:port. */
export function somethingListens(
  host: string,
  port: number,
  timeoutMs = PROBE_TIMEOUT_MS,
): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (answer: boolean): void => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** An in-process MQTT broker on host:port, keeping retained messages in memory. */
export async function startEmbeddedBroker(host: string, port: number): Promise<EmbeddedBroker> {
  // Loaded only when needed: aedes is an ES module, which Node loads from CommonJS only from
  // version 20.19 on, and a bridge with a broker of its own never needs it.
  let Aedes: typeof import('aedes').Aedes;
  try {
    ({ Aedes } = await import('aedes'));
  } catch (error) {
    throw new Error(
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
  if (await somethingListens(host, port)) {
    log.info(`no broker given: using the one answering on localhost:${port}`);
    return { url };
  }
  const embedded = await startEmbeddedBroker(host, port);
  log.info(
    `no broker given and none answers on localhost:${port}: started an embedded broker there` +
      ' (retained messages live in memory only; give --mqtt-url to use your own)',
  );
  return { url: `mqtt://127.0.0.1:${embedded.port}`, embedded };
}
