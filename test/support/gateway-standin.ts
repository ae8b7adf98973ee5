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
import { decodePlan } from '../../src/gateway/wire';
import { encodeTelemetry, fixtureStatus } from './telemetry';

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
  const waiters: Array<{ predicate: (r: Received) => boolean; resolve: (r: Received) => void }> =
    [];
  const standIn: StandIn = {
    client,
    status,
    received: [],
    obey: true,
    publishStatus: async () => {
      await client.publishAsync(`${base}/status`, Buffer.from(encodeTelemetry(status)), {
        qos: 1,
      });
    },
    waitFor(predicate, timeoutMs = 8000) {
      const found = standIn.received.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error('the gateway received nothing')),
          timeoutMs,
        );
        waiters.push({
          predicate,
          resolve: (r) => {
            clearTimeout(timer);
            resolve(r);
          },
        });
      });
    },
    close: () => client.endAsync(),
  };
  client.on('message', (topic, payload, packet) => {
    let received: Received;
    if (topic === `${base}/command`) {
      const command = decodeCommandPayload(payload, encoding);
      received = { kind: 'command', command, retain: packet.retain };
      if (standIn.obey) apply(status, command);
      void standIn.publishStatus();
    } else if (topic === `${base}/schedule`) {
      received = { kind: 'plan', plan: decodePlan(payload), retain: packet.retain };
    } else if (topic === `${base}/ev/command`) {
      const action = JSON.parse(payload.toString()) as Record<string, unknown>;
      received = { kind: 'ev', action, retain: packet.retain };
    } else return;
    standIn.received.push(received);
    for (const waiter of [...waiters]) {
      if (!waiter.predicate(received)) continue;
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(received);
    }
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
