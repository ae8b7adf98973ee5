#!/usr/bin/env node
// The command line: `predbat-gateway-bridge [options]` runs the bridge; `decode` prints a
// captured payload.
import { buildProgram, cliExit } from './cli/program';
import { launchProcess } from './bridge/launch';
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
    const exit = cliExit(error);
    if (exit === undefined) throw error;
    if (exit.message !== undefined) process.stderr.write(`${BRIDGE_NAME}: ${exit.message}\n`);
    process.exit(exit.code);
  }
}

void main();
