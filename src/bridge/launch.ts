// Everything `npm start` and the add-on run: the start-up summary, the broker (the one given,
// localhost's, or an embedded one), the bridge, the demo gateway and the health check.
import { BRIDGE_NAME, BRIDGE_VERSION } from '../package-root';
import { startDemoGateway, type DemoGateway } from '../demo/gateway';
import { healthReport, type HealthServer, startHealthServer } from './health';
import { type EmbeddedBroker, localBroker } from './local-broker';
import { type Logger, loggerFor } from './logger';
import { redactUrl } from './mqtt-link';
import type { BridgeOptions } from './options';
import { retireGateway } from './retire-gateway';
import { runBridge, type RunningBridge } from './run';
import { startupLine, startupSummary } from './startup-log';
import { within } from './within';

export interface Launched {
  options: BridgeOptions;
  running: RunningBridge;
  embedded?: EmbeddedBroker;
  demo?: DemoGateway;
  health?: HealthServer;
  stop(): Promise<void>;
}

/** The bridge as a process runs it: launched, and stopped cleanly on SIGINT or SIGTERM. */
export async function launchProcess(options: BridgeOptions): Promise<void> {
  const logger = loggerFor(options);
  const launched = await launch(options, logger);
  const shutdown = (): void => {
    logger.info('stopping');
    launched.stop().finally(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

export async function launch(given: BridgeOptions, logger: Logger): Promise<Launched> {
  let options = given;
  let embedded: EmbeddedBroker | undefined;
  const mqttLog = logger.child({ area: 'mqtt' });
  if (options.autoBroker) {
    const local = await localBroker(options.localBrokerPort, mqttLog);
    embedded = local.embedded;
    options = { ...options, broker: { ...options.broker, url: local.url } };
  }
  const summary = startupSummary(options);
  logger.info(summary, startupLine(BRIDGE_NAME, BRIDGE_VERSION, summary));

  const running = runBridge(options, logger);
  let demo: DemoGateway | undefined;
  if (options.demo) {
    // The demo stands where a real gateway would: on the gateways' broker.
    const broker = options.gatewayBroker ?? options.broker;
    demo = startDemoGateway(
      { broker, gatewayPrefix: options.gatewayPrefix, zone: options.timezone },
      logger.child({ area: 'demo' }),
    );
    logger.info(demoLine(options, demo.id, embedded !== undefined));
  }
  let health: HealthServer | undefined;
  if (options.healthPort > 0) {
    const brokers: Record<string, { connected: boolean }> = options.gatewayBroker
      ? { home_assistant: running.homeAssistant, gateway: running.gateways }
      : { mqtt: running.homeAssistant };
    health = await startHealthServer(options.healthPort, () =>
      healthReport(brokers, running.bridge.stats),
    );
    logger.info(`health check on http://0.0.0.0:${health.port}/health`);
  }
  return {
    options,
    running,
    embedded,
    demo,
    health,
    async stop(): Promise<void> {
      if (demo !== undefined) await retireDemo(demo, running, options, logger);
      // The bridge goes first, so it does not report the demo gateway's last will as a fault.
      await running.stop();
      await demo?.stop();
      await health?.close();
      await embedded?.close();
    },
  };
}

/**
 * Where the demo gateway shows up. Without --mqtt-url the broker may be one this machine
 * already runs for a real Home Assistant, so the line names the broker and what will appear.
 */
export function demoLine(options: BridgeOptions, id: string, embedded: boolean): string {
  const port = options.localBrokerPort;
  const haBroker = !options.autoBroker
    ? `the broker at ${redactUrl(options.broker.url)}`
    : embedded
      ? `the embedded broker on localhost:${port}`
      : `the broker already running on localhost:${port}`;
  const where = options.gatewayBroker
    ? `on the gateway broker at ${redactUrl(options.gatewayBroker.url)}; a Home Assistant` +
      ` using ${haBroker}`
    : `on ${haBroker}; a Home Assistant using that broker`;
  return (
    `demo gateway '${id}' added ${where} (discovery prefix '${options.discoveryPrefix}')` +
    ` shows it as the device "Predbat gateway ${id}", whose controls act on the simulated` +
    ' site; stopping the bridge (Ctrl-C) removes it again'
  );
}

/** The demo's device, entities and states leave Home Assistant's broker with the bridge. */
async function retireDemo(
  demo: DemoGateway,
  running: RunningBridge,
  options: BridgeOptions,
  logger: Logger,
): Promise<void> {
  // The demo falls silent, then a round trip to the bridge's gateway connection (leaving a
  // topic it never subscribed to) makes sure its last telemetry has reached the bridge, so
  // nothing the bridge publishes for it can follow the removal. A broker gone away must not
  // hold up the stop.
  await within(SETTLE_MS, async () => {
    await demo.silence();
    if (running.gateways.connected) {
      await running.gateways.unsubscribeAsync(`${options.gatewayPrefix}/${demo.id}/status`);
    }
  }).catch(() => undefined);
  const cleared = await retireGateway(running.homeAssistant, running.bridge, demo.id);
  if (cleared === undefined) {
    logger.warn(
      `could not remove demo gateway '${demo.id}' from Home Assistant: the broker is away;` +
        ' start with --demo again and stop it once the broker is back to remove it',
    );
    return;
  }
  logger.info(
    `removed demo gateway '${demo.id}' from Home Assistant: cleared` +
      ` ${cleared.configs.length} discovery configs and ${cleared.states.length} states`,
  );
}

const SETTLE_MS = 2000;
