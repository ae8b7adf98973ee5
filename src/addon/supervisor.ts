// Home Assistant's Supervisor, as the add-on sees it: the MQTT service it offers (the
// broker's host, port and credentials for add-ons), asked with the add-on's own token.

export interface MqttService {
  host: string;
  port: number;
  ssl: boolean;
  username?: string;
  password?: string;
  protocol?: string;
  addon?: string;
}

export class SupervisorError extends Error {}

export interface AskOptions {
  supervisorUrl: string;
  token: string | undefined;
  /** Tries while the broker add-on is still starting. */
  attempts?: number;
  retryMs?: number;
  fetch?: typeof fetch;
}

export async function mqttService(options: AskOptions): Promise<MqttService> {
  if (options.token === undefined || options.token === '') {
    throw new SupervisorError(
      'SUPERVISOR_TOKEN is not set: this start script runs only as a Home Assistant add-on',
    );
  }
  const attempts = options.attempts ?? 6;
  let last: Error = new SupervisorError('no answer');
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    try {
      return await askOnce(options);
    } catch (error) {
      last = error as Error;
      if (attempt < attempts) {
        await new Promise((resolve) => setTimeout(resolve, options.retryMs ?? 5000));
      }
    }
  }
  throw last;
}

async function askOnce(options: AskOptions): Promise<MqttService> {
  const fetchImpl = options.fetch ?? fetch;
  const url = `${options.supervisorUrl.replace(/\/$/, '')}/services/mqtt`;
  let response: Response;
  try {
    response = await fetchImpl(url, {
      headers: { authorization: `Bearer ${options.token}` },
      signal: AbortSignal.timeout(10000),
    });
  } catch (error) {
    throw new SupervisorError(`cannot reach the Supervisor at ${url}: ${(error as Error).message}`);
  }
  const body = (await response.json().catch(() => ({}))) as {
    result?: string;
    message?: string;
    data?: Partial<MqttService>;
  };
  if (!response.ok || body.result !== 'ok' || body.data === undefined) {
    throw new SupervisorError(
      `the Supervisor offers no MQTT broker (HTTP ${response.status}` +
        `${body.message ? `: ${body.message}` : ''}); install and start the Mosquitto broker` +
        ' add-on, or another add-on that provides MQTT',
    );
  }
  const data = body.data;
  if (typeof data.host !== 'string' || typeof data.port !== 'number') {
    throw new SupervisorError("the Supervisor's MQTT service has no host or port");
  }
  return {
    host: data.host,
    port: data.port,
    ssl: data.ssl === true,
    username: data.username || undefined,
    password: data.password || undefined,
    protocol: data.protocol,
    addon: data.addon,
  };
}
