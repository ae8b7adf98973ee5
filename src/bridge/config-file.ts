// The YAML configuration file: the same option names as the add-on's options (snake_case),
// checked like every other source by resolveOptions.
import * as fs from 'node:fs';
import YAML from 'yaml';
import { ConfigError, type RawOptions } from './config';

export function readConfigFile(file: string): RawOptions {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read the config file ${file}: ${(error as Error).message}`);
  }
  return parseConfigText(text, file);
}

function parseConfigText(text: string, file: string): RawOptions {
  let parsed: unknown;
  try {
    parsed = YAML.parse(text);
  } catch (error) {
    // The parser's first line says what and where; the lines after it quote the file.
    const first = (error as Error).message.split('\n')[0]?.replace(/:$/, '');
    throw new ConfigError(`the config file ${file} is not valid YAML: ${first}`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(
      `the config file ${file} must hold option: value lines (for example log_level: debug)`,
    );
  }
  return parsed as RawOptions;
}
