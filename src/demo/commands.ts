// What the demo gateway does with the commands, EV actions and plans it is sent, following
// the gateway's wire contract. Each function returns the changed site and what happened,
// so an accepted command shows in the next telemetry and a refused one says why.
import { type ExecutionPlan, type GatewayCommand, PLAN_MODE } from '../gateway/messages';
import { MAX_PLAN_ENTRIES } from '../gateway/plan';
import { decodeCommand, decodePlan } from '../gateway/wire';
import { DEFAULT_CONTROL, type DemoSite, PLAN_STALE_S } from './site';

export interface Outcome {
  site: DemoSite;
  accepted: boolean;
  /** One line for the log: what was applied, or why it was refused. */
  message: string;
}

const REMEMBERED_COMMAND_IDS = 50;

const PER_INVERTER = new Set([
  'set_charge_rate',
  'set_discharge_rate',
  'set_reserve',
  'set_target_soc',
  'set_charge_enable',
  'set_discharge_enable',
  'set_charge_slot',
  'set_discharge_slot',
  'inverter_reset',
]);

/** The command envelope is JSON; a bridge set to protobuf sends GatewayCommand instead. */
function parseCommand(payload: Uint8Array): GatewayCommand {
  const text = Buffer.from(payload).toString('utf8').trim();
  if (text.startsWith('{')) {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== 'object' || parsed === null) throw new Error('not a JSON object');
    return parsed as GatewayCommand;
  }
  return decodeCommand(payload);
}

export function applyCommandPayload(site: DemoSite, payload: Uint8Array): Outcome {
  let command: GatewayCommand;
  try {
    command = parseCommand(payload);
  } catch (error) {
    return refuse(site, `not a command envelope (${(error as Error).message})`);
  }
  return applyCommand(site, command);
}

export function applyCommand(previous: DemoSite, command: GatewayCommand): Outcome {
  const name = typeof command.command === 'string' ? command.command : '';
  const id = typeof command.command_id === 'string' ? command.command_id : '';
  if (name === '') return refuse(previous, "the envelope has no 'command'");
  if (id !== '' && previous.recent_command_ids.includes(id)) {
    return refuse(previous, `${name} ${id} was already applied; a repeat is ignored`);
  }
  if (name !== 'set_read_only' && !PER_INVERTER.has(name)) {
    return refuse(previous, `unknown command '${name}'`);
  }
  if (name !== 'set_read_only') {
    const problem = targetProblem(previous, command.serial);
    if (problem !== undefined) return refuse(previous, `${name}: ${problem}`);
  }
  const site = structuredClone(previous);
  const problem = apply(site, name, command);
  if (problem !== undefined) return refuse(previous, `${name}: ${problem}`);
  if (id !== '') {
    site.recent_command_ids = [...site.recent_command_ids, id].slice(-REMEMBERED_COMMAND_IDS);
  }
  return { site, accepted: true, message: `applied ${name}${describe(command)}` };
}

function targetProblem(site: DemoSite, serial: unknown): string | undefined {
  if (typeof serial !== 'string' || serial === '') return "no inverter 'serial' given";
  if (site.read_only) return 'the gateway is read-only (set_read_only false to allow control)';
  if (serial === site.ems_serial) return undefined;
  if (site.units.some((unit) => unit.serial === serial)) {
    return `${serial} is led by the EMS ${site.ems_serial} and is read-only; command the EMS`;
  }
  return `no inverter ${serial} on this gateway`;
}

/** Changes the site as the command says; returns why not when a field is missing or wrong. */
function apply(site: DemoSite, name: string, command: GatewayCommand): string | undefined {
  const c = site.control;
  const maxRate = site.units.reduce((sum, unit) => sum + unit.rate_max_w, 0);
  switch (name) {
    case 'set_charge_rate':
    case 'set_discharge_rate': {
      const watts = command.power_w;
      if (!isWhole(watts, 0, maxRate)) return `power_w must be a whole number from 0 to ${maxRate}`;
      if (name === 'set_charge_rate') c.charge_rate_w = watts;
      else c.discharge_rate_w = watts;
      return undefined;
    }
    case 'set_reserve':
    case 'set_target_soc': {
      const soc = command.target_soc;
      if (!isWhole(soc, 0, 100)) return 'target_soc must be a whole number from 0 to 100';
      if (name === 'set_reserve') c.reserve_soc = soc;
      else c.target_soc = soc;
      return undefined;
    }
    case 'set_charge_enable':
    case 'set_discharge_enable':
    case 'set_read_only': {
      if (typeof command.enable !== 'boolean') return 'enable must be true or false';
      if (name === 'set_charge_enable') c.charge_enabled = command.enable;
      else if (name === 'set_discharge_enable') c.discharge_enabled = command.enable;
      else site.read_only = command.enable;
      return undefined;
    }
    case 'set_charge_slot':
    case 'set_discharge_slot':
      return applySlot(site, name === 'set_charge_slot' ? 'charge' : 'discharge', command);
    case 'inverter_reset':
      site.control = { ...DEFAULT_CONTROL };
      site.plan = null;
      return undefined;
    default:
      return `unknown command '${name}'`;
  }
}

function applySlot(
  site: DemoSite,
  kind: 'charge' | 'discharge',
  command: GatewayCommand,
): string | undefined {
  let slot: unknown;
  try {
    slot = JSON.parse(String(command.schedule_json ?? ''));
  } catch {
    return 'schedule_json must be a JSON string such as {"start": 130}';
  }
  const fields = (typeof slot === 'object' && slot !== null ? slot : {}) as Record<string, unknown>;
  const edge = 'start' in fields ? 'start' : 'end' in fields ? 'end' : undefined;
  const value = edge === undefined ? undefined : fields[edge];
  if (edge === undefined || !isHhmm(value)) {
    return 'schedule_json must hold start or end as HHMM (130 = 01:30, 2400 = midnight)';
  }
  site.control[`${kind}_${edge}`] = value;
  return undefined;
}

/** An EV charger action on …/ev/command. */
export function applyEvPayload(previous: DemoSite, payload: Uint8Array): Outcome {
  let action: Record<string, unknown>;
  try {
    const parsed = JSON.parse(Buffer.from(payload).toString('utf8')) as unknown;
    if (typeof parsed !== 'object' || parsed === null) throw new Error('not a JSON object');
    action = parsed as Record<string, unknown>;
  } catch (error) {
    return refuse(previous, `not an EV action (${(error as Error).message})`);
  }
  const site = structuredClone(previous);
  const ev = site.ev;
  switch (action.action) {
    case 'SetChargingProfile': {
      const amps = action.current_a;
      if (!isWhole(amps, 0, ev.max_current_a) || (amps > 0 && amps < 6)) {
        return refuse(
          previous,
          `SetChargingProfile: current_a must be 0 or 6 to ${ev.max_current_a}`,
        );
      }
      ev.current_limit_a = amps;
      return { site, accepted: true, message: `EV current limit set to ${amps} A` };
    }
    case 'RemoteStartTransaction':
      if (!ev.connected) return refuse(previous, 'RemoteStartTransaction: no car is connected');
      if (!ev.session_active) {
        ev.session_active = true;
        ev.session_energy_wh = 0;
        ev.session_secs = 0;
        ev.status = 'Charging';
      }
      return { site, accepted: true, message: 'EV charging session started' };
    case 'RemoteStopTransaction':
      ev.session_active = false;
      ev.power_w = 0;
      ev.status = ev.connected ? 'Finishing' : 'Available';
      return { site, accepted: true, message: 'EV charging session stopped' };
    default:
      return refuse(previous, `unknown EV action '${String(action.action)}'`);
  }
}

/** An ExecutionPlan on …/schedule: newer versions replace the plan, the same one refreshes it. */
export function applyPlanPayload(previous: DemoSite, payload: Uint8Array, ms: number): Outcome {
  if (payload.length === 0) {
    const site = structuredClone(previous);
    site.plan = null;
    return { site, accepted: true, message: 'plan cleared' };
  }
  let plan: ExecutionPlan;
  try {
    plan = decodePlan(payload);
  } catch (error) {
    return refuse(previous, `not an ExecutionPlan (${(error as Error).message})`);
  }
  return applyPlan(previous, plan, ms);
}

export function applyPlan(previous: DemoSite, plan: ExecutionPlan, ms: number): Outcome {
  const current = previous.plan;
  if (ms / 1000 - plan.timestamp > PLAN_STALE_S) {
    return refuse(previous, `plan ${plan.plan_version} is stale (built at ${plan.timestamp})`);
  }
  if (current !== null && plan.plan_version < current.plan_version) {
    return refuse(
      previous,
      `plan ${plan.plan_version} is older than plan ${current.plan_version}; it is skipped`,
    );
  }
  const site = structuredClone(previous);
  if (current !== null && plan.plan_version === current.plan_version) {
    site.plan = { ...current, timestamp: plan.timestamp };
    return { site, accepted: true, message: `plan ${plan.plan_version} refreshed` };
  }
  const entries = plan.entries
    .filter((e) => e.start_hour * 60 + e.start_minute !== e.end_hour * 60 + e.end_minute)
    .slice(0, MAX_PLAN_ENTRIES);
  site.plan = { ...plan, entries };
  // Entries for the inverter's own registers become its schedule slots.
  for (const entry of entries.filter((e) => e.enabled && e.use_native)) {
    if (entry.mode !== PLAN_MODE.charge && entry.mode !== PLAN_MODE.discharge) continue;
    const kind = entry.mode === PLAN_MODE.charge ? 'charge' : 'discharge';
    site.control[`${kind}_start`] = entry.start_hour * 100 + entry.start_minute;
    site.control[`${kind}_end`] = entry.end_hour * 100 + entry.end_minute;
    if (kind === 'charge') site.control.target_soc = entry.target_soc;
  }
  const dropped = plan.entries.length - entries.length;
  return {
    site,
    accepted: true,
    message:
      `plan ${plan.plan_version} adopted with ${entries.length} entries` +
      (dropped > 0 ? ` (${dropped} empty or beyond the six the firmware holds were dropped)` : ''),
  };
}

function refuse(site: DemoSite, message: string): Outcome {
  return { site, accepted: false, message };
}

function isWhole(value: unknown, low: number, high: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= low && value <= high;
}

function isHhmm(value: unknown): value is number {
  return isWhole(value, 0, 2400) && value % 100 < 60;
}

function describe(command: GatewayCommand): string {
  const fields = (['serial', 'power_w', 'target_soc', 'enable', 'schedule_json'] as const)
    .filter((key) => command[key] !== undefined)
    .map((key) => `${key}=${JSON.stringify(command[key])}`);
  return fields.length === 0 ? '' : ` (${fields.join(', ')})`;
}
