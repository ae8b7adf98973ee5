// The command line: every option of the table as a flag with its environment variable and
// default, an optional YAML file, and the `decode` subcommand.
import * as fs from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { ConfigError, collectOptions, type RawOptions, resolveOptions } from '../bridge/config';
import { readConfigFile } from '../bridge/config-file';
import { LocalBrokerError } from '../bridge/local-broker';
import { statusRejection } from '../bridge/status-rejection';
import { OPTION_TABLE } from '../bridge/option-table';
import type { BridgeOptions } from '../bridge/options';
import { BRIDGE_NAME, BRIDGE_VERSION } from '../package-root';
import {
  decodePayload,
  INPUT_ENCODINGS,
  type InputEncoding,
  PAYLOAD_TYPES,
  type PayloadType,
  payloadBytes,
} from './decode';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  readStdin(): Promise<Buffer>;
}

/** Start-up stopped by the user's input: the message says what to change; exit code 2. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/**
 * How the process ends on an error from the command line, and what it says (commander has
 * said its own already); undefined for an error nobody expected. A value or an option that
 * is not allowed is exit code 2, whichever check found it.
 */
export function cliExit(error: unknown): { code: number; message?: string } | undefined {
  if (error instanceof CliError) return { code: error.exitCode, message: error.message };
  // Nothing to connect to: the message says what to give instead; a stack would not help.
  if (error instanceof LocalBrokerError) return { code: 1, message: error.message };
  // --help and --version end with 0; a choice not offered or an unknown flag with 2.
  if (error instanceof CommanderError) return { code: error.exitCode === 0 ? 0 : 2 };
  return undefined;
}

const CONFIG_ENV = 'BRIDGE_CONFIG';

export function buildProgram(io: CliIo, start: (options: BridgeOptions) => Promise<void>): Command {
  const program = new Command(BRIDGE_NAME)
    .version(BRIDGE_VERSION)
    .description('Puts Predbat gateways into Home Assistant through MQTT discovery')
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    // Errors are thrown to the caller, which chooses the exit code (cliExit); set before
    // the decode command is added, so that it does the same.
    .exitOverride()
    .showHelpAfterError('(--help lists every option)');
  program.addOption(
    new Option('--config <file>', 'YAML file of options, named as below in snake_case').env(
      CONFIG_ENV,
    ),
  );
  for (const spec of OPTION_TABLE) {
    const value = spec.type === 'boolean' ? '[value]' : '<value>';
    const option = new Option(`${spec.flag} ${value}`, spec.description).env(spec.env);
    if (spec.default !== undefined) option.default(spec.default, spec.defaultText);
    if (spec.choices) option.choices(spec.choices);
    program.addOption(option);
  }
  program.action(async () => {
    await start(optionsFromProgram(program));
  });
  program
    .command('decode')
    .description('print a captured status or schedule payload as JSON')
    .argument('[file]', 'the payload as saved from MQTT; standard input when absent')
    .addOption(
      new Option('--type <type>', 'what the payload is').choices(PAYLOAD_TYPES).default('status'),
    )
    .addOption(
      new Option('--input <encoding>', 'how the payload is saved')
        .choices(INPUT_ENCODINGS)
        .default('raw'),
    )
    .action(
      async (file: string | undefined, flags: { type: PayloadType; input: InputEncoding }) => {
        const input = file === undefined ? await io.readStdin() : readPayloadFile(file);
        let decoded: unknown;
        let bytes: Buffer | undefined;
        try {
          bytes = payloadBytes(input, flags.input);
          decoded = decodePayload(bytes, flags.type);
        } catch (error) {
          const source = file ?? 'standard input';
          // A status that is none is said as the bridge says it when one reaches it.
          const reason =
            flags.type === 'status' && bytes !== undefined
              ? statusRejection(bytes, error as Error)
              : (error as Error).message;
          throw new CliError(`${source} is not a ${flags.type} payload: ${reason}`, 1);
        }
        io.out(`${JSON.stringify(decoded, null, 2)}\n`);
      },
    );
  return program;
}

function readPayloadFile(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`, 1);
  }
}

/** Flags over environment over the config file; commander's own defaults do not count. */
function optionsFromProgram(program: Command): BridgeOptions {
  const flags: Record<string, string | undefined> = {};
  for (const spec of OPTION_TABLE) {
    const key = program.options.find((o) => o.long === spec.flag)?.attributeName() ?? '';
    const source = program.getOptionValueSource(key);
    if (source === 'cli' || source === 'env')
      flags[spec.name] = String(program.getOptionValue(key));
  }
  const configFile = program.getOptionValue('config') as string | undefined;
  let file: RawOptions = {};
  try {
    if (configFile !== undefined) file = readConfigFile(configFile);
    return resolveOptions(collectOptions(flags, {}, file));
  } catch (error) {
    if (error instanceof ConfigError) {
      // A value the file gave is wrong: say which file, once. The file's own errors name it.
      const fromFile = error.names.some((name) => name in file && flags[name] === undefined);
      const where = fromFile ? `the config file ${configFile}: ` : '';
      throw new CliError(`${where}${error.message}`, 2);
    }
    throw error;
  }
}
