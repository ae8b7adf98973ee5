/**
 * Builds the POSIX TZ rule string the gateway firmware hands to setenv("TZ"), e.g.
 * `GMT0BST,M3.5.0/1,M10.5.0` for Europe/London, from an IANA zone name.
 *
 * The ESP32 carries no tz database, so the bridge has to squeeze the zone into the one-line POSIX
 * form. We do not ship our own tables either: offsets, transition instants and abbreviations all
 * come from luxon and Intl, i.e. the tzdata/CLDR in Node's ICU, so the answer moves with Node.
 */
import { DateTime, IANAZone } from 'luxon';

const MINUTE = 60_000;
const DAY = 86_400_000;
const MINUTES_PER_DAY = 1440;

/**
 * Locales whose CLDR short zone names we accept, in order. en-US alone only names North American
 * zones ("GMT+1" for London summer), so the English locales of the regions whose abbreviations
 * tzdata also uses are tried after it: en-GB (CET/EET/WET/BST), en-IE (IST), en-AU (AEST, NZST),
 * en-IN (IST), en-ZA (SAST/CAT/EAT/WAT). en-NZ is left out on purpose: its CHAST/CHADT for
 * Pacific/Chatham are names tzdata retired as invented, and tzdata writes `<+1245>` there.
 */
const NAME_LOCALES = ['en-US', 'en-GB', 'en-IE', 'en-AU', 'en-IN', 'en-ZA'];

/**
 * A rule seen in one year can usually be spelled several ways (Saturday 24:00 vs Sunday 00:00,
 * week 4 vs last week). We keep the spelling that also predicts the most of the following years'
 * transitions, so the device stays right after New Year; 8 years covers every weekday alignment.
 */
const LOOKAHEAD_YEARS = 8;

/** One change of UTC offset: `before`/`after` are minutes east of UTC. */
interface Transition {
  at: number;
  before: number;
  after: number;
}

/** A POSIX `Mm.w.d/time` rule; `time` is minutes after local midnight, may be <0 or >=24h. */
interface WeekRule {
  month: number;
  week: number;
  weekday: number;
  time: number;
}

/** The machine's IANA zone, or 'UTC' when Intl cannot tell (e.g. a stripped-down ICU). */
export function systemTimeZone(): string {
  try {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    return zone && IANAZone.isValidZone(zone) ? zone : 'UTC';
  } catch {
    return 'UTC';
  }
}

/**
 * The POSIX TZ string for `zone` that reproduces its UTC offsets through the (local) year of `at`.
 * When no POSIX rule can (DST suspended for Ramadan, a change of standard offset), it is the rule
 * that is wrong for the least time in that year.
 */
export function posixTz(zone: string, at: Date = new Date()): string {
  const tz = IANAZone.create(zone); // cached per name, validity included
  if (!tz.isValid) throw new Error(`Unknown IANA time zone "${zone}"`);
  if (Number.isNaN(at.getTime())) throw new Error(`Invalid date for time zone "${zone}"`);
  const offset = offsetReader(zone);
  const year = DateTime.fromJSDate(at, { zone: tz }).year;
  const yearStart = DateTime.fromObject({ year }, { zone: tz }).toMillis();
  const yearEnd = DateTime.fromObject({ year: year + 1 }, { zone: tz }).toMillis();
  const initial = offset(yearStart);
  const transitions = findTransitions(offset, yearStart, yearEnd);
  const { std, dst, start, end } = bestPlan(transitions, initial, yearStart, yearEnd);

  // Abbreviations are looked up at the first instant each offset is in force.
  const firstIn = (minutes: number): number =>
    initial === minutes ? yearStart : transitions.find((t) => t.after === minutes)!.at;
  const result = abbreviation(tz, firstIn(std), std) + posixOffset(std);
  if (dst === undefined || !start || !end) return result;
  const dstPart = abbreviation(tz, firstIn(dst), dst) + (dst - std === 60 ? '' : posixOffset(dst));
  // Rule times read in the clock in force before the change: standard time for a DST start, DST
  // for its end. A start at the year's edge is put at midnight of the standard clock, (dst - std)
  // after the DST clock's: a yearly rule cannot span a year plus that much, and the year's first
  // hour (already past, for most `at`) is the better one to get wrong than its last.
  const startRule = start.transition
    ? formatWeekRule(chooseWeekRule(start.transition, std, offset))
    : yearBoundaryRule(yearStart + (dst - std) * MINUTE, year);
  const endRule = end.transition
    ? formatWeekRule(chooseWeekRule(end.transition, dst, offset))
    : yearBoundaryRule(yearEnd, year + 1);
  return `${result}${dstPart},${startRule},${endRule}`;
}

/**
 * All offset changes in [from, to). Sampling daily is enough because no zone changes offset and
 * back within a day; each change found is then bisected to the minute (tzdata's resolution
 * today). Daily rather than hourly sampling keeps a sweep of every zone (as the tests do) to a
 * second or so.
 */
function findTransitions(offset: (ms: number) => number, from: number, to: number): Transition[] {
  const found: Transition[] = [];
  let prevAt = from;
  let prev = offset(from);
  for (let next = from + DAY; prevAt < to - MINUTE; next += DAY) {
    const at = Math.min(next, to - MINUTE);
    const current = offset(at);
    if (current !== prev) {
      let lo = Math.floor(prevAt / MINUTE);
      let hi = Math.ceil(at / MINUTE);
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (offset(mid * MINUTE) === prev) lo = mid;
        else hi = mid;
      }
      found.push({ at: hi * MINUTE, before: prev, after: offset(hi * MINUTE) });
    }
    prevAt = at;
    prev = current;
  }
  return found;
}

/** A DST start or end: a real transition, or the year's edge when DST runs into it. */
interface Edge {
  at: number;
  transition?: Transition;
}

/** A POSIX zone: a fixed offset, or std/dst offsets (minutes east) with one DST period. */
interface Plan {
  std: number;
  dst?: number;
  start?: Edge;
  end?: Edge;
}

/**
 * The plan that is wrong for the least time over [yearStart, yearEnd): every fixed offset seen,
 * and every DST period between two of the offsets seen, from a change into the larger (or the
 * year's start) to a change out of it (or the year's end). With the usual two transitions one is
 * exact. POSIX calls the larger offset DST: that turns Dublin's negative-DST tzdata rule back into
 * GMT0IST and Morocco's Ramadan drop into a southern-hemisphere-style rule.
 */
function bestPlan(
  transitions: Transition[],
  initial: number,
  yearStart: number,
  yearEnd: number,
): Plan {
  const actual = (t: number): number => {
    let minutes = initial;
    for (const tr of transitions) if (tr.at <= t) minutes = tr.after;
    return minutes;
  };
  const final = transitions.length ? transitions[transitions.length - 1].after : initial;
  const values = [...new Set([initial, ...transitions.map((t) => t.after)])].sort((a, b) => a - b);
  let best: { plan: Plan; error: number } | undefined;
  const consider = (plan: Plan): void => {
    const claimed = (t: number): number => {
      if (plan.dst === undefined || !plan.start || !plan.end) return plan.std;
      const [s, e] = [plan.start.at, plan.end.at];
      return (s < e ? t >= s && t < e : t >= s || t < e) ? plan.dst : plan.std;
    };
    const points = [yearStart, yearEnd, ...transitions.map((t) => t.at)];
    if (plan.start && plan.end) points.push(plan.start.at, plan.end.at);
    const sorted = [...new Set(points)].sort((a, b) => a - b);
    let error = 0;
    for (let i = 0; i + 1 < sorted.length; i++) {
      const mid = (sorted[i] + sorted[i + 1]) / 2;
      if (actual(mid) !== claimed(mid)) error += sorted[i + 1] - sorted[i];
    }
    if (!best || error < best.error) best = { plan, error };
  };

  for (const std of values) consider({ std });
  for (const std of values) {
    for (const dst of values.filter((v) => v > std)) {
      const starts: Edge[] = transitions
        .filter((t) => t.after === dst)
        .map((t) => ({ at: t.at, transition: t }));
      const ends: Edge[] = transitions
        .filter((t) => t.before === dst)
        .map((t) => ({ at: t.at, transition: t }));
      if (initial === dst) starts.push({ at: yearStart });
      if (final === dst) ends.push({ at: yearEnd });
      for (const start of starts) for (const end of ends) consider({ std, dst, start, end });
    }
  }
  return best!.plan;
}

/**
 * A DST edge at local midnight starting 1 January `newYear` (instant `at`), spelled in whichever
 * year's rules its UTC instant falls in: glibc and newlib apply the rules of the instant's UTC
 * year, so an edge spelled in the other year would be missed between local and UTC New Year.
 */
function yearBoundaryRule(at: number, newYear: number): string {
  // Jn counts 1..365 skipping 29 February, so J365 is always 31 December.
  return new Date(at).getUTCFullYear() === newYear ? 'J1/0' : 'J365/24';
}

/**
 * A zone's UTC offset in minutes at an instant. Intl's longOffset ("GMT+05:45") is the same ICU
 * data luxon's IANAZone.offset reads, in one format() call rather than formatToParts plus date
 * arithmetic: ~5x faster, which counts as a year's scan takes some 400 lookups.
 */
function offsetReader(zone: string): (ms: number) => number {
  const format = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
  return (ms) => {
    // Seconds only show up in pre-1900s local mean time; POSIX rules here work in minutes.
    const match = /GMT(?:([+-])(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(format.format(ms));
    if (!match) throw new Error(`Cannot read the UTC offset of time zone "${zone}"`);
    if (match[1] === undefined) return 0; // plain "GMT"
    const minutes = Math.round(
      Number(match[2]) * 60 + Number(match[3]) + Number(match[4] ?? 0) / 60,
    );
    return match[1] === '-' ? -minutes : minutes;
  };
}

/**
 * Spells a transition as `Mm.w.d/time` on the wall clock `clock` (minutes east; the offset in
 * force before it, unless the year has more offsets than POSIX can hold). Every candidate is exact
 * for the transition's own year; the one that also predicts the most following years wins, the
 * plain same-day spelling on ties.
 */
function chooseWeekRule(tr: Transition, clock: number, offset: (ms: number) => number): WeekRule {
  const wall = tr.at + clock * MINUTE; // epoch ms whose UTC fields read as the local clock
  const midnight = Math.floor(wall / DAY) * DAY;
  const time = (wall - midnight) / MINUTE;
  const year = new Date(wall).getUTCFullYear();
  let best: { rule: WeekRule; score: number } | undefined;
  // Earlier days first: on a tie, a late hour on an earlier day beats a negative hour. Both are
  // POSIX extensions, but newlib (the ESP32's libc) reads rule hours as unsigned, up to 65535.
  for (const shift of [0, -1, -2, 1, 2]) {
    const day = midnight + shift * DAY;
    if (new Date(day).getUTCFullYear() !== year) continue;
    for (const rule of weekRulesFor(day, time - shift * MINUTES_PER_DAY)) {
      let score = 0;
      for (let y = year + 1; y <= year + LOOKAHEAD_YEARS; y++) {
        const predicted = weekRuleDay(y, rule) + (rule.time - clock) * MINUTE;
        if (offset(predicted - MINUTE) === tr.before && offset(predicted) === tr.after) score++;
      }
      if (!best || score > best.score) best = { rule, score };
    }
  }
  return best!.rule;
}

/** The week rules naming the day at UTC-midnight `day`: "last" first, "4th" as an alternative. */
function weekRulesFor(day: number, time: number): WeekRule[] {
  const date = new Date(day);
  const dom = date.getUTCDate();
  const daysInMonth = new Date(
    Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0),
  ).getUTCDate();
  const base = { month: date.getUTCMonth() + 1, weekday: date.getUTCDay(), time };
  const week = Math.floor((dom - 1) / 7) + 1;
  if (dom <= daysInMonth - 7) return [{ ...base, week }];
  return week === 5
    ? [{ ...base, week: 5 }]
    : [
        { ...base, week: 5 },
        { ...base, week },
      ];
}

/** UTC-midnight epoch ms of the day `rule` names in `year` (POSIX: week 5 means the last). */
function weekRuleDay(year: number, rule: WeekRule): number {
  const first = Date.UTC(year, rule.month - 1, 1);
  const daysInMonth = new Date(Date.UTC(year, rule.month, 0)).getUTCDate();
  let dom = 1 + ((rule.weekday - new Date(first).getUTCDay() + 7) % 7) + (rule.week - 1) * 7;
  while (dom > daysInMonth) dom -= 7;
  return first + (dom - 1) * DAY;
}

function formatWeekRule(rule: WeekRule): string {
  return `M${rule.month}.${rule.week}.${rule.weekday}${formatTime(rule.time)}`;
}

/** `/h[:mm]`, or nothing for the POSIX default 02:00. */
function formatTime(minutes: number): string {
  if (minutes === 120) return '';
  return `/${minutes < 0 ? '-' : ''}${hoursMinutes(Math.abs(minutes))}`;
}

/** POSIX offsets count hours west of UTC, so UTC+5:30 is `-5:30` and UTC-5 is `5`. */
function posixOffset(minutesEast: number): string {
  return `${minutesEast > 0 ? '-' : ''}${hoursMinutes(Math.abs(minutesEast))}`;
}

function hoursMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `${h}` : `${h}:${String(m).padStart(2, '0')}`;
}

/**
 * The zone's short name at `ms` when CLDR has a real alphabetic one (POSIX needs 3+ letters
 * unquoted), else tzdata's numeric style: `<+0545>`, `<-03>`.
 */
function abbreviation(tz: IANAZone, ms: number, minutesEast: number): string {
  for (const locale of NAME_LOCALES) {
    const name = tz.offsetName(ms, { format: 'short', locale });
    if (name && /^[A-Za-z]{3,}$/.test(name)) return name;
  }
  const abs = Math.abs(minutesEast);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = abs % 60 === 0 ? '' : String(abs % 60).padStart(2, '0');
  return `<${minutesEast < 0 ? '-' : '+'}${hh}${mm}>`;
}
