#!/usr/bin/env node
// The command line: `predbat-gateway-bridge [options]` runs the bridge; `decode` prints a
// captured payload.
import { buildProgram, CliError } from './cli/program';
import { launch } from './bridge/launch';
import { LocalBrokerError } from './bridge/local-broker';
import { loggerFor } from './bridge/logger';
import { BRIDGE_NAME } from './package-root';

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function main(): Promise<void> {
  const io = {
    out: (text: string) => process.stdout.write(text),
    err: (text: string) => process.stderr.write(text),
    readStdin,
  };
  const program = buildProgram(io, async (options) => {
    const logger = loggerFor(options);
    const launched = await launch(options, logger);
    const shutdown = (): void => {
      logger.info('stopping');
      launched.stop().finally(() => process.exit(0));
    };
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
  });
  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CliError) {
      process.stderr.write(`${BRIDGE_NAME}: ${error.message}\n`);
      process.exit(error.exitCode);
    }
    // Nothing to connect to: the message says what to give instead; a stack would not help.
    if (error instanceof LocalBrokerError) {
      process.stderr.write(`${BRIDGE_NAME}: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

void main();
