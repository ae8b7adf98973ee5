import { healthReport, startHealthServer } from '../../src/bridge/health';

const COUNTS = { statusMessages: 0, rejectedMessages: 0 };

describe('the health check', () => {
  it('is healthy only while every broker is connected', () => {
    expect(
      healthReport(
        { home_assistant: { connected: true }, gateway: { connected: false } },
        { statusMessages: 12, rejectedMessages: 3 },
      ),
    ).toEqual({
      healthy: false,
      brokers: { home_assistant: 'connected', gateway: 'disconnected' },
      status_messages: 12,
      rejected_messages: 3,
    });
    expect(healthReport({ mqtt: { connected: true } }, COUNTS)).toEqual({
      healthy: true,
      brokers: { mqtt: 'connected' },
      status_messages: 0,
      rejected_messages: 0,
    });
  });

  it('answers GET /health with 200 or 503 and the report, and nothing else', async () => {
    const mqtt = { connected: true };
    const server = await startHealthServer(0, () => healthReport({ mqtt }, COUNTS), '127.0.0.1');
    const url = `http://127.0.0.1:${server.port}`;
    const up = await fetch(`${url}/health`);
    expect(up.status).toBe(200);
    expect(await up.text()).toBe(
      '{"healthy":true,"brokers":{"mqtt":"connected"},"status_messages":0,"rejected_messages":0}\n',
    );
    mqtt.connected = false;
    const down = await fetch(`${url}/health`);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({
      healthy: false,
      brokers: { mqtt: 'disconnected' },
      status_messages: 0,
      rejected_messages: 0,
    });
    expect((await fetch(`${url}/other`)).status).toBe(404);
    await server.close();
  });
});
