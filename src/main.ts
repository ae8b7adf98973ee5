#!/usr/bin/env node
// The command line: `predbat-gateway-bridge [options]` runs the bridge; `decode` prints a
// captured payload.
import { buildProgram, CliError } from './cli/program';
import { launchProcess } from './bridge/launch';
import { LocalBrokerError } from './bridge/local-broker';
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
  const program = buildProgram(io, launchProcess);
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
