// What the start-up line says: which brokers, topics and options are in force, so a user
// can check them at a glance. Passwords and tokens never appear, not even inside a URL.
import { bridgeStateTopic, homeAssistantStatusTopic } from '../homeassistant/topics';
import { redactUrl } from './mqtt-link';
import type { BridgeOptions, BrokerOptions } from './options';

export interface StartupSummary {
  brokers: Record<string, { url: string; auth: string; tls: string }>;
  topics: Record<string, string>;
  options: Record<string, unknown>;
}

/** How a broker is logged into, without the secret itself. */
function authText(broker: BrokerOptions): string {
  const user = broker.username ? 'a user name' : undefined;
  const secret =
    broker.tokenUrl !== undefined
      ? 'a token from its URL'
      : broker.tokenFile !== undefined
        ? `a token from the file ${broker.tokenFile}`
        : broker.password
          ? 'a password'
          : undefined;
  if (user === undefined && secret === undefined) return 'anonymous';
  return [user, secret].filter((part) => part !== undefined).join(' and ');
}

function tlsText(broker: BrokerOptions): string {
  if (!/^(mqtts|wss|ssl|tls):/.test(broker.url)) return 'none';
  const parts = [broker.ca ? `CA ${broker.ca}` : 'system CAs'];
  if (broker.cert) parts.push(`client certificate ${broker.cert}`);
  if (!broker.rejectUnauthorized) parts.push('certificate NOT verified');
  return parts.join(', ');
}

function brokerSummary(broker: BrokerOptions): StartupSummary['brokers'][string] {
  return { url: redactUrl(broker.url), auth: authText(broker), tls: tlsText(broker) };
}

export function startupSummary(options: BridgeOptions): StartupSummary {
  const brokers: StartupSummary['brokers'] = {};
  if (options.gatewayBroker) {
    brokers['Home Assistant'] = brokerSummary(options.broker);
    brokers.gateway = brokerSummary(options.gatewayBroker);
  } else {
    brokers['Home Assistant and gateway'] = brokerSummary(options.broker);
  }
  const prefix = options.gatewayPrefix;
  const topics = {
    gateway_status: `${prefix}/+/status`,
    gateway_online: `${prefix}/+/online`,
    bridge_state: bridgeStateTopic(options),
    device_states: `${options.baseTopic}/{gateway}/…/state`,
    discovery: `${options.discoveryPrefix}/{platform}/predbat/…/config`,
    home_assistant_status: homeAssistantStatusTopic(options),
  };
  const rest: Record<string, unknown> = { ...options };
  delete rest.broker;
  delete rest.gatewayBroker;
  return { brokers, topics, options: rest };
}

/** One readable line for the start-up log, with the structured summary beside it. */
export function startupLine(name: string, version: string, summary: StartupSummary): string {
  const brokers = Object.entries(summary.brokers)
    .map(([role, b]) => `${role} broker ${b.url} (${b.auth}; TLS: ${b.tls})`)
    .join('; ');
  return (
    `${name} ${version} starting: ${brokers}; reading ${summary.topics.gateway_status},` +
    ` publishing under ${summary.topics.device_states} and ${summary.topics.discovery}`
  );
}
