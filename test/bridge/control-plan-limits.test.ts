// Plans the battery could not run as they say are refused before anything is sent: empty
// or overlapping windows, more power than the rate controls allow, a discharge with no
// known floor, and any forcing plan for a gateway none of whose inverters takes commands.
import { decodePlan } from '../../src/gateway/wire';
import { GW, SCHEDULE_TOPIC, T0, harness, lastState, resultAt } from '../support/control-harness';
import { fixtureBytes } from '../support/fixtures';
import { telemetry } from '../support/telemetry';

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

const T0S = T0 / 1000;
const PLAN_SET = `predbat_bridge/${GW}/plan/set`;
const PLAN_STATE = `predbat_bridge/${GW}/plan/state`;
const GATEWAY_STATE = `predbat_bridge/${GW}/state`;

function started(status: Uint8Array = fixtureBytes('single-givenergy'), id = GW) {
  const h = harness({ commandDebounceMs: 0 });
  h.bridge.handleStatus(id, status);
  h.sent();
  h.results();
  return h;
}

function rejected(command: string, entity: string, device: string, value: unknown, reason: string) {
  const at = resultAt(0);
  return { command, command_id: null, entity, device, value, status: 'rejected', reason, at };
}

describe('plans the battery cannot run as they say', () => {
  it('refuses a window that starts and ends at the same time, and keeps the plan in force', () => {
    const h = started();
    h.set(`${GW}/plan/set`, '[{"start":"16:00","end":"19:00","mode":"discharge"}]');
    expect(h.sent().map((s) => decodePlan(s.bytes).entries.length)).toEqual([1]);
    h.results();
    const planState = lastState(h.ha, PLAN_STATE);
    const published = h.ha.published.filter((p) => p.topic === PLAN_STATE).length;

    h.set(`${GW}/plan/set`, '[{"start":"01:00","end":"01:00","mode":"charge"}]');
    expect(h.sent()).toEqual([]);
    const asRead = {
      entries: [
        {
          start: '01:00',
          end: '01:00',
          mode: 'charge',
          power_w: 3600,
          target_soc: 100,
          days: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'],
          enabled: true,
        },
      ],
    };
    expect(h.results()).toEqual([
      rejected(
        'set_plan',
        PLAN_SET,
        GW,
        asRead,
        "the plan's window 1 (Charge 01:00-01:00) starts and ends at the same time, so it" +
          ' would never run',
      ),
    ]);
    expect(h.ha.published.filter((p) => p.topic === PLAN_STATE)).toHaveLength(published);
    expect(lastState(h.ha, PLAN_STATE)).toEqual(planState);
    expect(lastState(h.ha, GATEWAY_STATE).plan).toEqual(planState);
    expect(planState).toMatchObject({ summary: 'Discharge 16:00-19:00', version: T0S });
  });

  it.each([
    [
      'more power than the rate controls allow',
      '[{"start":"01:00","end":"03:00","mode":"charge","power_w":999999}]',
      "the plan's window 1 (Charge 01:00-03:00) asks for 999999 W, above the 3600 W the" +
        " battery's rate controls allow",
    ],
    [
      'windows that overlap',
      '[{"start":"01:00","end":"03:00","mode":"charge"},' +
        '{"start":"02:00","end":"04:00","mode":"discharge","days":["sat","sun"]}]',
      "the plan's windows 1 (Charge 01:00-03:00) and 2 (Discharge 02:00-04:00) overlap on sun," +
        ' sat: the gateway runs one window at a time',
    ],
    [
      'a target SOC over 100',
      '[{"start":"01:00","end":"03:00","mode":"charge","target_soc":101}]',
      'the plan /entries/0/target_soc must be <= 100',
    ],
  ])('refuses %s', (_what, payload, reason) => {
    const h = started();
    h.set(`${GW}/plan/set`, payload);
    expect(h.sent()).toEqual([]);
    expect(h.results()).toEqual([rejected('set_plan', PLAN_SET, GW, expect.anything(), reason)]);
    expect(lastState(h.ha, PLAN_STATE)).toMatchObject({ summary: 'Auto', version: null });
  });

  it('bounds power by the max_rate_w option when the battery reports no maximum', () => {
    const h = started(fixtureBytes('mixed-solis-deye'), 'pbgw_mix777');
    const plan = (power: number) =>
      `[{"start":"01:00","end":"03:00","mode":"charge","power_w":${power}}]`;
    h.set('pbgw_mix777/plan/set', plan(5001));
    h.set('pbgw_mix777/plan/set', plan(5000));
    expect(h.sent().map((s) => [s.topic, decodePlan(s.bytes).entries[0]?.power_w])).toEqual([
      ['predbat/devices/pbgw_mix777/schedule', 5000],
    ]);
    expect(h.results().map((r) => [r.status, r.reason])).toEqual([
      [
        'rejected',
        "the plan's window 1 (Charge 01:00-03:00) asks for 5001 W, above the 5000 W the" +
          " battery's rate controls allow",
      ],
      ['sent', `plan_version ${T0S}`],
    ]);
  });
});

describe('a gateway with no inverter that accepts commands', () => {
  const MIN = 'pbgw_min000';
  const NO_PLAN =
    "gateway 'pbgw_min000' has no inverter that accepts commands (each reports managed:" +
    ' false), so it takes no plan';

  it('has no battery mode, takes no plan, but may return to Auto', () => {
    const h = started(fixtureBytes('minimal'), MIN);
    // The gateway offers no Battery mode entity, so a stray command is refused as such.
    h.set(`${MIN}/battery_mode/set`, 'Discharge');
    const plan = '[{"start":"01:00","end":"03:00","mode":"discharge","target_soc":20}]';
    const planRead = {
      entries: [
        {
          start: '01:00',
          end: '03:00',
          mode: 'discharge',
          power_w: 5000,
          target_soc: 20,
          days: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'],
          enabled: true,
        },
      ],
    };
    h.set(`${MIN}/plan/set`, plan);
    // A discharge with no target_soc on this gateway is refused for the same reason.
    h.set(`${MIN}/plan/set`, '[{"start":"01:00","end":"03:00","mode":"discharge"}]');
    expect(h.sent()).toEqual([]);
    const results = h.results();
    expect(results[0]).toMatchObject({
      status: 'rejected',
      value: 'Discharge',
      reason:
        "'Predbat gateway pbgw_min000' is read-only: its gateway reports that it does not" +
        ' accept commands',
    });
    expect(results.slice(1)).toEqual([
      rejected('set_plan', `predbat_bridge/${MIN}/plan/set`, MIN, planRead, NO_PLAN),
      rejected(
        'set_plan',
        `predbat_bridge/${MIN}/plan/set`,
        MIN,
        '[{"start":"01:00","end":"03:00","mode":"discharge"}]',
        NO_PLAN,
      ),
    ]);
    h.set(`${MIN}/plan/set`, '[]');
    expect(h.sent().map((s) => [s.topic, decodePlan(s.bytes).entries])).toEqual([
      [`predbat/devices/${MIN}/schedule`, []],
    ]);
    expect(h.results().map((r) => r.status)).toEqual(['sent']);
  });
});

describe('a discharge whose floor is unknown', () => {
  const noControl = () =>
    telemetry('single-givenergy', (inverter) => {
      inverter.control = null;
    });

  it('is refused, never planned down to 0 %', () => {
    const h = started(noControl());
    h.set(`${GW}/battery_mode/set`, 'Discharge');
    h.set(`${GW}/plan/set`, '[{"start":"16:00","end":"19:00","mode":"discharge"}]');
    expect(h.sent()).toEqual([]);
    expect(h.results().map((r) => [r.command, r.status, r.reason])).toEqual([
      [
        'set_battery_mode',
        'rejected',
        "gateway 'pbgw_a1b2c3' does not report its inverter's reserve SOC, so a forced" +
          ' discharge has no floor to stop at: send a plan with a target_soc instead',
      ],
      [
        'set_plan',
        'rejected',
        'window 1 discharges without a target_soc, and the inverter does not report its' +
          ' reserve to stop at: give the window a target_soc',
      ],
    ]);
  });

  it('takes the floor a plan gives, and a forced charge still goes', () => {
    const h = started(noControl());
    h.set(`${GW}/plan/set`, '[{"start":"16:00","end":"19:00","mode":"discharge","target_soc":20}]');
    h.set(`${GW}/battery_mode/set`, 'Charge');
    const sent = h.sent();
    expect(sent.map((s) => s.topic)).toEqual([SCHEDULE_TOPIC, SCHEDULE_TOPIC]);
    expect(sent.map((s) => decodePlan(s.bytes).entries[0])).toEqual([
      expect.objectContaining({ mode: 2, power_w: 3600, target_soc: 20 }),
      expect.objectContaining({ mode: 1, power_w: 3600, target_soc: 100 }),
    ]);
  });
});
