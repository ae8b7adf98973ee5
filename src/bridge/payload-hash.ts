// What the bridge remembers of a payload it published: a 48-bit digest instead of the
// payload itself, so the memory of ten thousand gateways' states and configs stays small.
// Two different payloads share a digest about once in 2^48 comparisons; the cost of that
// would be one change held back until the heartbeat or Home Assistant's next start.
import { createHash } from 'node:crypto';

export function payloadHash(payload: string): number {
  return createHash('sha1').update(payload).digest().readUIntBE(0, 6);
}
