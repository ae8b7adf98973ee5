// Everything `npm start` and the add-on run: the start-up summary, the broker (the one given,
// localhost's, or an embedded one), the bridge, the demo gateway and the health check.
import { BRIDGE_NAME, BRIDGE_VERSION } from '../package-root';
import { startDemoGateway, type DemoGateway } from '../demo/gateway';
import { healthReport, type HealthServer, startHealthServer } from './health';
import { type EmbeddedBroker, localBroker } from './local-broker';
import type { Logger } from './logger';
import type { BridgeOptions } from './options';
import { runBridge, type RunningBridge } from './run';
import { startupLine, startupSummary } from './startup-log';

export interface Launched {
  options: BridgeOptions;
  running: RunningBridge;
  embedded?: EmbeddedBroker;
  demo?: DemoGateway;
  health?: HealthServer;
  stop(): Promise<void>;
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
    logger.info(
      `demo gateway '${demo.id}' added: its entities appear in Home Assistant under` +
        ` "Predbat gateway ${demo.id}" and its controls act on the simulated site`,
    );
  }
  let health: HealthServer | undefined;
  if (options.healthPort > 0) {
    const brokers: Record<string, { connected: boolean }> = options.gatewayBroker
      ? { home_assistant: running.homeAssistant, gateway: running.gateways }
      : { mqtt: running.homeAssistant };
    health = await startHealthServer(options.healthPort, () => healthReport(brokers));
    logger.info(`health check on http://0.0.0.0:${health.port}/health`);
  }
  return {
    options,
    running,
    embedded,
    demo,
    health,
    async stop(): Promise<void> {
      // The bridge goes first, so it does not report the demo gateway's last will as a fault.
      await running.stop();
      await demo?.stop();
      await health?.close();
      await embedded?.close();
    },
  };
}
