// The bridge's model of an execution plan: windows of local time in which the battery is
// forced to charge or discharge. The gateway runs them in its own clock's time zone, so
// every time here is a local "HH:MM" of the bridge's configured zone.
import { DateTime } from 'luxon';
import { timeText } from './values';

export type PlanMode = 'auto' | 'charge' | 'discharge';

export const PLAN_MODES: readonly PlanMode[] = ['auto', 'charge', 'discharge'];

/** Day names as the plan topic takes them; the index is the day's bit in days_of_week. */
export const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type DayName = (typeof DAY_NAMES)[number];
export const EVERY_DAY = 0b1111111;

export interface PlanWindow {
  /** Local "HH:MM". */
  start: string;
  /** Local "HH:MM"; "24:00" or "00:00" after the start is midnight at the end of the day. */
  end: string;
  mode: PlanMode;
  power_w: number;
  /** charge: the SOC to charge to; discharge: the SOC not to go below. */
  target_soc: number;
  /** Bit 0 Sunday … bit 6 Saturday, for the day the window starts. */
  days: number;
  enabled: boolean;
}

/** Where the current plan came from: the battery mode select or the plan topic. */
export type PlanSource =
  | { kind: 'auto' }
  | { kind: 'plan_topic' }
  | { kind: 'battery_mode'; mode: 'charge' | 'discharge'; started_at: number };

export interface SitePlan {
  windows: PlanWindow[];
  source: PlanSource;
}

export const AUTO_PLAN: SitePlan = { windows: [], source: { kind: 'auto' } };

/** "HH:MM" → minutes after local midnight. */
export function minuteOfDay(time: string): number {
  const [hours, minutes] = time.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}

/**
 * The window's end in minutes after its start day's midnight: past 1440 when it runs over
 * midnight, equal to the start when the window is empty.
 */
export function windowEnd(window: PlanWindow): number {
  const start = minuteOfDay(window.start);
  const end = minuteOfDay(window.end);
  if (end === start) return start;
  return end > start ? end : end + 1440;
}

export function daysMask(names: readonly string[]): number {
  let mask = 0;
  for (const name of names) {
    const bit = DAY_NAMES.indexOf(name as DayName);
    if (bit >= 0) mask |= 1 << bit;
  }
  return mask;
}

export function dayNames(mask: number): DayName[] {
  return DAY_NAMES.filter((_, bit) => (mask & (1 << bit)) !== 0);
}

/** The bit of the local weekday of a moment (luxon counts Monday 1 … Sunday 7). */
export function dayBit(at: DateTime): number {
  return 1 << (at.weekday % 7);
}

/**
 * The plan the battery mode select builds: one window from now for `minutes`, on today
 * only, so it does not come back next week. The bridge replaces it with Auto once it ends.
 */
export function forcedPlan(
  mode: 'charge' | 'discharge',
  startedAt: number,
  minutes: number,
  zone: string,
  power: { power_w: number; target_soc: number },
): SitePlan {
  const start = DateTime.fromSeconds(startedAt, { zone });
  const startMinute = start.hour * 60 + start.minute;
  const endMinute = (startMinute + minutes) % 1440;
  return {
    windows: [
      {
        start: timeText(startMinute),
        end: timeText(endMinute),
        mode,
        power_w: power.power_w,
        target_soc: power.target_soc,
        days: dayBit(start),
        enabled: true,
      },
    ],
    source: { kind: 'battery_mode', mode, started_at: startedAt },
  };
}

/** A forced mode is over once its duration has passed. */
export function forcedEnded(plan: SitePlan, minutes: number, nowSeconds: number): boolean {
  return plan.source.kind === 'battery_mode' && nowSeconds >= plan.source.started_at + minutes * 60;
}

/** The mode the plan asks for at a moment: the first enabled window covering it, else auto. */
export function activeMode(plan: SitePlan, nowSeconds: number, zone: string): PlanMode {
  // Most gateways have no plan; every telemetry message asks, so skip the calendar then.
  if (plan.windows.length === 0) return 'auto';
  const now = DateTime.fromSeconds(nowSeconds, { zone });
  const minute = now.hour * 60 + now.minute;
  const today = dayBit(now);
  const yesterday = dayBit(now.minus({ days: 1 }));
  for (const window of plan.windows) {
    if (!window.enabled) continue;
    const start = minuteOfDay(window.start);
    const end = windowEnd(window);
    const fromToday = (window.days & today) !== 0 && minute >= start && minute < end;
    const fromYesterday = (window.days & yesterday) !== 0 && minute + 1440 < end;
    if (fromToday || fromYesterday) return window.mode;
  }
  return 'auto';
}

const MODE_NAMES: Record<PlanMode, string> = {
  auto: 'Auto',
  charge: 'Charge',
  discharge: 'Discharge',
};

export function modeName(mode: PlanMode): string {
  return MODE_NAMES[mode];
}

export function modeFromName(name: string): PlanMode | undefined {
  return PLAN_MODES.find((mode) => MODE_NAMES[mode] === name);
}

/** A window in a few words, as the plan's sensor and its problems name it: "Charge 01:30-04:30". */
export function windowText(window: PlanWindow): string {
  return `${MODE_NAMES[window.mode]} ${window.start}-${window.end}`;
}

/** One line for a sensor (Home Assistant caps states at 255 characters). */
export function planSummary(plan: SitePlan): string {
  if (plan.windows.length === 0) return 'Auto';
  const parts = plan.windows.map((w) => {
    const days = w.days === EVERY_DAY ? '' : ` ${dayNames(w.days).join(',')}`;
    const off = w.enabled ? '' : ' (off)';
    return `${windowText(w)}${days}${off}`;
  });
  const text = parts.join('; ');
  return text.length <= 255 ? text : `${text.slice(0, 254)}…`;
}
