// What became of a command, for the user: published as JSON on the gateway's result topic,
// kept as the gateway's "Last command" sensor, and said once in the log.
import { isoTime } from '../site/values';

export type CommandStatus = 'sent' | 'confirmed' | 'rejected' | 'not_applied' | 'expired';

/** What a result says about the command, whatever became of it. */
export interface CommandSubject {
  /**
   * The wire command or EV action, the same whether it was sent or not (the bridge's own
   * name for a plan or a setting); null when the value picked none (neither ON nor OFF).
   */
  command: string | null;
  /** Unique per command that left the bridge; null for those that never did. */
  command_id: string | null;
  /** The entity as Home Assistant first named it, or the topic when there is none. */
  entity: string;
  /** The inverter serial, charge point id or gateway id the command is for. */
  device: string | null;
  value: unknown;
}

export interface CommandResult extends CommandSubject {
  status: CommandStatus;
  reason: string | null;
  /** ISO 8601 time of this outcome. */
  at: string | null;
}

export function commandResult(
  subject: CommandSubject,
  status: CommandStatus,
  reason: string | null,
  nowMs: number,
): CommandResult {
  return {
    command: subject.command,
    command_id: subject.command_id,
    entity: subject.entity,
    device: subject.device,
    value: subject.value,
    status,
    reason,
    at: isoTime(Math.floor(nowMs / 1000)),
  };
}

/** The sensor's state before any command: every key present, so templates always render. */
export const NO_RESULT: Record<keyof CommandResult, null> = {
  command: null,
  command_id: null,
  entity: null,
  device: null,
  value: null,
  status: null,
  reason: null,
  at: null,
};

/** One log line per outcome, naming the device and what the user can do. */
export function resultMessage(gatewayId: string, result: CommandResult): string {
  const device = result.device ?? gatewayId;
  // A button's command carries no value.
  const value = result.value === null ? '' : ` ${JSON.stringify(result.value)}`;
  const what = `${result.command ?? 'command'}${value} for '${device}'`;
  switch (result.status) {
    case 'sent':
      return `sent ${what} to gateway '${gatewayId}'`;
    case 'confirmed':
      return `${what} confirmed${result.reason ? `: ${result.reason}` : ' by telemetry'}`;
    case 'rejected':
      return `did not send ${what}: ${result.reason ?? 'rejected'}`;
    case 'not_applied':
      return (
        `${what} was not applied: ${result.reason ?? 'telemetry still differs'};` +
        ' Home Assistant shows the reported value; check the inverter and try again'
      );
    case 'expired':
      return `${what} expired: ${result.reason ?? 'too old to send'}; give the command again`;
  }
}
