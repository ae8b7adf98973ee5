// The plan topic: an automation hands the bridge a whole plan as JSON, checked by a JSON
// Schema with ajv before anything is built from it. An empty list returns the gateway to
// Auto. Times are local times of the bridge's time zone, as HH:MM.
import Ajv from 'ajv';
import {
  DAY_NAMES,
  EVERY_DAY,
  PLAN_MODES,
  type PlanMode,
  type PlanWindow,
  dayNames,
  daysMask,
} from '../site/plan';
import type { Checked } from './control-input';

/** More than this is no plan an automation means; the gateway holds six entries anyway. */
const MAX_PLAN_BYTES = 16384;

const TIME = '^([01][0-9]|2[0-3]):[0-5][0-9]$';
const END_TIME = '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$';

export const PLAN_ENTRY_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['start', 'end', 'mode'],
  properties: {
    start: { type: 'string', pattern: TIME },
    end: { type: 'string', pattern: END_TIME },
    mode: { enum: [...PLAN_MODES] },
    power_w: { type: 'integer', minimum: 0, maximum: 1000000 },
    target_soc: { type: 'integer', minimum: 0, maximum: 100 },
    days: {
      type: 'array',
      minItems: 1,
      maxItems: 7,
      uniqueItems: true,
      items: { enum: [...DAY_NAMES] },
    },
    enabled: { type: 'boolean' },
  },
} as const;

/** `{"entries": [...]}`; a bare list of entries is taken as the same. */
const PLAN_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['entries'],
  properties: {
    entries: { type: 'array', maxItems: 24, items: PLAN_ENTRY_SCHEMA },
  },
} as const;

interface PlanEntryInput {
  start: string;
  end: string;
  mode: PlanMode;
  power_w?: number;
  target_soc?: number;
  days?: string[];
  enabled?: boolean;
}

const validate = new Ajv({ allErrors: false }).compile<{ entries: PlanEntryInput[] }>(PLAN_SCHEMA);

/** What a window left out gets: the battery's full rate, charge to full, keep the reserve. */
export interface PlanDefaults {
  power_w: number;
  /** The reserve the inverter reports; null when it reports none. */
  reserve_soc: number | null;
}

export function parsePlan(payload: string, defaults: PlanDefaults): Checked<PlanWindow[]> {
  if (Buffer.byteLength(payload) > MAX_PLAN_BYTES) {
    return { ok: false, reason: `a plan of over ${MAX_PLAN_BYTES} bytes is not read` };
  }
  let data: unknown;
  try {
    data = JSON.parse(payload);
  } catch {
    return { ok: false, reason: 'the plan is not JSON' };
  }
  const plan = Array.isArray(data) ? { entries: data } : data;
  if (!validate(plan)) {
    const [error] = validate.errors ?? [];
    const where = error?.instancePath ? `${error.instancePath} ` : '';
    const allowed =
      error?.params && 'allowedValues' in error.params
        ? ` (${(error.params.allowedValues as unknown[]).join(', ')})`
        : '';
    return { ok: false, reason: `the plan ${where}${error?.message ?? 'is invalid'}${allowed}` };
  }
  const windows: PlanWindow[] = [];
  for (const [index, entry] of plan.entries.entries()) {
    const window = planWindow(entry, defaults);
    if (typeof window === 'string') return { ok: false, reason: `window ${index + 1} ${window}` };
    windows.push(window);
  }
  return { ok: true, value: windows };
}

function planWindow(entry: PlanEntryInput, defaults: PlanDefaults): PlanWindow | string {
  // Discharging to 0 % because the floor is unknown would empty the battery: never guess.
  if (
    entry.mode === 'discharge' &&
    entry.target_soc === undefined &&
    defaults.reserve_soc === null
  ) {
    return (
      'discharges without a target_soc, and the inverter does not report its reserve to' +
      ' stop at: give the window a target_soc'
    );
  }
  const defaultSoc =
    entry.mode === 'charge' ? 100 : entry.mode === 'discharge' ? (defaults.reserve_soc ?? 0) : 0;
  return {
    start: entry.start,
    end: entry.end,
    mode: entry.mode,
    power_w: entry.power_w ?? (entry.mode === 'auto' ? 0 : defaults.power_w),
    target_soc: entry.target_soc ?? defaultSoc,
    days: entry.days === undefined ? EVERY_DAY : daysMask(entry.days),
    enabled: entry.enabled ?? true,
  };
}

/** The plan as the plan topic takes it, so an automation can read, change and send it back. */
export function planJson(windows: readonly PlanWindow[]): { entries: PlanEntryInput[] } {
  return {
    entries: windows.map((w) => ({
      start: w.start,
      end: w.end,
      mode: w.mode,
      power_w: w.power_w,
      target_soc: w.target_soc,
      days: dayNames(w.days),
      enabled: w.enabled,
    })),
  };
}
