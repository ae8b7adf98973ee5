import { float32, isoTime, kwh, timeOfDay } from '../../src/site/values';
import { decodeId, encodeId, slug } from '../../src/site/identity';

describe('float32', () => {
  it.each([
    [52.400001525878906, 52.4],
    [241.6999969482422, 241.7],
    [49.97999954223633, 49.98],
    [-11.5, -11.5],
    [18.5, 18.5],
    [0, 0],
    [Math.fround(0.1), 0.1],
    [Math.fround(123456.78), 123456.78],
  ])('%p is %p', (raw, shown) => {
    expect(float32(raw)).toBe(shown);
  });

  it('turns values no sensor can show into null', () => {
    expect(float32(Number.NaN)).toBeNull();
    expect(float32(Number.POSITIVE_INFINITY)).toBeNull();
  });
});

describe('timeOfDay', () => {
  it.each([
    [0, '00:00'],
    [130, '01:30'],
    [430, '04:30'],
    [1600, '16:00'],
    [2330, '23:30'],
    [2400, '00:00'],
  ])('%p is %p', (hhmm, text) => {
    expect(timeOfDay(hhmm)).toBe(text);
  });

  it.each([60, 199, 2401, 2460, 2500, 9999, -1, 1.5])('%p is not a time of day', (hhmm) => {
    expect(timeOfDay(hhmm)).toBeNull();
  });
});

describe('isoTime', () => {
  it('is ISO 8601 with a timezone', () => {
    expect(isoTime(1796300400)).toBe('2026-12-03T12:20:00Z');
  });
  it('is null for a time never set', () => {
    expect(isoTime(0)).toBeNull();
  });
});

describe('kwh', () => {
  it('is exact to the watt-hour', () => {
    expect(kwh(1205)).toBe(1.205);
    expect(kwh(13650)).toBe(13.65);
    expect(kwh(0)).toBe(0);
  });
});

describe('encodeId', () => {
  it('keeps ordinary ids as they are', () => {
    expect(encodeId('pbgw_a1b2c3')).toBe('pbgw_a1b2c3');
    expect(encodeId('CE2341G123')).toBe('CE2341G123');
    expect(encodeId('1031220231190045')).toBe('1031220231190045');
  });

  it.each([
    ['pbgw_a1b2c3', 'pbgw_a1b2c3'],
    ['EVB-Pro 3XB.749', 'EVB--Pro-203XB-2e749'],
    ['a/b', 'a-2fb'],
    ['a+b', 'a-2bb'],
    ['a#b', 'a-23b'],
    ['Wallbox Ü', 'Wallbox-20-c3-9c'],
    ['', '-'],
  ])('makes %p legal as %p, which decodeId gives back', (raw, encoded) => {
    expect(encodeId(raw)).toBe(encoded);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeId(encoded)).toBe(raw);
  });

  it('never gives two different ids one encoding', () => {
    const ids = ['a-b', 'a b', 'a--b', 'a-2db', 'a_b', 'a.b', 'a-2eb', '-', '', '--', 'a', 'A'];
    const encoded = ids.map(encodeId);
    expect(new Set(encoded).size).toBe(ids.length);
  });
});

describe('slug', () => {
  it('is lower-case words joined by _', () => {
    expect(slug('CE2341G123')).toBe('ce2341g123');
    expect(slug('EVB-Pro 3XB.749')).toBe('evb_pro_3xb_749');
    expect(slug('###')).toBe('unnamed');
  });
});

describe('decodeId', () => {
  it.each(['x y', 'a-2', 'a-zz', 'a-2D', '-c3', 'a-5fb', ''])(
    'knows %p is no encoding of any id',
    (level) => {
      expect(decodeId(level)).toBeUndefined();
    },
  );
});
