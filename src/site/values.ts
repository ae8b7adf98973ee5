// Small conversions from the gateway's raw numbers to the values Home Assistant shows.

/**
 * The shortest decimal that is the same float32 as the input, so 52.400001525878906
 * (52.4 sent as float32) becomes 52.4. Non-finite values, which no sensor can show,
 * become null.
 */
export function float32(value: number): number | null {
  if (!Number.isFinite(value)) return null;
  const single = Math.fround(value);
  // Readings (volts, degrees, amps, hertz) mostly have at most three decimals. Below 8192
  // float32 steps are finer than 0.001, so at most one such decimal is this float32 and
  // it is the shortest: found with one rounding instead of a search.
  if (Math.abs(single) < 8192) {
    const milli = Math.round(single * 1000) / 1000;
    if (Math.fround(milli) === single) return milli;
  }
  for (let digits = 1; digits < 10; digits++) {
    const shortest = Number(single.toPrecision(digits));
    if (Math.fround(shortest) === single) return shortest;
  }
  return single;
}

/** An integer field where 0 means "not reported". */
export function reported(value: number): number | null {
  return value === 0 ? null : value;
}

/** A string field where "" means "not reported". */
export function reportedText(value: string): string | null {
  return value === '' ? null : value;
}

/** Watt-hours to kilowatt-hours, exact to the watt-hour. */
export function kwh(wh: number): number {
  return Math.round(wh) / 1000;
}

/** The non-negative part of a signed power, and of its opposite. */
export function positivePart(watts: number): number {
  return watts > 0 ? watts : 0;
}
export function negativePart(watts: number): number {
  return watts < 0 ? -watts : 0;
}

/**
 * A gateway HHMM time of day (130 = 01:30) as "HH:MM". 2400 is midnight at the end of
 * the day, which as a time of day is 00:00. Anything that is not a time is null.
 */
export function timeOfDay(hhmm: number): string | null {
  if (!Number.isInteger(hhmm) || hhmm < 0 || hhmm > 2400) return null;
  const hour = Math.floor(hhmm / 100);
  const minute = hhmm % 100;
  if (minute > 59 || (hour === 24 && minute !== 0)) return null;
  return timeText((hour % 24) * 60 + minute);
}

/** Minutes after midnight as "HH:MM". */
export function timeText(minutes: number): string {
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  return `${hh}:${String(minutes % 60).padStart(2, '0')}`;
}

/** The last time written: a busy bridge writes the same second for many messages. */
const lastIso = { unixSeconds: Number.NaN, text: '' };

/** Unix seconds as ISO 8601 in UTC; 0 (never set) is null. */
export function isoTime(unixSeconds: number): string | null {
  // Beyond the year 275760 there is no date to show.
  if (!Number.isFinite(unixSeconds) || unixSeconds <= 0 || unixSeconds > 8.64e12) return null;
  if (unixSeconds === lastIso.unixSeconds) return lastIso.text;
  // The standard library's UTC form, as luxon's toISO gives it with suppressMilliseconds,
  // at a fraction of the cost: every message carries a time or two.
  const text = new Date(unixSeconds * 1000).toISOString().replace('.000Z', 'Z');
  lastIso.unixSeconds = unixSeconds;
  lastIso.text = text;
  return text;
}
