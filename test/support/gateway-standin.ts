// A gateway stand-in on a real broker: it decodes what the bridge sends it (commands in
// either encoding, execution plans, EV actions), applies commands to its telemetry the
// way a gateway would, and answers with that telemetry re-encoded by protobufjs.
import mqtt, { type MqttClient } from 'mqtt';
import { type CommandEncoding, decodeCommandPayload } from '../../src/gateway/commands';
import type {
  ExecutionPlan,
  GatewayCommand,
  GatewayStatus,
  InverterEntry,
} from '../../src/gateway/messages';
import { decodePlan, encodeStatus } from '../../src/gateway/wire';
import { fixtureStatus } from './telemetry';
import { Waiters } from './waiters';

export type Received =
  | { kind: 'command'; command: GatewayCommand; retain: boolean }
  | { kind: 'plan'; plan: ExecutionPlan; retain: boolean }
  | { kind: 'ev'; action: Record<string, unknown>; retain: boolean };

export interface StandIn {
  client: MqttClient;
  status: GatewayStatus;
  received: Received[];
  /** false: commands are received but not applied, as a gateway that ignores them. */
  obey: boolean;
  publishStatus(): Promise<void>;
  waitFor(predicate: (r: Received) => boolean, timeoutMs?: number): Promise<Received>;
  close(): Promise<void>;
}

export async function gatewayStandIn(
  url: string,
  fixture: string,
  encoding: CommandEncoding = 'json',
): Promise<StandIn> {
  const status = fixtureStatus(fixture);
  const id = status.device_id;
  const base = `predbat/devices/${id}`;
  // Quick to come back after a broker restart, before the bridge resends.
  const client = await mqtt.connectAsync(url, { reconnectPeriod: 100 });
  const received: Received[] = [];
  const waiters = new Waiters(received, () => 'the gateway received nothing');
  const standIn: StandIn = {
    client,
    status,
    received,
    obey: true,
    publishStatus: async () => {
      await client.publishAsync(`${base}/status`, Buffer.from(encodeStatus(status)), {
        qos: 1,
      });
    },
    waitFor: (predicate, timeoutMs = 8000) => waiters.waitFor(predicate, timeoutMs),
    close: () => client.endAsync(),
  };
  client.on('message', (topic, payload, packet) => {
    let item: Received;
    if (topic === `${base}/command`) {
      const command = decodeCommandPayload(payload, encoding);
      item = { kind: 'command', command, retain: packet.retain };
      if (standIn.obey) apply(status, command);
      void standIn.publishStatus();
    } else if (topic === `${base}/schedule`) {
      item = { kind: 'plan', plan: decodePlan(payload), retain: packet.retain };
    } else if (topic === `${base}/ev/command`) {
      const action = JSON.parse(payload.toString()) as Record<string, unknown>;
      item = { kind: 'ev', action, retain: packet.retain };
    } else return;
    received.push(item);
    waiters.offer(item);
  });
  await client.subscribeAsync([`${base}/command`, `${base}/schedule`, `${base}/ev/command`], {
    qos: 1,
  });
  return standIn;
}

/** What the gateway does with a command: the inverter's settings change. */
function apply(status: GatewayStatus, command: GatewayCommand): void {
  const inverter = status.inverters.find((i) => i.serial === command.serial);
  if (inverter === undefined) return;
  const control = inverter.control;
  const schedule = inverter.schedule;
  const slot = command.schedule_json
    ? (JSON.parse(command.schedule_json) as { start?: number; end?: number })
    : {};
  switch (command.command) {
    case 'set_charge_rate':
      if (control) control.charge_rate_w = command.power_w ?? 0;
      break;
    case 'set_discharge_rate':
      if (control) control.discharge_rate_w = command.power_w ?? 0;
      break;
    case 'set_reserve':
      if (control) control.reserve_soc = command.target_soc ?? 0;
      break;
    case 'set_target_soc':
      if (control) control.target_soc = command.target_soc ?? 0;
      break;
    case 'set_charge_enable':
      if (control) control.charge_enabled = command.enable ?? false;
      break;
    case 'set_discharge_enable':
      if (control) control.discharge_enabled = command.enable ?? false;
      break;
    case 'set_charge_slot':
      applySlot(schedule, 'charge', slot);
      break;
    case 'set_discharge_slot':
      applySlot(schedule, 'discharge', slot);
      break;
  }
}

function applySlot(
  schedule: InverterEntry['schedule'],
  which: 'charge' | 'discharge',
  slot: { start?: number; end?: number },
): void {
  if (schedule === null) return;
  if (slot.start !== undefined) schedule[`${which}_start`] = slot.start;
  if (slot.end !== undefined) schedule[`${which}_end`] = slot.end;
}
