// A small HTTP health check (GET /health) for the add-on's watchdog and container health
// checks: healthy while every broker connection is up. It also counts the status messages
// the bridge took and rejected, those on unknown gateways' topics too, which have no device
// in Home Assistant to count them.
import * as http from 'node:http';
import type { MqttClient } from 'mqtt';

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

export interface MessageCounts {
  statusMessages: number;
  rejectedMessages: number;
}

export interface HealthReport {
  healthy: boolean;
  brokers: Record<string, 'connected' | 'disconnected'>;
  /** Since the bridge started. */
  status_messages: number;
  rejected_messages: number;
}

export function healthReport(
  brokers: Record<string, Pick<MqttClient, 'connected'>>,
  counts: MessageCounts,
): HealthReport {
  const states: HealthReport['brokers'] = {};
  for (const [name, client] of Object.entries(brokers)) {
    states[name] = client.connected ? 'connected' : 'disconnected';
  }
  return {
    healthy: Object.values(states).every((state) => state === 'connected'),
    brokers: states,
    status_messages: counts.statusMessages,
    rejected_messages: counts.rejectedMessages,
  };
}

export async function startHealthServer(
  port: number,
  report: () => HealthReport,
  host = '0.0.0.0',
): Promise<HealthServer> {
  const server = http.createServer((request, response) => {
    if (request.method !== 'GET' || request.url !== '/health') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    const body = report();
    response
      .writeHead(body.healthy ? 200 : 503, { 'content-type': 'application/json' })
      .end(`${JSON.stringify(body)}\n`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as { port: number }).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
