import { launch } from '../../src/bridge/launch';
import { type BridgeOptions, DEFAULT_OPTIONS } from '../../src/bridge/options';
import { startupLine, startupSummary } from '../../src/bridge/startup-log';
import { makeJwt } from '../support/jwt';
import { captureLog } from '../support/log-capture';
import { startMosquitto } from '../support/mosquitto';

const PASSWORD = 'ha-broker-s3cret';
const URL_PASSWORD = 'in-url-s3cret';
const TOKEN = makeJwt({ sub: 'pbgw_a1b2c3', exp: 4102444800 });
const SECRETS = [PASSWORD, URL_PASSWORD, TOKEN, 'ha-user', 'gw-user'];

function options(haUrl: string, gatewayUrl: string): BridgeOptions {
  return {
    ...DEFAULT_OPTIONS,
    broker: {
      url: haUrl,
      username: 'ha-user',
      password: PASSWORD,
      rejectUnauthorized: true,
    },
    gatewayBroker: {
      url: gatewayUrl,
      username: 'gw-user',
      password: TOKEN,
      rejectUnauthorized: false,
    },
    birthStateDelayMs: 0,
  };
}

describe('the start-up summary', () => {
  it('names brokers, topics and options, and no credential', () => {
    const summary = startupSummary(
      options(
        `mqtt://ha-user:${URL_PASSWORD}@homeassistant.lan:1883`,
        'mqtts://broker.example.com:8883',
      ),
    );
    expect(summary.brokers).toEqual({
      'Home Assistant': {
        url: 'mqtt://***:***@homeassistant.lan:1883',
        auth: 'a user name and a password',
        tls: 'none',
      },
      gateway: {
        url: 'mqtts://broker.example.com:8883',
        auth: 'a user name and a password',
        tls: 'system CAs, certificate NOT verified',
      },
    });
    expect(summary.topics).toEqual({
      gateway_status: 'predbat/devices/+/status',
      gateway_online: 'predbat/devices/+/online',
      bridge_state: 'predbat_bridge/bridge/state',
      device_states: 'predbat_bridge/{gateway}/…/state',
      discovery: 'homeassistant/{platform}/predbat/…/config',
      home_assistant_status: 'homeassistant/status',
    });
    expect(summary.options).toMatchObject({ staleAfterSeconds: 180, logLevel: 'info' });
    expect(startupLine('predbat-gateway-bridge', '0.1.0', summary)).toBe(
      'predbat-gateway-bridge 0.1.0 starting: Home Assistant broker' +
        ' mqtt://***:***@homeassistant.lan:1883 (a user name and a password; TLS: none);' +
        ' gateway broker mqtts://broker.example.com:8883 (a user name and a password; TLS:' +
        ' system CAs, certificate NOT verified); reading predbat/devices/+/status, publishing' +
        ' under predbat_bridge/{gateway}/…/state and homeassistant/{platform}/predbat/…/config',
    );
  });

  it('says where a renewed token comes from without showing the URL, which may hold a key', () => {
    const given = options('mqtt://localhost:1883', 'mqtts://broker.example.com:8883');
    const summary = startupSummary({
      ...given,
      gatewayBroker: {
        ...(given.gatewayBroker as NonNullable<BridgeOptions['gatewayBroker']>),
        password: undefined,
        tokenUrl: 'https://auth.example.com/token?key=k3y',
      },
    });
    expect(summary.brokers.gateway?.auth).toBe('a user name and a token from its URL');
    expect(JSON.stringify(summary)).not.toContain('k3y');
  });
});

describe('a running bridge', () => {
  it('never writes a credential to its log', async () => {
    const mosquitto = await startMosquitto();
    const log = captureLog('trace');
    const url = mosquitto.url.replace('mqtt://', `mqtt://ha-user:${URL_PASSWORD}@`);
    const launched = await launch(options(url, mosquitto.url), log.logger);
    await launched.running.ready;
    await launched.stop();
    await mosquitto.stop();
    expect(log.lines.length).toBeGreaterThan(2);
    const text = log.lines.join('\n');
    for (const secret of SECRETS) expect(text).not.toContain(secret);
  });
});
