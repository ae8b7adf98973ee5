// Telemetry a gateway would send after obeying a command: a recorded fixture decoded,
// changed, and encoded again with protobufjs.
import type { GatewayStatus, InverterEntry } from '../../src/gateway/messages';
import { decodeStatus, encodeStatus } from '../../src/gateway/wire';
import { fixtureBytes } from './fixtures';

export function fixtureStatus(name: string): GatewayStatus {
  return decodeStatus(fixtureBytes(name));
}

/** The fixture's telemetry with the first inverter changed, as bytes. */
export function telemetry(name: string, change: (inverter: InverterEntry) => void = () => {}) {
  const status = fixtureStatus(name);
  const [inverter] = status.inverters;
  if (inverter === undefined) throw new Error(`${name} has no inverter`);
  change(inverter);
  return encodeStatus(status);
}
