// `decode`: a captured status or schedule payload printed as JSON, for troubleshooting what
// a gateway sent or what it was sent.
import * as protobuf from 'protobufjs';
import { decodePlan, decodeStatus, ExecutionPlanType, GatewayStatusType } from '../gateway/wire';
import { float32 } from '../site/values';

export const PAYLOAD_TYPES = ['status', 'schedule'] as const;
export type PayloadType = (typeof PAYLOAD_TYPES)[number];

export const INPUT_ENCODINGS = ['raw', 'hex', 'base64'] as const;
export type InputEncoding = (typeof INPUT_ENCODINGS)[number];

/** The payload's bytes from a file or standard input as saved: raw, or as hex or base64 text. */
export function payloadBytes(input: Buffer, encoding: InputEncoding): Buffer {
  if (encoding === 'raw') return input;
  const text = input.toString('utf8').replace(/\s+/g, '');
  if (encoding === 'hex') {
    if (!/^([0-9a-fA-F]{2})*$/.test(text)) throw new Error('the input is not hex');
    return Buffer.from(text, 'hex');
  }
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(text)) throw new Error('the input is not base64');
  return Buffer.from(text, 'base64');
}

/**
 * The payload as the official runtime prints it: fields in their proto order, floats at
 * float32 precision, absent sub-messages left out.
 */
export function decodePayload(bytes: Uint8Array, type: PayloadType): unknown {
  if (type === 'status') return readable(decodeStatus(bytes), GatewayStatusType);
  return readable(decodePlan(bytes), ExecutionPlanType);
}

function readable(value: unknown, type: protobuf.Type | null): unknown {
  if (Array.isArray(value)) return value.map((item) => readable(item, type));
  if (value !== null && typeof value === 'object' && type !== null) {
    const fields = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const field of [...type.fieldsArray].sort((a, b) => a.id - b.id)) {
      const item = fields[field.name];
      if (item === null || item === undefined) continue;
      const inner = field.resolvedType instanceof protobuf.Type ? field.resolvedType : null;
      out[field.name] = readable(item, inner);
    }
    return out;
  }
  // A non-finite float becomes null, as JSON would print it anyway.
  if (typeof value === 'number' && !Number.isInteger(value)) return float32(value);
  return value;
}
