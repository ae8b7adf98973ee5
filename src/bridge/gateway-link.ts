// The connection to the gateways' own broker, when it is not Home Assistant's: its own
// reconnect and log lines, and a token password kept fresh.
import type { MqttClient } from 'mqtt';
import { TokenKeeper, type TokenKeeperOptions, warnIfExpiring } from './broker-token';
import type { Logger } from './logger';
import { AUTH_REFUSED_CODES, connectBroker } from './mqtt-link';
import type { BrokerOptions } from './options';

export interface GatewayLink {
  client: MqttClient;
  keeper?: TokenKeeper;
  stop(): void;
}

export function connectGatewayBroker(
  broker: BrokerOptions,
  log: Logger,
  tokenOptions: TokenKeeperOptions = {},
  protocolVersion: 4 | 5 = 4,
): GatewayLink {
  const source =
    broker.tokenUrl !== undefined || broker.tokenFile !== undefined
      ? { url: broker.tokenUrl, file: broker.tokenFile }
      : undefined;
  const client = connectBroker(
    'gateway',
    broker,
    { manualConnect: source !== undefined, optionPrefix: 'gateway_mqtt', protocolVersion },
    log,
  );
  if (source === undefined) {
    warnIfExpiring(broker.password, log, (tokenOptions.now ?? Date.now)());
    return { client, stop: () => undefined };
  }
  let started = false;
  const keeper = new TokenKeeper(
    source,
    log,
    (token) => {
      client.options.password = token;
      if (!started) {
        started = true;
        client.connect();
      } else if (client.connected) {
        log.info('reconnecting to the gateway broker with the renewed token');
        client.reconnect();
      }
      // Otherwise the client is between attempts: its next one carries the new token.
    },
    tokenOptions,
  );
  client.on('error', (error) => {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'number' && AUTH_REFUSED_CODES.has(code)) keeper.authRefused();
  });
  // A token renewed while a connection was being made missed it: log in again with it.
  let sentPassword: unknown;
  client.on('packetsend', (packet) => {
    if (packet.cmd === 'connect') sentPassword = packet.password?.toString();
  });
  client.on('connect', () => {
    const token = keeper.current();
    if (token !== undefined && sentPassword !== token) {
      log.info('reconnecting to the gateway broker with the renewed token');
      client.reconnect();
    }
  });
  keeper.start();
  return { client, keeper, stop: () => keeper.stop() };
}
