// Why a status payload was rejected, in words a user can act on rather than the decoder's.

export function statusRejection(payload: Uint8Array, error: Error): string {
  if (payload.length === 0) {
    return 'empty payload (a retained status being cleared?); telemetry is protobuf GatewayStatus';
  }
  if (/^\s*[{[]/.test(Buffer.from(payload.subarray(0, 8)).toString('latin1'))) {
    return 'looks like JSON, but gateway telemetry is protobuf GatewayStatus';
  }
  if (error.message.includes('over the cap')) return error.message;
  return `not a GatewayStatus (${error.message})`;
}
