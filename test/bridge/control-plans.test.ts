import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ControlStore, STORE_FILE } from '../../src/bridge/control-store';
import { silentLogger } from '../../src/bridge/logger';
import type { ExecutionPlan } from '../../src/gateway/messages';
import { decodePlan } from '../../src/gateway/wire';
import { GW, SCHEDULE_TOPIC, T0, harness, lastState } from '../support/control-harness';
import { fixtureBytes } from '../support/fixtures';
import { planEntry } from '../support/plans';

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

const T0S = T0 / 1000;
const LONDON = 'GMT0BST,M3.5.0/1,M10.5.0';
const THURSDAY = 0b0010000;
const GATEWAY_STATE = `predbat_bridge/${GW}/state`;

function started(overrides = {}, dataDir?: string) {
  const h = harness({ commandDebounceMs: 0, ...overrides }, dataDir);
  h.bridge.handleStatus(GW, fixtureBytes('single-givenergy'));
  h.sent();
  h.results();
  return h;
}

function plans(h: ReturnType<typeof harness>): ExecutionPlan[] {
  return h.sent().map((sent) => {
    expect(sent).toMatchObject({ topic: SCHEDULE_TOPIC, qos: 1, retain: true });
    return decodePlan(sent.bytes);
  });
}

const CHARGE_NOW = planEntry({
  start_hour: 12,
  start_minute: 20,
  end_hour: 13,
  end_minute: 20,
  mode: 1,
  power_w: 3600,
  target_soc: 100,
  days_of_week: THURSDAY,
});

describe('battery mode', () => {
  it('forces a charge for the set duration with an execution plan', () => {
    const h = started();
    h.set(`${GW}/battery_mode/set`, 'Charge');
    expect(plans(h)).toEqual([
      { timestamp: T0S, plan_version: T0S, timezone: LONDON, entries: [CHARGE_NOW] },
    ]);
    expect(h.results()).toEqual([
      expect.objectContaining({
        command: 'set_battery_mode',
        entity: 'select.predbat_pbgw_a1b2c3_battery_mode',
        value: 'Charge',
        status: 'sent',
        reason: `plan_version ${T0S}`,
      }),
    ]);
    const plan = {
      summary: 'Charge 12:20-13:20 thu',
      source: 'battery_mode',
      version: T0S,
      built_at: '2026-12-03T12:20:00Z',
      timezone: 'Europe/London',
      entries: [
        {
          start: '12:20',
          end: '13:20',
          mode: 'charge',
          power_w: 3600,
          target_soc: 100,
          days: ['thu'],
          enabled: true,
        },
      ],
    };
    // One shape wherever the plan is published: its own topic and the gateway's state.
    expect(lastState(h.ha, `predbat_bridge/${GW}/plan/state`)).toEqual(plan);
    expect(lastState(h.ha, GATEWAY_STATE)).toMatchObject({
      battery_mode: 'Charge',
      forced_mode_minutes: 60,
    });
    expect(lastState(h.ha, GATEWAY_STATE).plan).toEqual(plan);
  });

  it('discharges down to the reserve the inverter reports, for the duration set', () => {
    const h = started();
    h.set(`${GW}/forced_mode_minutes/set`, '30');
    h.set(`${GW}/battery_mode/set`, 'Discharge');
    const [plan] = plans(h);
    expect(plan?.entries).toEqual([
      planEntry({
        start_hour: 12,
        start_minute: 20,
        end_hour: 12,
        end_minute: 50,
        mode: 2,
        power_w: 3600,
        target_soc: 4,
        days_of_week: THURSDAY,
      }),
    ]);
  });

  it('gives every new plan a higher version, also within one second', () => {
    const h = started();
    h.set(`${GW}/battery_mode/set`, 'Charge');
    h.set(`${GW}/battery_mode/set`, 'Auto');
    h.advance(1000);
    h.set(`${GW}/battery_mode/set`, 'Discharge');
    expect(plans(h).map((p) => [p.plan_version, p.entries.length])).toEqual([
      [T0S, 1],
      [T0S + 1, 0],
      [T0S + 2, 1],
    ]);
  });

  it('refreshes the plan in force with a fresh timestamp and the same version', () => {
    const h = started({ planRefreshSeconds: 300 });
    h.set(`${GW}/battery_mode/set`, 'Charge');
    plans(h);
    h.advance(299000);
    h.bridge.tick();
    expect(plans(h)).toEqual([]);
    h.advance(1000);
    h.bridge.tick();
    expect(plans(h)).toEqual([
      { timestamp: T0S + 300, plan_version: T0S, timezone: LONDON, entries: [CHARGE_NOW] },
    ]);
  });

  it('returns to Auto once the forced mode is over, so it does not recur next week', () => {
    const h = started();
    h.set(`${GW}/battery_mode/set`, 'Charge');
    plans(h);
    h.results();
    h.advance(3600000);
    h.bridge.tick();
    expect(plans(h)).toEqual([
      { timestamp: T0S + 3600, plan_version: T0S + 3600, timezone: LONDON, entries: [] },
    ]);
    expect(h.results()).toEqual([
      expect.objectContaining({ command: 'set_battery_mode', value: 'Auto', status: 'sent' }),
    ]);
    expect(lastState(h.ha, GATEWAY_STATE).battery_mode).toBe('Auto');
  });

  it('stretches a running forced mode when its duration changes', () => {
    const h = started();
    h.set(`${GW}/battery_mode/set`, 'Charge');
    plans(h);
    h.advance(60000);
    h.results();
    h.set(`${GW}/forced_mode_minutes/set`, '120');
    expect(plans(h).map((p) => p.entries)).toEqual([[{ ...CHARGE_NOW, end_hour: 14 }]]);
    expect(lastState(h.ha, GATEWAY_STATE).forced_mode_minutes).toBe(120);
    // The duration is the bridge's own setting; the plan it re-sends is the battery mode's.
    expect(h.results().map((r) => [r.command, r.entity, r.value, r.status])).toEqual([
      ['set_forced_minutes', `number.predbat_${GW}_forced_mode_minutes`, 120, 'confirmed'],
      ['set_battery_mode', `select.predbat_${GW}_battery_mode`, 'Charge', 'sent'],
    ]);
  });

  it('does not send Auto again when there is no plan', () => {
    const h = started();
    h.set(`${GW}/battery_mode/set`, 'Auto');
    expect(plans(h)).toEqual([]);
    expect(h.results()).toEqual([
      expect.objectContaining({ status: 'confirmed', reason: 'already so: nothing was sent' }),
    ]);
  });

  it('waits for the gateway broker, then sends with the version of that moment', () => {
    const h = started({ commandFreshSeconds: 60 });
    h.gateways.connected = false;
    h.set(`${GW}/battery_mode/set`, 'Charge');
    h.advance(30000);
    h.bridge.tick();
    expect(plans(h)).toEqual([]);
    h.gateways.connected = true;
    h.control.onGatewayConnect();
    expect(plans(h).map((p) => [p.timestamp, p.plan_version])).toEqual([[T0S + 30, T0S + 30]]);
  });
});

describe('plan topic', () => {
  it('sends an automation plan, and an empty list returns to Auto', () => {
    const h = started();
    h.set(
      `${GW}/plan/set`,
      JSON.stringify({
        entries: [
          { start: '23:30', end: '05:30', mode: 'charge', power_w: 3000, days: ['sat'] },
          { start: '16:00', end: '19:00', mode: 'discharge', target_soc: 20 },
        ],
      }),
    );
    h.set(`${GW}/plan/set`, '[]');
    const [first, second] = plans(h);
    expect(first).toEqual({
      timestamp: T0S,
      plan_version: T0S,
      timezone: LONDON,
      entries: [
        planEntry({
          start_hour: 23,
          start_minute: 30,
          end_hour: 24,
          mode: 1,
          power_w: 3000,
          target_soc: 100,
          days_of_week: 0b1000000,
        }),
        planEntry({
          end_hour: 5,
          end_minute: 30,
          mode: 1,
          power_w: 3000,
          target_soc: 100,
          days_of_week: 0b0000001,
        }),
        planEntry({ start_hour: 16, end_hour: 19, mode: 2, power_w: 3600, target_soc: 20 }),
      ],
    });
    expect(second).toEqual({
      timestamp: T0S,
      plan_version: T0S + 1,
      timezone: LONDON,
      entries: [],
    });
    expect(h.results().map((r) => [r.command, r.entity, r.status])).toEqual([
      ['set_plan', `predbat_bridge/${GW}/plan/set`, 'sent'],
      ['set_plan', `predbat_bridge/${GW}/plan/set`, 'sent'],
    ]);
  });

  it('refuses a plan the schema or the gateway cannot take', () => {
    const h = started();
    const seven = Array.from({ length: 7 }, (_, i) => ({
      start: `0${i}:00`,
      end: `0${i}:30`,
      mode: 'charge',
    }));
    h.set(`${GW}/plan/set`, JSON.stringify(seven));
    h.set(`${GW}/plan/set`, '{"entries": "soon"}');
    expect(plans(h)).toEqual([]);
    expect(h.results().map((r) => [r.status, r.reason])).toEqual([
      [
        'rejected',
        'the plan needs 7 entries (windows over midnight take two) and the gateway holds 6',
      ],
      ['rejected', 'the plan /entries must be array'],
    ]);
  });

  it('shows the battery mode move with the windows of the plan', () => {
    const h = started();
    h.set(`${GW}/plan/set`, '[{"start":"12:30","end":"13:00","mode":"discharge"}]');
    h.bridge.tick();
    expect(lastState(h.ha, GATEWAY_STATE).battery_mode).toBe('Auto');
    h.advance(600000);
    h.bridge.tick();
    expect(lastState(h.ha, GATEWAY_STATE).battery_mode).toBe('Discharge');
    // Auto clears the plan even while it waits for its next window.
    h.advance(1800000);
    h.bridge.tick();
    h.sent();
    h.set(`${GW}/battery_mode/set`, 'Auto');
    expect(plans(h).map((p) => p.entries)).toEqual([[]]);
  });
});

describe('across restarts', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'predbat-control-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('never reuses a plan version, and keeps refreshing the plan in force', () => {
    const first = started({}, dir);
    first.set(`${GW}/battery_mode/set`, 'Charge');
    first.set(`${GW}/battery_mode/set`, 'Discharge');
    expect(plans(first).map((p) => p.plan_version)).toEqual([T0S, T0S + 1]);
    first.control.stop();

    // The same second (or a clock set back): the saved version still wins.
    const second = harness({ commandDebounceMs: 0 }, dir);
    second.control.onGatewayConnect();
    expect(plans(second).map((p) => [p.plan_version, p.entries[0]?.mode])).toEqual([[T0S + 1, 2]]);
    second.bridge.handleStatus(GW, fixtureBytes('single-givenergy'));
    second.set(`${GW}/battery_mode/set`, 'Auto');
    expect(plans(second).map((p) => p.plan_version)).toEqual([T0S + 2]);
    const saved = JSON.parse(fs.readFileSync(path.join(dir, STORE_FILE), 'utf8'));
    expect(saved).toEqual({
      gateways: {
        [GW]: {
          plan_version: T0S + 2,
          plan: { windows: [], source: { kind: 'auto' } },
          plan_built_at: T0S,
          forced_mode_minutes: null,
          read_only: null,
        },
      },
    });
  });

  it('starts afresh from a damaged file, versions still growing with the clock', () => {
    fs.writeFileSync(path.join(dir, STORE_FILE), '{"gateways": {"x": {"plan_version": "many"}}}');
    const store = new ControlStore(dir, silentLogger());
    expect(store.ids()).toEqual([]);
    // An id that is no single topic level would put the plan on a wildcard topic.
    fs.writeFileSync(path.join(dir, STORE_FILE), '{"gateways": {"pbgw/#": {"plan_version": 5}}}');
    expect(new ControlStore(dir, silentLogger()).ids()).toEqual([]);
    fs.writeFileSync(path.join(dir, STORE_FILE), '{"gateways": {"pbgw_ok": {"plan_version": 5}}}');
    expect(new ControlStore(dir, silentLogger()).ids()).toEqual(['pbgw_ok']);
    fs.writeFileSync(path.join(dir, STORE_FILE), 'not json');
    const h = started({}, dir);
    h.set(`${GW}/battery_mode/set`, 'Charge');
    expect(plans(h).map((p) => p.plan_version)).toEqual([T0S]);
  });

  it('remembers the read-only flag it sent and the forced-mode duration', () => {
    const first = started({}, dir);
    first.set(`${GW}/read_only/set`, 'ON');
    first.set(`${GW}/forced_mode_minutes/set`, '45');
    const second = started({}, dir);
    expect(lastState(second.ha, GATEWAY_STATE)).toMatchObject({
      read_only: 'ON',
      forced_mode_minutes: 45,
    });
  });
});
