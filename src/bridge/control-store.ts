// What the bridge must remember about each gateway across restarts: the last plan version
// it sent (the gateway skips a plan whose version is not newer), the plan in force (so it
// keeps being refreshed), the forced-mode duration and the read-only flag it last sent.
// One small JSON file in the data directory, replaced atomically on every change.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import writeFileAtomic from 'write-file-atomic';
import { PLAN_ENTRY_SCHEMA } from '../homeassistant/plan-input';
import type { SitePlan } from '../site/plan';
import type { Logger } from './logger';

export interface StoredGateway {
  plan_version: number;
  plan: SitePlan | null;
  /** Unix seconds when the plan in force was built with its version. */
  plan_built_at: number | null;
  forced_mode_minutes: number | null;
  read_only: boolean | null;
}

export const STORE_FILE = 'control-state.json';

const EMPTY: StoredGateway = {
  plan_version: 0,
  plan: null,
  plan_built_at: null,
  forced_mode_minutes: null,
  read_only: null,
};

const nullable = (schema: { type: string } & Record<string, unknown>): object => ({
  ...schema,
  type: [schema.type, 'null'],
});

/** The file is the bridge's own, but a hand edit or a half-copied backup must not crash it. */
const FILE_SCHEMA = {
  type: 'object',
  required: ['gateways'],
  properties: {
    gateways: {
      type: 'object',
      // Each id becomes a level of the gateway's schedule topic: one level, no wildcard.
      propertyNames: { pattern: '^[^/+#\\u0000-\\u001f\\u007f]{1,64}$' },
      additionalProperties: {
        type: 'object',
        required: ['plan_version'],
        properties: {
          plan_version: { type: 'integer', minimum: 0, maximum: 4294967295 },
          plan: nullable({
            type: 'object',
            required: ['windows', 'source'],
            properties: {
              windows: {
                type: 'array',
                items: {
                  ...PLAN_ENTRY_SCHEMA,
                  required: ['start', 'end', 'mode', 'power_w', 'target_soc', 'days', 'enabled'],
                  properties: {
                    ...PLAN_ENTRY_SCHEMA.properties,
                    days: { type: 'integer', minimum: 1, maximum: 127 },
                  },
                },
              },
              source: {
                type: 'object',
                required: ['kind'],
                properties: {
                  kind: { enum: ['auto', 'plan_topic', 'battery_mode'] },
                  mode: { enum: ['charge', 'discharge'] },
                  started_at: { type: 'integer' },
                },
              },
            },
          }),
          plan_built_at: nullable({ type: 'integer' }),
          forced_mode_minutes: nullable({ type: 'integer', minimum: 1 }),
          read_only: nullable({ type: 'boolean' }),
        },
      },
    },
  },
};

export class ControlStore {
  private readonly gateways = new Map<string, StoredGateway>();
  private readonly file: string | undefined;

  /** Without a data directory nothing is kept across restarts (tests, or by choice). */
  constructor(
    dataDir: string | undefined,
    private readonly log: Logger,
  ) {
    this.file = dataDir === undefined ? undefined : path.resolve(dataDir, STORE_FILE);
    this.load();
  }

  get(gatewayId: string): StoredGateway {
    return this.gateways.get(gatewayId) ?? EMPTY;
  }

  ids(): string[] {
    return [...this.gateways.keys()];
  }

  /** Changes a gateway's record and writes the file before returning. */
  update(gatewayId: string, change: Partial<StoredGateway>): void {
    this.gateways.set(gatewayId, { ...this.get(gatewayId), ...change });
    this.save();
  }

  private load(): void {
    if (this.file === undefined || !fs.existsSync(this.file)) return;
    try {
      const data: unknown = JSON.parse(fs.readFileSync(this.file, 'utf8'));
      const validate = new Ajv({ allowUnionTypes: true }).compile<{
        gateways: Record<string, StoredGateway>;
      }>(FILE_SCHEMA);
      if (!validate(data)) throw new Error(validate.errors?.[0]?.message ?? 'unexpected content');
      for (const [id, stored] of Object.entries(data.gateways)) {
        this.gateways.set(id, { ...EMPTY, ...stored });
      }
    } catch (error) {
      this.log.error(
        { file: this.file, error: (error as Error).message },
        `could not read ${this.file} (${(error as Error).message}): starting without saved plans;` +
          ' plan versions still grow, as they start from the current time',
      );
    }
  }

  private save(): void {
    if (this.file === undefined) return;
    const data = { gateways: Object.fromEntries(this.gateways) };
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      writeFileAtomic.sync(this.file, `${JSON.stringify(data, null, 2)}\n`);
    } catch (error) {
      this.log.error(
        { file: this.file, error: (error as Error).message },
        `could not save ${this.file} (${(error as Error).message}): check that data_dir is` +
          ' writable, or the plan in force is forgotten at the next restart',
      );
    }
  }
}
