import { parsePlan, planJson } from '../../src/homeassistant/plan-input';

const DEFAULTS = { power_w: 3600, reserve_soc: 4 };

describe('plan topic payloads', () => {
  it('takes a whole plan, filling what an entry leaves out', () => {
    const payload = JSON.stringify({
      entries: [
        { start: '01:30', end: '04:30', mode: 'charge' },
        {
          start: '16:00',
          end: '19:00',
          mode: 'discharge',
          power_w: 2500,
          target_soc: 20,
          days: ['mon', 'fri'],
          enabled: false,
        },
        { start: '23:00', end: '24:00', mode: 'discharge' },
      ],
    });
    expect(parsePlan(payload, DEFAULTS)).toEqual({
      ok: true,
      value: [
        {
          start: '01:30',
          end: '04:30',
          mode: 'charge',
          power_w: 3600,
          target_soc: 100,
          days: 127,
          enabled: true,
        },
        {
          start: '16:00',
          end: '19:00',
          mode: 'discharge',
          power_w: 2500,
          target_soc: 20,
          days: 0b0100010,
          enabled: false,
        },
        {
          start: '23:00',
          end: '24:00',
          mode: 'discharge',
          power_w: 3600,
          target_soc: 4,
          days: 127,
          enabled: true,
        },
      ],
    });
  });

  it('takes a bare list of entries, and an empty list as Auto', () => {
    expect(parsePlan('[]', DEFAULTS)).toEqual({ ok: true, value: [] });
    expect(parsePlan('{"entries":[]}', DEFAULTS)).toEqual({ ok: true, value: [] });
    expect(parsePlan('[{"start":"00:00","end":"06:00","mode":"auto"}]', DEFAULTS)).toEqual({
      ok: true,
      value: [
        {
          start: '00:00',
          end: '06:00',
          mode: 'auto',
          power_w: 0,
          target_soc: 0,
          days: 127,
          enabled: true,
        },
      ],
    });
  });

  it.each([
    ['not json', 'the plan is not JSON'],
    ['42', 'the plan must be object'],
    ['{"windows":[]}', "the plan must have required property 'entries'"],
    ['[{"start":"1:30","end":"04:30","mode":"charge"}]', 'the plan /entries/0/start must match'],
    ['[{"start":"24:00","end":"04:30","mode":"charge"}]', 'the plan /entries/0/start must match'],
    ['[{"start":"01:30","end":"04:60","mode":"charge"}]', 'the plan /entries/0/end must match'],
    [
      '[{"start":"01:30","end":"04:30","mode":"boost"}]',
      'the plan /entries/0/mode must be equal to one of the allowed values (auto, charge, discharge)',
    ],
    [
      '[{"start":"01:30","end":"04:30","mode":"charge","target_soc":101}]',
      'the plan /entries/0/target_soc must be <= 100',
    ],
    [
      '[{"start":"01:30","end":"04:30","mode":"charge","power_w":1.5}]',
      'the plan /entries/0/power_w must be integer',
    ],
    [
      '[{"start":"01:30","end":"04:30","mode":"charge","days":["monday"]}]',
      'the plan /entries/0/days/0 must be equal to one of the allowed values' +
        ' (sun, mon, tue, wed, thu, fri, sat)',
    ],
    [
      '[{"start":"01:30","end":"04:30","mode":"charge","days":[]}]',
      'the plan /entries/0/days must NOT have fewer than 1 items',
    ],
    [
      '[{"start":"01:30","end":"04:30","mode":"charge","extra":1}]',
      'the plan /entries/0 must NOT have additional properties',
    ],
  ])('refuses %s', (payload, reason) => {
    const result = parsePlan(payload, DEFAULTS);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason.startsWith(reason)).toBe(true);
  });

  it('never guesses a discharge floor the inverter does not report', () => {
    const unknownReserve = { power_w: 3600, reserve_soc: null };
    expect(
      parsePlan(
        '[{"start":"01:00","end":"03:00","mode":"charge"},' +
          '{"start":"16:00","end":"19:00","mode":"discharge"}]',
        unknownReserve,
      ),
    ).toEqual({
      ok: false,
      reason:
        'window 2 discharges without a target_soc, and the inverter does not report its' +
        ' reserve to stop at: give the window a target_soc',
    });
    expect(
      parsePlan('[{"start":"16:00","end":"19:00","mode":"discharge","target_soc":20}]', {
        power_w: 3600,
        reserve_soc: null,
      }),
    ).toEqual({
      ok: true,
      value: [
        {
          start: '16:00',
          end: '19:00',
          mode: 'discharge',
          power_w: 3600,
          target_soc: 20,
          days: 127,
          enabled: true,
        },
      ],
    });
  });

  it('does not read an oversized plan', () => {
    const huge = JSON.stringify({ entries: [], pad: 'x'.repeat(20000) });
    expect(parsePlan(huge, DEFAULTS)).toEqual({
      ok: false,
      reason: 'a plan of over 16384 bytes is not read',
    });
  });

  it('writes a plan back in the form the topic takes', () => {
    const parsed = parsePlan(
      '[{"start":"01:30","end":"04:30","mode":"charge","days":["sat","sun"]}]',
      DEFAULTS,
    );
    if (!parsed.ok) throw new Error(parsed.reason);
    const json = planJson(parsed.value);
    expect(json).toEqual({
      entries: [
        {
          start: '01:30',
          end: '04:30',
          mode: 'charge',
          power_w: 3600,
          target_soc: 100,
          days: ['sun', 'sat'],
          enabled: true,
        },
      ],
    });
    expect(parsePlan(JSON.stringify(json), DEFAULTS)).toEqual(parsed);
  });
});
