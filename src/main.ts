#!/usr/bin/env node
// The command line: `predbat-gateway-bridge [options]` runs the bridge.
import { Command, Option } from 'commander';
import { ConfigError, collectOptions, resolveOptions } from './bridge/config';
import { createLogger } from './bridge/logger';
import { redactUrl } from './bridge/mqtt-link';
import { OPTION_TABLE } from './bridge/option-table';
import { runBridge } from './bridge/run';
import { BRIDGE_NAME, BRIDGE_VERSION } from './package-root';

function buildProgram(): Command {
  const program = new Command(BRIDGE_NAME)
    .version(BRIDGE_VERSION)
    .description('Puts Predbat gateways into Home Assistant through MQTT discovery');
  for (const spec of OPTION_TABLE) {
    const value = spec.type === 'boolean' ? '[value]' : '<value>';
    const option = new Option(`${spec.flag} ${value}`, spec.description).env(spec.env);
    if (spec.default !== undefined) option.default(spec.default);
    if (spec.choices) option.choices(spec.choices);
    program.addOption(option);
  }
  return program;
}

function main(): void {
  const program = buildProgram();
  program.parse();
  // commander already applied defaults and environment; only what the user gave counts.
  const flags: Record<string, string | undefined> = {};
  for (const spec of OPTION_TABLE) {
    const key = program.options.find((o) => o.long === spec.flag)?.attributeName() ?? '';
    const source = program.getOptionValueSource(key);
    if (source === 'cli' || source === 'env') flags[spec.name] = String(program.getOptionValue(key));
  }
  let options;
  try {
    options = resolveOptions(collectOptions(flags, {}));
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${BRIDGE_NAME}: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(options.logLevel);
  logger.info(
    {
      version: BRIDGE_VERSION,
      broker: redactUrl(options.broker.url),
      gatewayTopics: `${options.gatewayPrefix}/+/status`,
      baseTopic: options.baseTopic,
      discoveryPrefix: options.discoveryPrefix,
    },
    `${BRIDGE_NAME} ${BRIDGE_VERSION} starting`,
  );
  const running = runBridge(options, logger);
  const shutdown = (): void => {
    logger.info('stopping');
    running.stop().finally(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main();
