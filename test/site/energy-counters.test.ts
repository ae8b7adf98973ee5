import { DateTime } from 'luxon';
import {
  CONFIRMING_READINGS,
  CONFIRMING_SECONDS,
  ENERGY_KEYS,
  MAX_DAY_KWH,
  MAX_ENERGY_RATE_KW,
} from '../../src/site/energy-counters';
import { PvReadings, ZONE } from '../support/pv-readings';

/** Wh a home could add at most in the 10 s between two messages. */
const LIMIT_WH = Math.floor((MAX_ENERGY_RATE_KW * 1000 * 10) / 3600);

/** Messages 10 s apart that a new level takes to be followed. */
const CONFIRMING_MESSAGES = Math.max(CONFIRMING_READINGS, CONFIRMING_SECONDS / 10 + 1);

/** A unix time on 4 December 2026, local time `hhmm` in `zone`. */
function local(hhmm: string, zone = ZONE): number {
  return DateTime.fromISO(`2026-12-04T${hhmm}`, { zone }).toSeconds();
}

const repeat = <T>(value: T, times: number): T[] => Array.from({ length: times }, () => value);

describe('holdCorruptedCounters', () => {
  it('judges every counter an inverter has', () => {
    const { site } = new PvReadings().send(12_000);
    expect([...ENERGY_KEYS].sort()).toEqual(Object.keys(site.inverters[0]?.energy ?? {}).sort());
  });

  it('passes a counter that rises as fast as a home can, or stays', () => {
    const gateway = new PvReadings();
    expect(gateway.sendAll([12_000, 12_000 + LIMIT_WH, 12_000 + LIMIT_WH])).toEqual([
      12,
      (12_000 + LIMIT_WH) / 1000,
      (12_000 + LIMIT_WH) / 1000,
    ]);
  });

  it('holds a counter that rose faster than any home could, and says which', () => {
    const gateway = new PvReadings();
    gateway.send(12_000);
    const { pv, problems } = gateway.send(4_294_967_295);
    expect(pv).toBe(12);
    expect(problems).toEqual([
      {
        device: `pbgw_a1b2c3/${gateway.unit.serial}`,
        reason:
          `energy pv_today_kwh moved as no day's counter can (faster than ${MAX_ENERGY_RATE_KW} kW,` +
          ' or down with no new day): the last good reading is kept until the counter shows it' +
          ' is there',
        skipped: true,
      },
    ]);
    // The next good sample is judged against the reading kept.
    expect(gateway.send(12_050).pv).toBe(12.05);
  });

  it('holds a fall away from midnight, so zeros from a restart neither reset the day nor stick it', () => {
    const gateway = new PvReadings();
    // A gateway that restarted sends zeros once, at 12:20.
    expect(gateway.sendAll([7_420, 0, 7_430, 7_440])).toEqual([7.42, 7.42, 7.43, 7.44]);
    const problems = [7_450, 0, 7_460].map((wh) => gateway.send(wh).problems.length);
    expect(problems).toEqual([0, 1, 0]);
    // Zeros for as long as a restart takes, a copy of one among them, are held just as well.
    gateway.sendAll(repeat(0, 5));
    expect(gateway.send(0, { after: 0 }).pv).toBe(7.46);
    expect(gateway.send(7_470).pv).toBe(7.47);
  });

  it("passes a fall to what a reset explains near local midnight, in the bridge's zone", () => {
    const reset = new PvReadings();
    reset.send(12_000, { at: local('23:59:55') });
    expect(reset.send(2, { after: 10 })).toMatchObject({ pv: 0.002, problems: [] });
    // The same moment is 09:00 in Tokyo: no day starts there then.
    const tokyo = new PvReadings('Asia/Tokyo');
    tokyo.send(12_000, { at: local('23:59:55') });
    expect(tokyo.send(2, { after: 10 }).pv).toBe(12);
    // Near midnight, a fall to more than a reset could have added since is no reset either.
    const partial = new PvReadings();
    partial.send(12_000, { at: local('00:00:05') });
    expect(partial.send(5_000, { after: 10 }).pv).toBe(12);
  });

  it(`follows a new level once the counter moves from it for ${CONFIRMING_SECONDS} s`, () => {
    // An inverter that restarted its count at noon.
    const restarted = new PvReadings();
    restarted.send(7_420);
    const rising = Array.from({ length: CONFIRMING_MESSAGES }, (_, i) => i * 10);
    const bridged = restarted.sendAll(rising);
    expect(bridged.slice(0, -1)).toEqual(repeat(7.42, CONFIRMING_MESSAGES - 1));
    expect(bridged.at(-1)).toBe(rising.at(-1)! / 1000);
    // A counter that really is higher than the bridge had it.
    const higher = new PvReadings();
    higher.send(7_420);
    expect(higher.sendAll(repeat(90_000, CONFIRMING_MESSAGES)).at(-1)).toBe(90);
    // A row a lone reading began gives way a minute later to one that goes on.
    const broken = new PvReadings();
    broken.send(7_420);
    const row = [0, ...repeat(90_000, CONFIRMING_MESSAGES + 5)];
    expect(broken.sendAll(row).at(-1)).toBe(7.42);
    expect(broken.send(90_000).pv).toBe(90);
  });

  it('follows a new level through a garbled reading now and then', () => {
    const gateway = new PvReadings();
    gateway.send(7_420);
    const restarted = Array.from({ length: CONFIRMING_MESSAGES }, (_, i) =>
      i % 30 === 29 ? 500_000 : i,
    );
    expect(gateway.sendAll(restarted).at(-1)).toBe((CONFIRMING_MESSAGES - 1) / 1000);
  });

  it('never passes a reading beyond any day, however often or however long after it comes', () => {
    const gateway = new PvReadings();
    gateway.send(12_000);
    const readings = repeat(4_294_967_295, 2 * CONFIRMING_MESSAGES);
    expect(new Set(gateway.sendAll(readings))).toEqual(new Set([12]));
    // After 30 hours without a message a home could have filled more, but no day's counter.
    expect(gateway.send((MAX_DAY_KWH + 500) * 1000, { after: 30 * 3600 }).pv).toBe(12);
    // A first reading beyond any day is none.
    expect(new PvReadings().send(4_294_967_295)).toMatchObject({ pv: null, problems: [{}] });
  });

  it('takes a copy of an older message, or one at the same time, as no time gone by', () => {
    const gateway = new PvReadings();
    gateway.sendAll([12_000, 12_010]);
    expect(gateway.send(12_000, { after: -10 }).pv).toBe(12.01);
    expect(gateway.send(12_020, { after: 0 }).pv).toBe(12.01);
    // The next message is judged from the time the gateway had reached.
    expect(gateway.send(12_020, { after: 20 }).pv).toBe(12.02);
  });

  it('holds a copy of an older message, however many, and a fall back to one near midnight', () => {
    const gateway = new PvReadings();
    const start = local('00:00:00');
    const day = Array.from({ length: 2 * CONFIRMING_MESSAGES }, (_, i) => ({
      at: start + i * 10,
      wh: i * 10,
    }));
    for (const { at, wh } of day) gateway.send(wh, { at });
    const latest = day.at(-1)!.wh / 1000;
    const replayed = day.map(({ at, wh }) => gateway.send(wh, { at }).pv);
    expect(new Set(replayed)).toEqual(new Set([latest]));
  });

  it('passes a reset seen after a night without messages, and holds a glitch before midnight', () => {
    const overnight = new PvReadings();
    overnight.send(12_000, { at: local('23:30:00') - 24 * 3600 });
    expect(overnight.send(500, { at: local('01:50:00') }).pv).toBe(0.5);
    const late = new PvReadings();
    late.send(12_000, { at: local('23:00:00') });
    expect(late.sendAll([0, 12_010])).toEqual([12, 12.01]);
  });

  it('judges by the message order when the gateway has no clock, or one not yet set', () => {
    for (const bad of [0, 100, 4_294_967_295]) {
      const gateway = new PvReadings();
      gateway.send(7_420, { at: bad });
      const readings = [7_430, 0, 7_440, 500_000, 7_450].map((wh) => gateway.send(wh, { at: bad }));
      expect(readings.map((r) => r.pv)).toEqual([7.43, 7.43, 7.44, 7.44, 7.45]);
      // A set clock afterwards is judged from the bridge's.
      expect(gateway.send(7_460, { at: gateway.clock + 10 }).pv).toBe(7.46);
    }
  });

  it('judges a message without a sample time as one status period after the last', () => {
    const gateway = new PvReadings();
    gateway.send(12_000);
    expect(gateway.sendAll([12_010, 12_020])).toEqual([12.01, 12.02]);
    expect(gateway.send(12_030, { at: 0 }).pv).toBe(12.03);
    expect(gateway.send(0, { at: 0 }).pv).toBe(12.03);
  });

  it('judges what follows a message without counters, or without the unit, as before it', () => {
    const gateway = new PvReadings();
    gateway.send(12_000);
    expect(gateway.send(null).pv).toBeNull();
    expect(gateway.send(0)).toMatchObject({ pv: 12, problems: [{}] });
    const serial = gateway.unit.serial;
    gateway.unit.serial = 'SN-OTHER';
    gateway.send(5_000);
    gateway.unit.serial = serial;
    expect(gateway.send(4_294_967).pv).toBe(12);
    expect(gateway.send(12_010).pv).toBe(12.01);
  });

  it('takes the first reading of a unit it has not seen', () => {
    const gateway = new PvReadings();
    gateway.send(12_000);
    gateway.unit.serial = `${gateway.unit.serial}X`;
    expect(gateway.send(400_000)).toMatchObject({ pv: 400, problems: [] });
  });
});
