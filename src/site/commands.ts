// The bridge's model of what a control asks for. A template names its control's command;
// COMMANDS says what that name means: which unit it addresses and what its value becomes.
// A new control for an existing command is one template entry, with no code.
import type { EvAction } from '../gateway/messages';
import { type PlanMode, modeFromName } from './plan';

/** A control's value once validated: a number, on/off, an option, or a press. */
export type ControlValue = number | boolean | string | null;

export type SlotEdge = 'start' | 'end';

/** A command to the gateway's command topic, in the wire contract's own names. */
export type GatewayIntent =
  | { command: 'set_charge_rate' | 'set_discharge_rate'; serial: string; power_w: number }
  | { command: 'set_reserve' | 'set_target_soc'; serial: string; target_soc: number }
  | { command: 'set_charge_enable' | 'set_discharge_enable'; serial: string; enable: boolean }
  | {
      command: 'set_charge_slot' | 'set_discharge_slot';
      serial: string;
      edge: SlotEdge;
      time: string;
    }
  | { command: 'inverter_reset'; serial: string }
  | { command: 'set_read_only'; enable: boolean };

export type Intent =
  | { kind: 'gateway'; intent: GatewayIntent }
  | { kind: 'ev'; action: EvAction }
  /** Build a plan that forces the battery for the configured time, or return to Auto. */
  | { kind: 'battery_mode'; mode: PlanMode }
  /** A setting of the bridge itself: nothing leaves for the gateway. */
  | { kind: 'forced_minutes'; minutes: number };

export type CommandTarget = 'inverter' | 'gateway' | 'ev_charger';

interface CommandSpec {
  target: CommandTarget;
  /**
   * What results call the command before its value is known: the wire's command or EV
   * action, the bridge's own name where nothing goes on the wire as such (a plan, a
   * setting), or null where the value picks the action (charging on or off).
   */
  name: string | null;
  /** The control's value, already checked against its range or options, as an intent. */
  intent(value: ControlValue, unit: UnitRef): Intent | string;
}

/** The unit a command is for: an inverter's serial, or the gateway's EV settings. */
export interface UnitRef {
  serial?: string;
  edge?: SlotEdge;
  evIdTag: string;
}

const integer = (value: ControlValue): number | undefined =>
  typeof value === 'number' && Number.isInteger(value) ? value : undefined;

function inverterNumber(
  command: 'set_charge_rate' | 'set_discharge_rate' | 'set_reserve' | 'set_target_soc',
): CommandSpec {
  return {
    target: 'inverter',
    name: command,
    intent(value, unit) {
      const n = integer(value);
      if (n === undefined || n < 0) return 'needs a whole number of 0 or more';
      if (command === 'set_charge_rate' || command === 'set_discharge_rate') {
        return { kind: 'gateway', intent: { command, serial: unit.serial ?? '', power_w: n } };
      }
      return { kind: 'gateway', intent: { command, serial: unit.serial ?? '', target_soc: n } };
    },
  };
}

function inverterSwitch(command: 'set_charge_enable' | 'set_discharge_enable'): CommandSpec {
  return {
    target: 'inverter',
    name: command,
    intent: (value, unit) =>
      typeof value === 'boolean'
        ? { kind: 'gateway', intent: { command, serial: unit.serial ?? '', enable: value } }
        : 'needs ON or OFF',
  };
}

function inverterSlot(command: 'set_charge_slot' | 'set_discharge_slot'): CommandSpec {
  return {
    target: 'inverter',
    name: command,
    intent(value, unit) {
      if (typeof value !== 'string' || !/^([01]\d|2[0-3]):[0-5]\d$/.test(value)) {
        return 'needs a time of day as HH:MM';
      }
      if (unit.edge === undefined) return 'the template does not say which end of the slot';
      const intent = { command, serial: unit.serial ?? '', edge: unit.edge, time: value };
      return { kind: 'gateway', intent };
    },
  };
}

export const COMMANDS: Readonly<Record<string, CommandSpec>> = {
  set_charge_rate: inverterNumber('set_charge_rate'),
  set_discharge_rate: inverterNumber('set_discharge_rate'),
  set_reserve: inverterNumber('set_reserve'),
  set_target_soc: inverterNumber('set_target_soc'),
  set_charge_enable: inverterSwitch('set_charge_enable'),
  set_discharge_enable: inverterSwitch('set_discharge_enable'),
  set_charge_slot: inverterSlot('set_charge_slot'),
  set_discharge_slot: inverterSlot('set_discharge_slot'),
  inverter_reset: {
    target: 'inverter',
    name: 'inverter_reset',
    intent: (_value, unit) => ({
      kind: 'gateway',
      intent: { command: 'inverter_reset', serial: unit.serial ?? '' },
    }),
  },
  set_read_only: {
    target: 'gateway',
    name: 'set_read_only',
    intent: (value) =>
      typeof value === 'boolean'
        ? { kind: 'gateway', intent: { command: 'set_read_only', enable: value } }
        : 'needs ON or OFF',
  },
  set_battery_mode: {
    target: 'gateway',
    name: 'set_battery_mode',
    intent(value) {
      const mode = typeof value === 'string' ? modeFromName(value) : undefined;
      return mode === undefined
        ? 'needs Auto, Charge or Discharge'
        : { kind: 'battery_mode', mode };
    },
  },
  set_forced_minutes: {
    target: 'gateway',
    name: 'set_forced_minutes',
    intent(value) {
      const minutes = integer(value);
      return minutes === undefined || minutes <= 0
        ? 'needs a whole number of minutes'
        : { kind: 'forced_minutes', minutes };
    },
  },
  ev_charging: {
    target: 'ev_charger',
    name: null,
    intent(value, unit) {
      if (typeof value !== 'boolean') return 'needs ON or OFF';
      const action: EvAction = value
        ? { action: 'RemoteStartTransaction', id_tag: unit.evIdTag }
        : { action: 'RemoteStopTransaction' };
      return { kind: 'ev', action };
    },
  },
  ev_current_limit: {
    target: 'ev_charger',
    name: 'SetChargingProfile',
    intent(value) {
      const amps = integer(value);
      return amps === undefined || amps <= 0
        ? 'needs a whole number of amperes'
        : { kind: 'ev', action: { action: 'SetChargingProfile', current_a: amps } };
    },
  },
};

/** The intent of a control's value, or why there is none. */
export function intentFor(command: string, value: ControlValue, unit: UnitRef): Intent | string {
  const spec = COMMANDS[command];
  if (spec === undefined) return `the bridge has no command '${command}'`;
  return spec.intent(value, unit);
}

/** What results call a command whose value is known: the same name the wire carries. */
export function intentName(intent: Intent): string {
  switch (intent.kind) {
    case 'gateway':
      return intent.intent.command;
    case 'ev':
      return intent.action.action;
    case 'battery_mode':
      return 'set_battery_mode';
    case 'forced_minutes':
      return 'set_forced_minutes';
  }
}

/** What results call a template's command before its value is known. */
export function commandName(command: string): string | null {
  return COMMANDS[command]?.name ?? null;
}

/** Templates naming a command the bridge does not know must stop start-up. */
export function unknownCommands(commands: Iterable<string>): string[] {
  return [...commands].filter((command) => COMMANDS[command] === undefined);
}
