import { planProblem } from '../../src/site/plan-check';
import { EVERY_DAY, type PlanWindow, daysMask } from '../../src/site/plan';

const LIMITS = { max_power_w: 3600 };

function window(fields: Partial<PlanWindow>): PlanWindow {
  return {
    start: '01:00',
    end: '03:00',
    mode: 'charge',
    power_w: 3000,
    target_soc: 100,
    days: EVERY_DAY,
    enabled: true,
    ...fields,
  };
}

describe('what a plan may ask of the battery', () => {
  it('takes windows that last, within the battery, one at a time', () => {
    expect(
      planProblem(
        [
          window({}),
          window({ start: '03:00', end: '05:00', mode: 'discharge', target_soc: 20 }),
          window({ start: '23:00', end: '24:00', power_w: 3600 }),
        ],
        LIMITS,
      ),
    ).toBeUndefined();
    expect(planProblem([], LIMITS)).toBeUndefined();
  });

  it('refuses a window that starts and ends at the same time', () => {
    expect(planProblem([window({ end: '01:00' })], LIMITS)).toBe(
      'window 1 (Charge 01:00-01:00) starts and ends at the same time, so it would never run',
    );
    expect(planProblem([window({}), window({ start: '00:00', end: '00:00' })], LIMITS)).toBe(
      'window 2 (Charge 00:00-00:00) starts and ends at the same time, so it would never run',
    );
  });

  it('refuses more power than the rate controls allow', () => {
    expect(planProblem([window({ power_w: 999999 })], LIMITS)).toBe(
      "window 1 (Charge 01:00-03:00) asks for 999999 W, above the 3600 W the battery's rate" +
        ' controls allow',
    );
    expect(planProblem([window({ power_w: 3601, mode: 'discharge' })], LIMITS)).toBe(
      "window 1 (Discharge 01:00-03:00) asks for 3601 W, above the 3600 W the battery's rate" +
        ' controls allow',
    );
    expect(planProblem([window({ power_w: -1 })], LIMITS)).toBe(
      'window 1 (Charge 01:00-03:00) has power_w -1: it is a whole number of watts',
    );
    // An Auto window forces nothing, and its power is never sent.
    expect(planProblem([window({ mode: 'auto', power_w: 999999 })], LIMITS)).toBeUndefined();
  });

  it.each([101, -1, 50.5])('refuses target_soc %p', (soc) => {
    expect(planProblem([window({ target_soc: soc })], LIMITS)).toBe(
      `window 1 (Charge 01:00-03:00) has target_soc ${soc}: it is a percentage from 0 to 100`,
    );
  });

  it('refuses windows that overlap on a day they share', () => {
    expect(
      planProblem(
        [window({}), window({ start: '02:00', end: '04:00', mode: 'discharge' })],
        LIMITS,
      ),
    ).toBe(
      'windows 1 (Charge 01:00-03:00) and 2 (Discharge 02:00-04:00) overlap every day: the' +
        ' gateway runs one window at a time',
    );
    expect(
      planProblem(
        [
          window({ days: daysMask(['mon', 'tue', 'fri']) }),
          window({ start: '02:00', end: '04:00', days: daysMask(['tue', 'wed', 'fri']) }),
        ],
        LIMITS,
      ),
    ).toBe(
      'windows 1 (Charge 01:00-03:00) and 2 (Charge 02:00-04:00) overlap on tue, fri: the' +
        ' gateway runs one window at a time',
    );
  });

  it('takes windows at the same time of day on different days', () => {
    const plan = [
      window({ days: daysMask(['mon']) }),
      window({ start: '02:00', end: '04:00', days: daysMask(['tue']) }),
    ];
    expect(planProblem(plan, LIMITS)).toBeUndefined();
  });

  it('finds an overlap after midnight, also from Saturday night into Sunday', () => {
    expect(
      planProblem(
        [
          window({ start: '23:00', end: '02:00', days: daysMask(['sat']) }),
          window({ start: '01:00', end: '03:00', days: daysMask(['sun']) }),
        ],
        LIMITS,
      ),
    ).toBe(
      'windows 1 (Charge 23:00-02:00) and 2 (Charge 01:00-03:00) overlap on sun: the gateway' +
        ' runs one window at a time',
    );
    expect(
      planProblem(
        [
          window({ start: '23:00', end: '02:00', days: daysMask(['fri']) }),
          window({ start: '01:00', end: '03:00', days: daysMask(['sun']) }),
        ],
        LIMITS,
      ),
    ).toBeUndefined();
  });

  it('leaves a disabled window out of the overlap check: it never runs', () => {
    const plan = [window({}), window({ start: '02:00', end: '04:00', enabled: false })];
    expect(planProblem(plan, LIMITS)).toBeUndefined();
  });
});
