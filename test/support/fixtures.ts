// The gateway's recorded telemetry in test/fixtures: NAME.bin (wire) and NAME.json
// (decoded by the official protobuf runtime).
import * as fs from 'node:fs';
import * as path from 'node:path';

export const FIXTURE_DIR = path.join(__dirname, '..', 'fixtures');

export const GOOD_FIXTURES = fs
  .readdirSync(FIXTURE_DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''))
  .sort();

export const BAD_FIXTURES = fs
  .readdirSync(FIXTURE_DIR)
  .filter((f) => f.startsWith('bad-') && f.endsWith('.bin'))
  .map((f) => f.replace(/\.bin$/, ''))
  .sort();

export function fixtureBytes(name: string): Buffer {
  return fs.readFileSync(path.join(FIXTURE_DIR, `${name}.bin`));
}

export function fixtureJson(name: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(FIXTURE_DIR, `${name}.json`), 'utf8')) as Record<
    string,
    unknown
  >;
}

/** The gateway id each fixture's payload carries. */
export function fixtureGatewayId(name: string): string {
  return fixtureJson(name).device_id as string;
}
