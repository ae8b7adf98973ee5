// The gateway's protobuf wire format, loaded from proto/ at start-up with protobufjs.
import * as fs from 'node:fs';
import * as protobuf from 'protobufjs';
import { packagePath } from '../package-root';
import type { ExecutionPlan, GatewayCommand, GatewayStatus } from './messages';

const PROTO_SOURCE = fs.readFileSync(packagePath('proto', 'predbat_gateway.proto'), 'utf8');
// keepCase: the bridge speaks the contract's own snake_case field names.
const root = protobuf.parse(PROTO_SOURCE, { keepCase: true }).root.resolveAll();
export const GatewayStatusType = root.lookupType('predbat.gateway.GatewayStatus');
export const ExecutionPlanType = root.lookupType('predbat.gateway.ExecutionPlan');
const GatewayCommandType = root.lookupType('predbat.gateway.GatewayCommand');

const TO_OBJECT: protobuf.IConversionOptions = {
  longs: Number,
  enums: Number,
  defaults: true,
  arrays: true,
};

/** Decodes a status payload; throws on bytes that are not a GatewayStatus. */
export function decodeStatus(bytes: Uint8Array): GatewayStatus {
  const message = GatewayStatusType.decode(bytes);
  return GatewayStatusType.toObject(message, TO_OBJECT) as GatewayStatus;
}

/**
 * Decodes a status payload for reading only: the protobufjs message itself, whose unset
 * fields read as their defaults from its prototype, without the copy into a plain object
 * that decodeStatus makes. The bridge reads every message this way; whatever spreads,
 * serialises or changes a message uses decodeStatus. Throws like decodeStatus.
 */
export function readStatus(bytes: Uint8Array): GatewayStatus {
  return GatewayStatusType.decode(bytes) as unknown as GatewayStatus;
}

/** Encodes telemetry as a gateway would; the demo gateway and tests use it. */
export function encodeStatus(status: GatewayStatus): Uint8Array {
  return GatewayStatusType.encode(GatewayStatusType.fromObject(status)).finish();
}

export function decodePlan(bytes: Uint8Array): ExecutionPlan {
  const message = ExecutionPlanType.decode(bytes);
  return ExecutionPlanType.toObject(message, TO_OBJECT) as ExecutionPlan;
}

export function encodePlan(plan: ExecutionPlan): Uint8Array {
  return ExecutionPlanType.encode(ExecutionPlanType.fromObject(plan)).finish();
}

export function decodeCommand(bytes: Uint8Array): GatewayCommand {
  const message = GatewayCommandType.decode(bytes);
  return GatewayCommandType.toObject(message, { ...TO_OBJECT, defaults: false }) as GatewayCommand;
}

export function encodeCommand(command: GatewayCommand): Uint8Array {
  return GatewayCommandType.encode(GatewayCommandType.fromObject(command)).finish();
}
