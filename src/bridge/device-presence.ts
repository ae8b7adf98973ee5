// Which inverters and chargers a gateway has: when each was last in its telemetry, and
// the groups it ever reported, so that a reading missing from one message deletes none
// of its entities and a unit gone for good can be removed.
import type { HaDevice } from '../homeassistant/devices';
import type { GatewayRecord } from './bridge';

/** Notes a device in this message; true when it is new to this run. */
export function markSeen(gateway: GatewayRecord, device: HaDevice, now: number): boolean {
  const known = gateway.devices.get(device.id);
  // One adopted from a previous run's configs is new to this run too.
  const found = known === undefined || known.adopted;
  // The record is kept and updated: no garbage per device and message.
  const record = known ?? {
    lastSeenMs: now,
    groups: new Set<string>(),
    topic: device.topic,
    adopted: false,
    managedSeenMs: Number.NEGATIVE_INFINITY,
  };
  record.lastSeenMs = now;
  record.adopted = false;
  record.topic = device.topic;
  if (device.template === 'inverter' && device.managed) record.managedSeenMs = now;
  if (device.groups !== 'all') for (const group of device.groups) record.groups.add(group);
  if (known === undefined) gateway.devices.set(device.id, record);
  return found;
}

/**
 * Inverters and chargers found on the broker from before a restart are tracked too, with
 * the state topic their configs name, so one gone for good is removed with its state.
 */
export function adoptRetained(
  gateway: GatewayRecord,
  devices: Array<{ id: string; topic: string | undefined; managed: boolean }>,
  now: number,
): void {
  for (const { id, topic, managed } of devices) {
    if (gateway.devices.has(id)) continue;
    gateway.devices.set(id, {
      lastSeenMs: now,
      groups: new Set(),
      topic: topic ?? '',
      adopted: true,
      // Its controls on the broker say it took commands when they were announced.
      managedSeenMs: managed ? now : Number.NEGATIVE_INFINITY,
    });
  }
}
