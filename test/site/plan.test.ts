import { CHARGE_WINDOW } from '../support/plans';
import {
  AUTO_PLAN,
  EVERY_DAY,
  PLAN_MODES,
  type PlanWindow,
  type SitePlan,
  activeMode,
  dayNames,
  daysMask,
  forcedEnded,
  forcedPlan,
  modeFromName,
  modeName,
  planSummary,
  windowEnd,
} from '../../src/site/plan';

/** Thursday 3 December 2026, 12:20 UTC (GMT in London). */
const WINTER_NOON = 1796300400;
/** Thursday 2 July 2026, 13:46:40 UTC (14:46 BST in London). */
const SUMMER = 1783000000;

describe('forced mode plan', () => {
  it('is one window from now in local time, on today only', () => {
    expect(
      forcedPlan('charge', WINTER_NOON, 60, 'Europe/London', { power_w: 3600, target_soc: 100 }),
    ).toEqual({
      windows: [
        {
          start: '12:20',
          end: '13:20',
          mode: 'charge',
          power_w: 3600,
          target_soc: 100,
          days: 0b0010000,
          enabled: true,
        },
      ],
      source: { kind: 'battery_mode', mode: 'charge', started_at: WINTER_NOON },
    });
  });

  it('uses summer time and zones with odd offsets', () => {
    const power = { power_w: 1000, target_soc: 4 };
    const london = forcedPlan('discharge', SUMMER, 30, 'Europe/London', power);
    expect(london.windows[0]).toMatchObject({ start: '14:46', end: '15:16', days: 0b0010000 });
    // Kathmandu is UTC+5:45: 19:31 on the same Thursday.
    const kathmandu = forcedPlan('discharge', SUMMER, 720, 'Asia/Kathmandu', power);
    expect(kathmandu.windows[0]).toMatchObject({ start: '19:31', end: '07:31', days: 0b0010000 });
  });

  it('ends once its duration has passed, and only a forced plan does', () => {
    const plan = forcedPlan('charge', WINTER_NOON, 60, 'UTC', { power_w: 1, target_soc: 1 });
    expect(forcedEnded(plan, 60, WINTER_NOON + 3599)).toBe(false);
    expect(forcedEnded(plan, 60, WINTER_NOON + 3600)).toBe(true);
    expect(forcedEnded(plan, 120, WINTER_NOON + 3600)).toBe(false);
    expect(forcedEnded(AUTO_PLAN, 60, WINTER_NOON + 99999)).toBe(false);
  });
});

describe('the mode a plan asks for', () => {
  const plan = (windows: PlanWindow[]): SitePlan => ({ windows, source: { kind: 'plan_topic' } });

  it('is the mode of the window covering the moment, Auto outside every window', () => {
    // 12:20 UTC on a Thursday.
    const midday = { ...CHARGE_WINDOW, start: '12:00', end: '12:30', mode: 'discharge' as const };
    expect(activeMode(plan([CHARGE_WINDOW, midday]), WINTER_NOON, 'UTC')).toBe('discharge');
    expect(activeMode(plan([CHARGE_WINDOW]), WINTER_NOON, 'UTC')).toBe('auto');
    expect(activeMode(plan([{ ...midday, enabled: false }]), WINTER_NOON, 'UTC')).toBe('auto');
    expect(activeMode(plan([{ ...midday, days: daysMask(['fri']) }]), WINTER_NOON, 'UTC')).toBe(
      'auto',
    );
    expect(activeMode(AUTO_PLAN, WINTER_NOON, 'UTC')).toBe('auto');
  });

  it("follows a window over midnight into the next day, on the start day's bits", () => {
    const overnight = { ...CHARGE_WINDOW, start: '22:00', end: '13:00', days: daysMask(['wed']) };
    expect(activeMode(plan([overnight]), WINTER_NOON, 'UTC')).toBe('charge');
    const fromThursday = { ...overnight, days: daysMask(['thu']) };
    expect(activeMode(plan([fromThursday]), WINTER_NOON, 'UTC')).toBe('auto');
  });

  it('reads the time in the zone of the plan', () => {
    const local = { ...CHARGE_WINDOW, start: '14:30', end: '15:00', mode: 'charge' as const };
    expect(activeMode(plan([local]), SUMMER, 'Europe/London')).toBe('charge');
    expect(activeMode(plan([local]), SUMMER, 'UTC')).toBe('auto');
  });
});

describe('plan helpers', () => {
  it('counts a window end past midnight, and an empty window as empty', () => {
    expect(windowEnd(CHARGE_WINDOW)).toBe(270);
    expect(windowEnd({ ...CHARGE_WINDOW, start: '23:00', end: '01:00' })).toBe(1500);
    expect(windowEnd({ ...CHARGE_WINDOW, start: '23:00', end: '00:00' })).toBe(1440);
    expect(windowEnd({ ...CHARGE_WINDOW, start: '00:00', end: '24:00' })).toBe(1440);
    expect(windowEnd({ ...CHARGE_WINDOW, end: '01:30' })).toBe(90);
  });

  it('maps day names to days_of_week bits, Sunday first', () => {
    expect(daysMask(['sun'])).toBe(1);
    expect(daysMask(['mon', 'sat'])).toBe(0b1000010);
    expect(dayNames(0b1000010)).toEqual(['mon', 'sat']);
    expect(daysMask(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'])).toBe(EVERY_DAY);
  });

  it('names the battery modes the way the select shows them', () => {
    expect(PLAN_MODES.map(modeName)).toEqual(['Auto', 'Charge', 'Discharge']);
    expect(modeFromName('Discharge')).toBe('discharge');
    expect(modeFromName('discharge')).toBeUndefined();
  });

  it('sums a plan up in one line for its sensor, within 255 characters', () => {
    expect(planSummary(AUTO_PLAN)).toBe('Auto');
    const weekdays = { ...CHARGE_WINDOW, start: '16:00', end: '19:00', mode: 'discharge' as const };
    const summary = planSummary({
      windows: [CHARGE_WINDOW, { ...weekdays, days: daysMask(['mon', 'fri']), enabled: false }],
      source: { kind: 'plan_topic' },
    });
    expect(summary).toBe('Charge 01:30-04:30; Discharge 16:00-19:00 mon,fri (off)');
    const many = Array.from({ length: 24 }, () => ({ ...CHARGE_WINDOW, days: 1 }));
    const long = planSummary({ windows: many, source: { kind: 'plan_topic' } });
    expect(long).toHaveLength(255);
    expect(long.endsWith('…')).toBe(true);
  });
});
