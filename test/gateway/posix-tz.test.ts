import { DateTime, IANAZone } from 'luxon';
import { posixTz, systemTimeZone } from '../../src/gateway/posix-tz';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const AT = new Date('2026-07-01T00:00:00Z');

/**
 * Zones whose 2026 offsets no single POSIX rule can reproduce, with the reason. Empty for ICU's
 * tzdata 2025c: no zone has more than two offset changes in 2026 (Morocco's Ramadan hour back is
 * its only DST-like period, and Gaza's and Cairo's summer time begins after Ramadan ends), and
 * none changes its standard offset. A future tzdata may force entries; keep them to those.
 */
const EXCEPTIONS: ReadonlyMap<string, string> = new Map<string, string>([]);

// ---- An independent POSIX TZ evaluator, written from the POSIX/glibc rules, not the code. ----

type DayRule =
  | { kind: 'M'; month: number; week: number; weekday: number }
  | { kind: 'J'; day: number } // 1..365, 29 February never counted
  | { kind: 'n'; day: number }; // 0..365, 29 February counted

interface Change {
  day: DayRule;
  seconds: number; // wall-clock seconds after the day's midnight, may be negative or > 24 h
}

interface PosixZone {
  std: number; // seconds east of UTC
  dst?: number;
  start?: Change;
  end?: Change;
}

function parsePosixTz(text: string): PosixZone {
  let rest = text;
  const take = (re: RegExp): RegExpExecArray | null => {
    const m = re.exec(rest);
    if (m) rest = rest.slice(m[0].length);
    return m;
  };
  const name = (): string | undefined => take(/^(<[+-]?[A-Za-z0-9+-]{3,}>|[A-Za-z]{3,})/)?.[1];
  // h[:mm[:ss]] in seconds; POSIX offsets are west-positive, so the caller negates them.
  const clock = (re: RegExp): number | undefined => {
    const m = take(re);
    if (!m) return undefined;
    const seconds = Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
    if (Number(m[3] ?? 0) > 59 || Number(m[4] ?? 0) > 59) throw new Error(`bad time in ${text}`);
    return m[1] === '-' ? -seconds : seconds;
  };
  const offsetRe = /^([+-]?)(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?/;
  const change = (): Change => {
    const m = take(/^,(?:M(\d{1,2})\.(\d)\.(\d)|J(\d{1,3})|(\d{1,3}))/);
    if (!m) throw new Error(`bad rule in ${text}`);
    const day: DayRule =
      m[1] !== undefined
        ? { kind: 'M', month: Number(m[1]), week: Number(m[2]), weekday: Number(m[3]) }
        : m[4] !== undefined
          ? { kind: 'J', day: Number(m[4]) }
          : { kind: 'n', day: Number(m[5]) };
    const valid =
      day.kind === 'M'
        ? day.month >= 1 && day.month <= 12 && day.week >= 1 && day.week <= 5 && day.weekday <= 6
        : day.kind === 'J'
          ? day.day >= 1 && day.day <= 365
          : day.day <= 365;
    if (!valid) throw new Error(`rule out of range in ${text}`);
    const seconds = take(/^\//) ? clock(/^([+-]?)(\d{1,3})(?::(\d{2}))?(?::(\d{2}))?/) : 7200;
    if (seconds === undefined || Math.abs(seconds) > 167 * 3600)
      throw new Error(`bad time: ${text}`);
    return { day, seconds };
  };

  if (name() === undefined) throw new Error(`no standard name in ${text}`);
  const stdWest = clock(offsetRe);
  if (stdWest === undefined) throw new Error(`no standard offset in ${text}`);
  const zone: PosixZone = { std: -stdWest };
  if (name() !== undefined) {
    const dstWest = clock(offsetRe);
    zone.dst = dstWest === undefined ? zone.std + 3600 : -dstWest;
    zone.start = change();
    zone.end = change();
  }
  if (rest !== '') throw new Error(`trailing "${rest}" in ${text}`);
  return zone;
}

/** UTC midnight (epoch ms) of the local calendar day `rule` names in `year`. */
function ruleDay(year: number, rule: DayRule): number {
  const jan1 = Date.UTC(year, 0, 1);
  const leap = new Date(Date.UTC(year, 1, 29)).getUTCMonth() === 1;
  if (rule.kind === 'J') return jan1 + (rule.day - 1 + (leap && rule.day >= 60 ? 1 : 0)) * DAY;
  if (rule.kind === 'n') return jan1 + rule.day * DAY;
  const first = Date.UTC(year, rule.month - 1, 1);
  const length = (Date.UTC(year, rule.month, 1) - first) / DAY;
  let date = 1 + ((rule.weekday - new Date(first).getUTCDay() + 7) % 7) + (rule.week - 1) * 7;
  while (date > length) date -= 7; // week 5 means "last"
  return first + (date - 1) * DAY;
}

/** The instant of `change` in `year`, read in the wall clock of `offset` (seconds east). */
function changeAt(year: number, change: Change, offset: number): number {
  return ruleDay(year, change.day) + (change.seconds - offset) * 1000;
}

/**
 * UTC offset in minutes at `ms`, the way glibc and newlib (the ESP32 libc) do it: take the
 * rules of the instant's UTC year; DST runs start..end, or wraps the year when end comes first.
 */
function evaluate(zone: PosixZone, ms: number): number {
  if (zone.dst === undefined || !zone.start || !zone.end) return zone.std / 60;
  const year = new Date(ms).getUTCFullYear();
  const start = changeAt(year, zone.start, zone.std);
  const end = changeAt(year, zone.end, zone.dst);
  const inDst = start < end ? ms >= start && ms < end : ms >= start || ms < end;
  return (inDst ? zone.dst : zone.std) / 60;
}

/** The evaluator's own change instants around `[from, to)`, to probe on both sides. */
function evaluatorChanges(zone: PosixZone, from: number, to: number): number[] {
  if (zone.dst === undefined || !zone.start || !zone.end) return [];
  const out: number[] = [];
  const last = new Date(to).getUTCFullYear();
  for (let y = new Date(from).getUTCFullYear(); y <= last; y++) {
    out.push(changeAt(y, zone.start, zone.std), changeAt(y, zone.end, zone.dst));
  }
  return out.filter((t) => t >= from && t < to);
}

/**
 * Where `rule` disagrees with luxon for `zone` over the local year `year`: every 6 hours, plus the
 * minutes either side of each real transition (found by bisecting luxon) and of each change the
 * rule itself makes. Returns human-readable mismatches, empty when the rule is right.
 */
function mismatches(zone: string, rule: string, year: number): string[] {
  const tz = IANAZone.create(zone);
  const parsed = parsePosixTz(rule);
  const from = DateTime.fromObject({ year }, { zone }).toMillis();
  const to = DateTime.fromObject({ year: year + 1 }, { zone }).toMillis();
  const probes: number[] = [];
  const known = new Map<number, number>(); // luxon lookups dominate the sweep's run time
  let prevAt = from;
  let prev = tz.offset(from);
  for (let t = from; t < to; t += 6 * HOUR) {
    const offset = tz.offset(t);
    probes.push(t);
    known.set(t, offset);
    if (offset !== prev) {
      let lo = prevAt;
      let hi = t;
      while (hi - lo > MINUTE) {
        const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
        if (tz.offset(mid) === prev) lo = mid;
        else hi = mid;
      }
      probes.push(hi - MINUTE, hi - 1, hi, hi + MINUTE);
    }
    prevAt = t;
    prev = offset;
  }
  for (const t of evaluatorChanges(parsed, from, to)) probes.push(t - MINUTE, t - 1, t, t + MINUTE);
  const wrong: string[] = [];
  for (const t of probes) {
    if (t < from || t >= to) continue;
    const got = evaluate(parsed, t);
    const want = known.get(t) ?? tz.offset(t);
    if (got !== want)
      wrong.push(`${new Date(t).toISOString()}: ${rule} gives ${got}, tzdata ${want}`);
  }
  return wrong;
}

describe('posixTz', () => {
  test.each([
    ['Europe/London', 'GMT0BST,M3.5.0/1,M10.5.0'],
    ['Australia/Sydney', 'AEST-10AEDT,M10.1.0,M4.1.0/3'],
    ['America/New_York', 'EST5EDT,M3.2.0,M11.1.0'],
    ['Asia/Kolkata', 'IST-5:30'],
    ['Asia/Kathmandu', '<+0545>-5:45'],
    ['Pacific/Chatham', '<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45'],
    ['UTC', 'UTC0'],
    // tzdata's own rule is IST-1GMT0,M10.5.0,M3.5.0/1 (negative DST); POSIX-wise the same offsets.
    ['Europe/Dublin', 'GMT0IST,M3.5.0/1,M10.5.0'],
    ['America/Sao_Paulo', '<-03>3'],
    ['Europe/Paris', 'CET-1CEST,M3.5.0,M10.5.0/3'],
    ['Pacific/Auckland', 'NZST-12NZDT,M9.5.0,M4.1.0/3'],
    ['Australia/Lord_Howe', 'LHST-10:30LHDT-11,M10.1.0,M4.1.0'], // half-hour DST
    // Morocco is +01 except in Ramadan (15 Feb - 22 Mar 2026): a southern-style rule for 2026.
    ['Africa/Casablanca', '<+00>0<+01>,M3.4.0,M2.3.0/3'],
  ])('%s in 2026 is %s', (zone, expected) => {
    expect(posixTz(zone, AT)).toBe(expected);
    expect(mismatches(zone, expected, 2026)).toEqual([]);
  });

  // Rules whose 2026 transitions could be spelled several ways, of which only some hold in later
  // years (e.g. 2029, when the last Sunday of March is the 25th). tzdata writes Scoresbysund's
  // start as M3.5.0/-1; the 4th Thursday + 71 h is always the same instant, without the negative
  // hour newlib cannot read.
  test.each([
    ['America/Scoresbysund', '<-02>2<-01>,M3.4.4/71,M10.5.0/0'],
    ['America/Santiago', '<-04>4<-03>,M9.1.6/24,M4.1.6/24'],
    ['Africa/Cairo', 'EET-2EEST,M4.5.5/0,M10.5.4/24'],
  ])('%s picks the spelling that lasts: %s', (zone, expected) => {
    expect(posixTz(zone, AT)).toBe(expected);
    for (const year of [2026, 2027, 2028, 2029, 2030, 2031]) {
      expect(mismatches(zone, expected, year)).toEqual([]);
    }
  });

  test('Asia/Kolkata and its ICU alias Asia/Calcutta agree', () => {
    expect(posixTz('Asia/Calcutta', AT)).toBe(posixTz('Asia/Kolkata', AT));
  });

  test('defaults to the current year', () => {
    const year = DateTime.now().setZone('America/New_York').year;
    expect(mismatches('America/New_York', posixTz('America/New_York'), year)).toEqual([]);
  });

  test('the year is the zone-local year of `at`', () => {
    // 31 Dec 2026 20:00 UTC is already 2027 in Sydney; only the year matters, so compare rules.
    const late = new Date('2026-12-31T20:00:00Z');
    expect(posixTz('Australia/Sydney', late)).toBe(posixTz('Australia/Sydney', AT));
    expect(mismatches('Australia/Sydney', posixTz('Australia/Sydney', late), 2027)).toEqual([]);
  });

  // A single offset change in the year: DST is faked from/to the year's edge, spelled in the UTC
  // year the edge falls in (east and west of UTC differ).
  test('one transition, DST running into the year end: right all year', () => {
    // Caracas went from -04:30 to -04 on 1 May 2016.
    const rule = posixTz('America/Caracas', new Date('2016-06-01'));
    expect(rule).toBe('<-0430>4:30<-04>4,M5.1.0/2:30,J1/0');
    expect(mismatches('America/Caracas', rule, 2016)).toEqual([]);
  });

  test('one transition, DST from the year start: right but for its first hour', () => {
    // Almaty went from +06 to +05 on 1 March 2024. Local 2024 ran from +06 midnight to +05
    // midnight, a year and an hour, which a yearly rule cannot cover: the (past) first hour gives.
    const rule = posixTz('Asia/Almaty', new Date('2024-06-01'));
    expect(rule).toBe('<+05>-5<+06>,J365/24,M3.1.5/0');
    const wrong = mismatches('Asia/Almaty', rule, 2024).map((m) => Date.parse(m.slice(0, 24)));
    const yearStart = Date.parse('2023-12-31T18:00:00Z');
    expect(wrong.length).toBeGreaterThan(0);
    expect(wrong.every((t) => t >= yearStart && t < yearStart + HOUR)).toBe(true);
  });

  test('three transitions or more: the DST period wrong for the least time', () => {
    // Morocco 2013: DST 28 Apr - 27 Oct, suspended for Ramadan 7 Jul - 10 Aug. The rule keeps the
    // long summer and is wrong only during Ramadan.
    const rule = posixTz('Africa/Casablanca', new Date('2013-06-01'));
    expect(rule).toBe('WET0WEST,M4.5.0,M10.5.0/3');
    const wrong = mismatches('Africa/Casablanca', rule, 2013).map((m) => m.slice(0, 10));
    expect(wrong.length).toBeGreaterThan(0);
    expect(wrong.every((day) => day >= '2013-07-07' && day <= '2013-08-10')).toBe(true);
  });

  test('an unknown zone throws an error naming it', () => {
    expect(() => posixTz('Mars/Olympus_Mons')).toThrow(/Mars\/Olympus_Mons/);
    expect(() => posixTz('')).toThrow(Error);
  });

  test('an invalid date throws', () => {
    expect(() => posixTz('UTC', new Date(NaN))).toThrow(/UTC/);
  });
});

describe('systemTimeZone', () => {
  afterEach(() => jest.restoreAllMocks());

  test('is a zone posixTz accepts', () => {
    expect(() => posixTz(systemTimeZone(), AT)).not.toThrow();
  });

  test('falls back to UTC when Intl has no zone', () => {
    const missing = { resolvedOptions: () => ({ timeZone: undefined }) };
    jest.spyOn(Intl, 'DateTimeFormat').mockReturnValue(missing as unknown as Intl.DateTimeFormat);
    expect(systemTimeZone()).toBe('UTC');
  });
});

describe('evaluator self-check', () => {
  // Guards the oracle itself against an error that would hide posixTz's.
  test('reads tzdata footers the same way luxon does', () => {
    expect(mismatches('Asia/Jerusalem', 'IST-2IDT,M3.4.4/26,M10.5.0', 2026)).toEqual([]);
    expect(mismatches('Europe/Dublin', 'IST-1GMT0,M10.5.0,M3.5.0/1', 2026)).toEqual([]);
    expect(mismatches('Asia/Gaza', 'EET-2EEST,M3.4.4/50,M10.4.4/50', 2026)).toEqual([]);
    expect(mismatches('Europe/London', 'GMT0BST,M3.5.0/1,M10.5.0/1', 2026)).not.toEqual([]);
    expect(() => parsePosixTz('GMT0BST,M13.1.0,M10.5.0')).toThrow();
    expect(() => parsePosixTz('EST5EDT,M3.2.0')).toThrow();
  });
});

// Every zone ICU knows, against luxon through 2026. A zone listed in EXCEPTIONS must still fail,
// so the list shrinks when the data allows.
describe('every zone matches tzdata through 2026', () => {
  const zones = Intl.supportedValuesOf('timeZone');

  test('the exception list names real zones', () => {
    for (const zone of EXCEPTIONS.keys()) expect(zones).toContain(zone);
  });

  test.each(zones)('%s', (zone) => {
    const rule = posixTz(zone, AT);
    let wrong: string[];
    try {
      wrong = mismatches(zone, rule, 2026);
    } catch (error) {
      wrong = [String(error)];
    }
    if (EXCEPTIONS.has(zone)) expect(wrong).not.toEqual([]);
    else expect(wrong).toEqual([]);
  });
});
