// The bridge's plan → the protobuf ExecutionPlan the gateway runs. The firmware holds six
// entries, skips a plan whose version is not newer than the last, treats an old timestamp
// as stale, and reads times in the POSIX TZ rule the plan carries.
import { EVERY_DAY, type PlanWindow, minuteOfDay, windowEnd } from '../site/plan';
import { type ExecutionPlan, PLAN_MODE, type PlanEntry } from './messages';
import { posixTz } from './posix-tz';

/** The firmware keeps this many entries; a longer plan is refused, never cut short. */
export const MAX_PLAN_ENTRIES = 6;

export interface PlanStamp {
  /** Unix seconds when the plan was (re)built. */
  timestamp: number;
  plan_version: number;
  /** IANA zone of the gateway's local time. */
  zone: string;
}

export type PlanBuild = { ok: true; plan: ExecutionPlan } | { ok: false; reason: string };

/**
 * Windows → entries: an empty window is dropped (it means nothing), and one running over
 * midnight becomes two, up to midnight on its own days and from midnight on the next, so
 * every entry starts before it ends.
 */
export function planEntries(windows: readonly PlanWindow[]): PlanEntry[] {
  const entries: PlanEntry[] = [];
  for (const window of windows) {
    const start = minuteOfDay(window.start);
    const end = windowEnd(window);
    if (end === start) continue;
    if (end <= 1440) {
      entries.push(entry(window, start, end, window.days));
    } else {
      entries.push(entry(window, start, 1440, window.days));
      entries.push(entry(window, 0, end - 1440, nextDays(window.days)));
    }
  }
  return entries;
}

export function buildExecutionPlan(windows: readonly PlanWindow[], stamp: PlanStamp): PlanBuild {
  const entries = planEntries(windows);
  if (entries.length > MAX_PLAN_ENTRIES) {
    return {
      ok: false,
      reason:
        `the plan needs ${entries.length} entries (windows over midnight take two) and the` +
        ` gateway holds ${MAX_PLAN_ENTRIES}`,
    };
  }
  let timezone: string;
  try {
    timezone = posixTz(stamp.zone, new Date(stamp.timestamp * 1000));
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
  return {
    ok: true,
    plan: { timestamp: stamp.timestamp, plan_version: stamp.plan_version, timezone, entries },
  };
}

/** 24:00 is written as hour 24, minute 0: midnight at the end of the entry's day. */
function entry(window: PlanWindow, start: number, end: number, days: number): PlanEntry {
  const forced = window.mode !== 'auto';
  return {
    enabled: window.enabled,
    start_hour: Math.floor(start / 60),
    start_minute: start % 60,
    end_hour: Math.floor(end / 60),
    end_minute: end % 60,
    mode: PLAN_MODE[window.mode],
    power_w: forced ? window.power_w : 0,
    target_soc: forced ? window.target_soc : 0,
    days_of_week: days,
    use_native: false,
  };
}

/** Every day bit moved to the following day (Saturday's to Sunday). */
export function nextDays(days: number): number {
  return ((days << 1) | (days >> 6)) & EVERY_DAY;
}
