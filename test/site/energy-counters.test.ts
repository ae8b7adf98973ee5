import { DateTime } from 'luxon';
import {
  CONFIRMING_READINGS,
  ENERGY_KEYS,
  MAX_ENERGY_RATE_KW,
} from '../../src/site/energy-counters';
import { PvReadings, ZONE } from '../support/pv-readings';

/** Wh a home could add at most in the 10 s between two messages. */
const LIMIT_WH = Math.floor((MAX_ENERGY_RATE_KW * 1000 * 10) / 3600);

/** A unix time on 4 December 2026, local time `hhmm` in `zone`. */
function local(hhmm: string, zone = ZONE): number {
  return DateTime.fromISO(`2026-12-04T${hhmm}`, { zone }).toSeconds();
}

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
          ` or down away from midnight): the last good reading is kept until` +
          ` ${CONFIRMING_READINGS} readings in a row confirm it`,
        skipped: true,
      },
    ]);
    // The next good sample is judged against the reading kept.
    expect(gateway.send(12_050).pv).toBe(12.05);
  });

  it('holds a fall away from midnight, so a glitch neither resets the day nor sticks it', () => {
    const gateway = new PvReadings();
    // A gateway that restarted sends zeros once, at 12:20.
    expect(gateway.sendAll([7_420, 0, 7_430, 7_440])).toEqual([7.42, 7.42, 7.43, 7.44]);
    const problems = [7_450, 0, 7_460].map((wh) => gateway.send(wh).problems.length);
    expect(problems).toEqual([0, 1, 0]);
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

  it(`follows a new level once ${CONFIRMING_READINGS} readings in a row move as a counter does`, () => {
    // An inverter that restarted its count at noon.
    const restarted = new PvReadings();
    expect(restarted.sendAll([7_420, 0, 10, 20, 30])).toEqual([7.42, 7.42, 7.42, 0.02, 0.03]);
    // A counter that really is higher than the bridge had it.
    const higher = new PvReadings();
    expect(higher.sendAll([7_420, 90_000, 90_010, 90_020])).toEqual([7.42, 7.42, 7.42, 90.02]);
    // A row that breaks starts again.
    const broken = new PvReadings();
    expect(broken.sendAll([7_420, 0, 90_000, 90_000, 90_000])).toEqual([
      7.42, 7.42, 7.42, 7.42, 90,
    ]);
  });

  it('never passes a reading beyond any day, however often it comes', () => {
    const gateway = new PvReadings();
    gateway.send(12_000);
    const readings = Array.from({ length: 2 * CONFIRMING_READINGS }, () => 4_294_967_295);
    expect(new Set(gateway.sendAll(readings))).toEqual(new Set([12]));
  });

  it('judges nothing without two sample times in order, or for a unit it has not seen', () => {
    const gateway = new PvReadings();
    gateway.send(12_000);
    expect(gateway.send(4_294_967_295, { after: -20 }).pv).toBe(4_294_967.295);
    const unseen = new PvReadings();
    unseen.send(12_000);
    unseen.unit.serial = `${unseen.unit.serial}X`;
    expect(unseen.send(4_294_967_295)).toMatchObject({ pv: 4_294_967.295, problems: [] });
  });

  it('judges nothing for a counter the last message lacked', () => {
    const gateway = new PvReadings();
    gateway.send(null);
    expect(gateway.send(4_294_967_295)).toMatchObject({ pv: 4_294_967.295, problems: [] });
  });
});
