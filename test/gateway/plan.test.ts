import type { ExecutionPlan, PlanEntry } from '../../src/gateway/messages';
import {
  MAX_PLAN_ENTRIES,
  buildExecutionPlan,
  nextDays,
  planEntries,
} from '../../src/gateway/plan';
import { decodePlan, encodePlan } from '../../src/gateway/wire';
import { CHARGE_WINDOW, planEntry } from '../support/plans';
import { EVERY_DAY, type PlanWindow } from '../../src/site/plan';

/** An entry of the charge window, at the times and days given. */
function charging(fields: Partial<PlanEntry>): PlanEntry {
  return planEntry({ mode: 1, power_w: 3000, target_soc: 100, ...fields });
}

const CHARGE_ENTRY = charging({ start_hour: 1, start_minute: 30, end_hour: 4, end_minute: 30 });

function built(windows: PlanWindow[], zone = 'Europe/London'): ExecutionPlan {
  const result = buildExecutionPlan(windows, {
    timestamp: 1796300400,
    plan_version: 1796300400,
    zone,
  });
  if (!result.ok) throw new Error(result.reason);
  return result.plan;
}

describe('execution plan', () => {
  it('builds the plan the gateway runs, with the POSIX rule of the zone', () => {
    const discharge: PlanWindow = {
      ...CHARGE_WINDOW,
      start: '16:00',
      end: '19:00',
      mode: 'discharge',
      power_w: 2500,
      target_soc: 10,
      days: 0b0111110,
    };
    expect(built([CHARGE_WINDOW, discharge])).toEqual({
      timestamp: 1796300400,
      plan_version: 1796300400,
      timezone: 'GMT0BST,M3.5.0/1,M10.5.0',
      entries: [
        CHARGE_ENTRY,
        planEntry({
          start_hour: 16,
          end_hour: 19,
          mode: 2,
          power_w: 2500,
          target_soc: 10,
          days_of_week: 0b0111110,
        }),
      ],
    });
  });

  it('round-trips through the protobuf ExecutionPlan unchanged', () => {
    const plan = built([
      CHARGE_WINDOW,
      { ...CHARGE_WINDOW, start: '22:00', end: '02:00', days: 1 },
    ]);
    expect(decodePlan(encodePlan(plan))).toEqual(plan);
  });

  it('encodes the exact bytes of a one-entry plan', () => {
    const plan = built([{ ...CHARGE_WINDOW, start: '01:00', end: '02:00', power_w: 100, days: 1 }]);
    const bytes = Buffer.from(encodePlan(plan)).toString('hex');
    const tz = Buffer.from('GMT0BST,M3.5.0/1,M10.5.0').toString('hex');
    // 1: timestamp, 2: version (varints of 1796300400), 3: timezone, 4: the entry
    const varint = 'f0bcc5d806';
    expect(bytes).toBe(
      `08${varint}10${varint}1a18${tz}22` +
        '0e' + // entry length 14
        '0801' + // enabled
        '1001' + // start_hour 1
        '2002' + // end_hour 2
        '3001' + // mode charge
        '3864' + // power_w 100
        '4064' + // target_soc 100
        '4801', // days_of_week: Sunday
    );
  });

  it('drops zero-length windows: they mean nothing', () => {
    expect(planEntries([{ ...CHARGE_WINDOW, end: '01:30' }, CHARGE_WINDOW])).toEqual([
      CHARGE_ENTRY,
    ]);
  });

  it('splits a window over midnight, its second half on the following days', () => {
    const overnight = { ...CHARGE_WINDOW, start: '23:30', end: '05:30', days: 0b1000001 };
    expect(planEntries([overnight])).toEqual([
      charging({ start_hour: 23, start_minute: 30, end_hour: 24, days_of_week: 0b1000001 }),
      charging({ end_hour: 5, end_minute: 30, days_of_week: 0b0000011 }),
    ]);
  });

  it('keeps a window ending at 00:00 or 24:00 on its own day', () => {
    const late = { ...CHARGE_WINDOW, start: '22:00', end: '00:00' };
    const expected = [charging({ start_hour: 22, end_hour: 24 })];
    expect(planEntries([late])).toEqual(expected);
    expect(planEntries([{ ...late, end: '24:00' }])).toEqual(expected);
  });

  it('sends no power or SOC for an Auto window', () => {
    const auto: PlanWindow = { ...CHARGE_WINDOW, mode: 'auto' };
    expect(planEntries([auto])[0]).toMatchObject({ mode: 0, power_w: 0, target_soc: 0 });
  });

  it('refuses a plan needing more entries than the gateway holds, never cutting it short', () => {
    const windows = Array.from({ length: 4 }, (_, i) => ({
      ...CHARGE_WINDOW,
      start: `2${i}:00`,
      end: '01:00',
    }));
    expect(planEntries(windows)).toHaveLength(8);
    expect(buildExecutionPlan(windows, { timestamp: 1, plan_version: 1, zone: 'UTC' })).toEqual({
      ok: false,
      reason: 'the plan needs 8 entries (windows over midnight take two) and the gateway holds 6',
    });
    expect(MAX_PLAN_ENTRIES).toBe(6);
  });

  it('refuses a zone tzdata does not know', () => {
    const result = buildExecutionPlan([], { timestamp: 1, plan_version: 1, zone: 'Mars/Olympus' });
    expect(result.ok).toBe(false);
  });

  it('sends an empty plan for Auto', () => {
    expect(built([], 'UTC')).toEqual({
      timestamp: 1796300400,
      plan_version: 1796300400,
      timezone: 'UTC0',
      entries: [],
    });
  });

  it('moves day bits to the following day, Saturday to Sunday', () => {
    expect(nextDays(0b0000001)).toBe(0b0000010);
    expect(nextDays(0b1000000)).toBe(0b0000001);
    expect(nextDays(EVERY_DAY)).toBe(EVERY_DAY);
  });
});
