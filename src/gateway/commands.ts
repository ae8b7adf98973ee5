// What the bridge sends a gateway, as deployed gateways read it: the command envelope
// (JSON by default, or a protobuf GatewayCommand), EV charger actions, and their topics.
// Plain functions of their input, so a gateway stand-in can decode with the same code.
import type { GatewayIntent } from '../site/commands';
import type { EvAction, GatewayCommand } from './messages';
import { decodeCommand, encodeCommand } from './wire';

export type CommandEncoding = 'json' | 'protobuf';

// `id` is the gateway's own id, as its status topic carried it: the wire contract's `{id}`,
// which the gateway subscribes to, so it is never encoded here. Having been one topic level,
// it holds no '/', '+' or '#' (ids kept across restarts are checked for that when read).
export function commandTopic(gatewayPrefix: string, id: string): string {
  return `${gatewayPrefix}/${id}/command`;
}

export function scheduleTopic(gatewayPrefix: string, id: string): string {
  return `${gatewayPrefix}/${id}/schedule`;
}

export function evCommandTopic(gatewayPrefix: string, id: string): string {
  return `${gatewayPrefix}/${id}/ev/command`;
}

/**
 * A local "HH:MM" as the gateway's HHMM number (01:30 → 130). A slot ending at 00:00 ends
 * at midnight at the end of its day, which the gateway writes as 2400.
 */
export function hhmm(time: string, edge: 'start' | 'end'): number {
  const [hours, minutes] = time.split(':').map(Number);
  const value = (hours ?? 0) * 100 + (minutes ?? 0);
  return edge === 'end' && value === 0 ? 2400 : value;
}

/** The envelope for an intent, with the id that makes it unique. */
export function gatewayCommand(intent: GatewayIntent, commandId: string): GatewayCommand {
  const envelope: GatewayCommand = { command: intent.command, command_id: commandId };
  switch (intent.command) {
    case 'set_charge_rate':
    case 'set_discharge_rate':
      return { ...envelope, serial: intent.serial, power_w: intent.power_w };
    case 'set_reserve':
    case 'set_target_soc':
      return { ...envelope, serial: intent.serial, target_soc: intent.target_soc };
    case 'set_charge_enable':
    case 'set_discharge_enable':
      return { ...envelope, serial: intent.serial, enable: intent.enable };
    case 'set_charge_slot':
    case 'set_discharge_slot': {
      const scheduleJson = JSON.stringify({ [intent.edge]: hhmm(intent.time, intent.edge) });
      return { ...envelope, serial: intent.serial, schedule_json: scheduleJson };
    }
    case 'inverter_reset':
      return { ...envelope, serial: intent.serial };
    case 'set_read_only':
      return { ...envelope, enable: intent.enable };
  }
}

const ENVELOPE_ORDER: Array<keyof GatewayCommand> = [
  'command',
  'command_id',
  'serial',
  'power_w',
  'target_soc',
  'enable',
  'schedule_json',
];

/** The JSON envelope, fields in the contract's order and only those the command has. */
export function commandJson(command: GatewayCommand): string {
  const out: Record<string, unknown> = {};
  for (const key of ENVELOPE_ORDER) if (command[key] !== undefined) out[key] = command[key];
  return JSON.stringify(out);
}

export function encodeCommandPayload(
  command: GatewayCommand,
  encoding: CommandEncoding,
): string | Uint8Array {
  return encoding === 'protobuf' ? encodeCommand(command) : commandJson(command);
}

/** What a gateway reads from its command topic; throws on a payload that is neither. */
export function decodeCommandPayload(
  payload: Uint8Array,
  encoding: CommandEncoding,
): GatewayCommand {
  if (encoding === 'protobuf') return decodeCommand(payload);
  const parsed: unknown = JSON.parse(Buffer.from(payload).toString('utf8'));
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error('a command envelope is a JSON object');
  }
  return parsed as GatewayCommand;
}

/** An EV action as the wire contract spells it, keys in its order. */
export function evActionJson(action: EvAction): string {
  switch (action.action) {
    case 'SetChargingProfile':
      return JSON.stringify({ action: action.action, current_a: action.current_a });
    case 'RemoteStartTransaction':
      return JSON.stringify({ action: action.action, id_tag: action.id_tag });
    case 'RemoteStopTransaction':
      return JSON.stringify({ action: action.action });
  }
}
