// The quick paths of float32 and isoTime against the plain definitions they replace.
import { DateTime } from 'luxon';
import { float32, isoTime } from '../../src/site/values';

function shortestSearch(value: number): number {
  const single = Math.fround(value);
  for (let digits = 1; digits < 10; digits++) {
    const shortest = Number(single.toPrecision(digits));
    if (Math.fround(shortest) === single) return shortest;
  }
  return single;
}

describe('float32', () => {
  it('gives the shortest decimal for every reading with up to three decimals', () => {
    const wrong: number[] = [];
    for (let milli = -9_000_000; milli <= 9_000_000; milli += 997) {
      const value = Math.fround(milli / 1000);
      if (float32(value) !== shortestSearch(value)) wrong.push(value);
    }
    expect(wrong).toEqual([]);
  });

  it('gives the shortest decimal for floats of any size', () => {
    const bits = new Uint32Array(1);
    const floats = new Float32Array(bits.buffer);
    const wrong: number[] = [];
    for (let i = 0; i < 200_000; i++) {
      bits[0] = Math.imul(i, 2654435761) >>> 0;
      const value = floats[0] as number;
      if (Number.isFinite(value) && float32(value) !== shortestSearch(value)) wrong.push(value);
    }
    expect(wrong).toEqual([]);
  });
});

describe('isoTime', () => {
  it("writes what luxon's UTC ISO form without milliseconds would", () => {
    for (const seconds of [1, 1_780_272_010, 1_796_300_400, 4_294_967_295, 1_700_000_000.5]) {
      const luxon = DateTime.fromSeconds(seconds, { zone: 'utc' }).toISO({
        suppressMilliseconds: true,
      });
      expect(isoTime(seconds)).toBe(luxon);
    }
    expect(isoTime(0)).toBeNull();
    expect(isoTime(Number.NaN)).toBeNull();
    expect(isoTime(1e15)).toBeNull();
  });

  it('writes each second anew when it changes, however often one repeats', () => {
    const luxon = (seconds: number): string | null =>
      DateTime.fromSeconds(seconds, { zone: 'utc' }).toISO({ suppressMilliseconds: true });
    for (const seconds of [1_780_272_010, 1_780_272_010, 1_780_272_011, 0, 1_780_272_010]) {
      expect(isoTime(seconds)).toBe(seconds === 0 ? null : luxon(seconds));
    }
  });
});
