import { DateTime } from 'luxon';
import type { ExecutionPlan, PlanEntry } from '../../src/gateway/messages';
import { encodeCommand, encodePlan } from '../../src/gateway/wire';
import {
  applyCommand,
  applyCommandPayload,
  applyEvPayload,
  applyPlanPayload,
} from '../../src/demo/commands';
import { newDemoSite } from '../../src/demo/site';
import { CHARGE_ENTRY } from '../support/plans';

const ZONE = 'Europe/London';
const NOW = DateTime.fromISO('2026-06-21T12:00', { zone: ZONE }).toMillis();
const site = newDemoSite('pbgw_demo', NOW, ZONE);
const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

describe('the demo gateway: commands', () => {
  it('applies a command for the EMS and shows it in its controls', () => {
    const outcome = applyCommandPayload(
      site,
      json({ command: 'set_charge_rate', command_id: 'c1', serial: 'EMDEMO0001', power_w: 2500 }),
    );
    expect(outcome.accepted).toBe(true);
    expect(outcome.message).toBe('applied set_charge_rate (serial="EMDEMO0001", power_w=2500)');
    expect(outcome.site.control.charge_rate_w).toBe(2500);
    expect(outcome.site.recent_command_ids).toEqual(['c1']);
    // The site it was given is left as it was.
    expect(site.control.charge_rate_w).toBe(3600);
  });

  it('reads the protobuf envelope too', () => {
    const bytes = encodeCommand({
      command: 'set_reserve',
      command_id: 'c2',
      serial: 'EMDEMO0001',
      target_soc: 20,
    });
    const outcome = applyCommandPayload(site, bytes);
    expect(outcome.message).toBe('applied set_reserve (serial="EMDEMO0001", target_soc=20)');
    expect(outcome.site.control.reserve_soc).toBe(20);
  });

  it.each([
    [
      { command: 'set_charge_rate', command_id: 'c', serial: 'CHDEMO0001', power_w: 100 },
      'set_charge_rate: CHDEMO0001 is led by the EMS EMDEMO0001 and is read-only; command the EMS',
    ],
    [
      { command: 'set_charge_rate', command_id: 'c', serial: 'NOPE', power_w: 100 },
      'set_charge_rate: no inverter NOPE on this gateway',
    ],
    [
      { command: 'set_charge_rate', command_id: 'c', serial: 'EMDEMO0001', power_w: 99999 },
      'set_charge_rate: power_w must be a whole number from 0 to 7200',
    ],
    [
      { command: 'set_target_soc', command_id: 'c', serial: 'EMDEMO0001', target_soc: 101 },
      'set_target_soc: target_soc must be a whole number from 0 to 100',
    ],
    [
      {
        command: 'set_charge_slot',
        command_id: 'c',
        serial: 'EMDEMO0001',
        schedule_json: '{"start": 175}',
      },
      'set_charge_slot: schedule_json must hold start or end as HHMM' +
        ' (130 = 01:30, 2400 = midnight)',
    ],
    [{ command: 'set_the_clock', command_id: 'c' }, "unknown command 'set_the_clock'"],
    [{ command_id: 'c' }, "the envelope has no 'command'"],
  ])('refuses %j saying why', (command, message) => {
    const outcome = applyCommandPayload(site, json(command));
    expect(outcome).toEqual({ site, accepted: false, message });
  });

  it('refuses a payload that is no envelope', () => {
    expect(applyCommandPayload(site, Buffer.from([0xff, 0x01])).message).toMatch(
      /^not a command envelope \(/,
    );
  });

  it('sets a schedule slot edge from schedule_json', () => {
    const outcome = applyCommand(site, {
      command: 'set_discharge_slot',
      command_id: 'c3',
      serial: 'EMDEMO0001',
      schedule_json: '{"end": 1930}',
    });
    expect(outcome.site.control.discharge_end).toBe(1930);
  });

  it('ignores a command id it already applied', () => {
    const command = {
      command: 'set_charge_enable',
      command_id: 'c4',
      serial: 'EMDEMO0001',
      enable: false,
    };
    const once = applyCommand(site, command);
    const twice = applyCommand(once.site, { ...command, enable: true });
    expect(twice.accepted).toBe(false);
    expect(twice.message).toBe('set_charge_enable c4 was already applied; a repeat is ignored');
    expect(twice.site.control.charge_enabled).toBe(false);
  });

  it('takes no inverter command while read-only, and leaves read-only on request', () => {
    const readOnly = applyCommand(site, {
      command: 'set_read_only',
      command_id: 'r1',
      enable: true,
    });
    expect(readOnly.site.read_only).toBe(true);
    const refused = applyCommand(readOnly.site, {
      command: 'set_reserve',
      command_id: 'r2',
      serial: 'EMDEMO0001',
      target_soc: 10,
    });
    expect(refused.message).toBe(
      'set_reserve: the gateway is read-only (set_read_only false to allow control)',
    );
    const back = applyCommand(readOnly.site, {
      command: 'set_read_only',
      command_id: 'r3',
      enable: false,
    });
    expect(back.site.read_only).toBe(false);
  });
});

describe('the demo gateway: EV actions', () => {
  it('starts and stops a session and limits its current', () => {
    const started = applyEvPayload(
      site,
      json({ action: 'RemoteStartTransaction', id_tag: 'predbat' }),
    );
    expect(started.message).toBe('EV charging session started');
    expect(started.site.ev).toMatchObject({ session_active: true, status: 'Charging' });
    const limited = applyEvPayload(
      started.site,
      json({ action: 'SetChargingProfile', current_a: 10 }),
    );
    expect(limited.message).toBe('EV current limit set to 10 A');
    expect(limited.site.ev.current_limit_a).toBe(10);
    const stopped = applyEvPayload(limited.site, json({ action: 'RemoteStopTransaction' }));
    expect(stopped.site.ev).toMatchObject({
      session_active: false,
      status: 'Finishing',
      power_w: 0,
    });
  });

  it('refuses a current the charger cannot take', () => {
    expect(applyEvPayload(site, json({ action: 'SetChargingProfile', current_a: 3 })).message).toBe(
      'SetChargingProfile: current_a must be 0 or 6 to 32',
    );
  });
});

describe('the demo gateway: plans', () => {
  const entry = (overrides: Partial<PlanEntry>): PlanEntry => ({ ...CHARGE_ENTRY, ...overrides });
  const plan = (version: number, entries: PlanEntry[]): ExecutionPlan => ({
    timestamp: NOW / 1000,
    plan_version: version,
    timezone: 'GMT0BST,M3.5.0/1,M10.5.0',
    entries,
  });

  it('adopts a newer plan, writes native entries to the schedule, and skips older ones', () => {
    const adopted = applyPlanPayload(
      site,
      encodePlan(plan(5, [entry({ use_native: true }), entry({ start_hour: 4, end_hour: 4 })])),
      NOW,
    );
    expect(adopted.message).toBe(
      'plan 5 adopted with 1 entries (1 empty or beyond the six the firmware holds were dropped)',
    );
    expect(adopted.site.control).toMatchObject({
      charge_start: 130,
      charge_end: 430,
      target_soc: 90,
    });
    const older = applyPlanPayload(adopted.site, encodePlan(plan(4, [])), NOW);
    expect(older).toEqual({
      site: adopted.site,
      accepted: false,
      message: 'plan 4 is older than plan 5; it is skipped',
    });
    const refreshed = applyPlanPayload(
      adopted.site,
      encodePlan({ ...plan(5, []), timestamp: NOW / 1000 + 300 }),
      NOW,
    );
    expect(refreshed.message).toBe('plan 5 refreshed');
    expect(refreshed.site.plan?.entries).toHaveLength(1);
    expect(refreshed.site.plan?.timestamp).toBe(NOW / 1000 + 300);
  });

  it('refuses a stale plan and bytes that are no plan', () => {
    const stale = applyPlanPayload(
      site,
      encodePlan({ ...plan(9, []), timestamp: NOW / 1000 - 3600 }),
      NOW,
    );
    expect(stale.message).toBe(`plan 9 is stale (built at ${NOW / 1000 - 3600})`);
    expect(applyPlanPayload(site, Buffer.from([0xff, 0xff, 0xff]), NOW).message).toMatch(
      /^not an ExecutionPlan \(/,
    );
  });
});
