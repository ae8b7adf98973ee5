// What a plan may ask of the battery, whether an automation wrote it or the battery mode
// select built it: windows that last, SOCs that are percentages, no more power than the
// rate controls offer, and no two windows running at once. The gateway runs one window at
// a time, so two that overlap would leave it to the firmware which one wins.
import {
  DAY_NAMES,
  EVERY_DAY,
  type PlanWindow,
  dayNames,
  minuteOfDay,
  windowEnd,
  windowText,
} from './plan';

export interface PlanLimits {
  /** The battery's fastest charge or discharge: the maximum the rate controls offer. */
  max_power_w: number;
}

const WEEK_MINUTES = 7 * 1440;

/** Why the plan cannot be sent, or undefined when it can. */
export function planProblem(
  windows: readonly PlanWindow[],
  limits: PlanLimits,
): string | undefined {
  for (const [index, window] of windows.entries()) {
    const problem = windowProblem(window, limits);
    if (problem !== undefined) return `window ${index + 1} (${windowText(window)}) ${problem}`;
  }
  return overlap(windows);
}

function windowProblem(window: PlanWindow, limits: PlanLimits): string | undefined {
  if (minuteOfDay(window.start) === minuteOfDay(window.end)) {
    return 'starts and ends at the same time, so it would never run';
  }
  if (!Number.isInteger(window.target_soc) || window.target_soc < 0 || window.target_soc > 100) {
    return `has target_soc ${window.target_soc}: it is a percentage from 0 to 100`;
  }
  if (!Number.isInteger(window.power_w) || window.power_w < 0) {
    return `has power_w ${window.power_w}: it is a whole number of watts`;
  }
  // An Auto window forces nothing: its power is not sent.
  if (window.mode !== 'auto' && window.power_w > limits.max_power_w) {
    return (
      `asks for ${window.power_w} W, above the ${limits.max_power_w} W the battery's rate` +
      ' controls allow'
    );
  }
  return undefined;
}

/** The first two enabled windows that run at the same moment of some day, said plainly. */
function overlap(windows: readonly PlanWindow[]): string | undefined {
  const spans = windows.map((window) => (window.enabled ? weekSpans(window) : []));
  for (let a = 0; a < windows.length; a++) {
    for (let b = a + 1; b < windows.length; b++) {
      const days = sharedDays(spans[a], spans[b]);
      if (days === 0) continue;
      const on = days === EVERY_DAY ? 'every day' : `on ${dayNames(days).join(', ')}`;
      return (
        `windows ${a + 1} (${windowText(windows[a])}) and ${b + 1} (${windowText(windows[b])})` +
        ` overlap ${on}: the gateway runs one window at a time`
      );
    }
  }
  return undefined;
}

type Span = [start: number, end: number];

/** The minutes of the week a window covers, Sunday 00:00 being 0; Saturday night wraps. */
function weekSpans(window: PlanWindow): Span[] {
  const start = minuteOfDay(window.start);
  const end = windowEnd(window);
  const spans: Span[] = [];
  for (let day = 0; day < DAY_NAMES.length; day++) {
    if ((window.days & (1 << day)) === 0) continue;
    const from = day * 1440 + start;
    const to = day * 1440 + end;
    if (to <= WEEK_MINUTES) spans.push([from, to]);
    else spans.push([from, WEEK_MINUTES], [0, to - WEEK_MINUTES]);
  }
  return spans;
}

/** The days (as day bits) on which the two windows' overlaps begin. */
function sharedDays(one: Span[], other: Span[]): number {
  let days = 0;
  for (const [fromA, toA] of one) {
    for (const [fromB, toB] of other) {
      const from = Math.max(fromA, fromB);
      if (from < Math.min(toA, toB)) days |= 1 << Math.floor(from / 1440);
    }
  }
  return days;
}
