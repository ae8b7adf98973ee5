import { decodeStatus, GatewayStatusType } from '../../src/gateway/wire';
import { BAD_FIXTURES, GOOD_FIXTURES, fixtureBytes, fixtureJson } from '../support/fixtures';

/**
 * The fixtures' JSON has floats as the official runtime prints them (52.4); protobufjs
 * gives the float32 value as a double (52.400001525878906). Both are the same float32.
 * Absent sub-messages are missing from the JSON and null in protobufjs's output.
 */
function comparable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(comparable);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item !== null && item !== undefined) out[key] = comparable(item);
    }
    return out;
  }
  if (typeof value === 'number' && !Number.isInteger(value)) return Math.fround(value);
  return value;
}

describe('decodeStatus', () => {
  it('has fixtures to check', () => {
    expect(GOOD_FIXTURES).toEqual([
      'ems-three-aio',
      'ev-charger',
      'future-firmware',
      'minimal',
      'mixed-solis-deye',
      'single-givenergy',
    ]);
    expect(BAD_FIXTURES).toEqual(['bad-json-instead', 'bad-random', 'bad-truncated']);
  });

  it.each(GOOD_FIXTURES)('decodes %s exactly as the official runtime does', (name) => {
    expect(comparable(decodeStatus(fixtureBytes(name)))).toEqual(comparable(fixtureJson(name)));
  });

  it('keeps float32 noise for the site stage to round', () => {
    const status = decodeStatus(fixtureBytes('single-givenergy'));
    expect(status.inverters[0]?.battery?.voltage_v).toBe(52.400001525878906);
  });

  it('keeps an inverter type number newer firmware added', () => {
    expect(decodeStatus(fixtureBytes('future-firmware')).inverters[0]?.type).toBe(42);
  });

  it('skips fields newer firmware added', () => {
    const bytes = fixtureBytes('future-firmware');
    const known = GatewayStatusType.encode(GatewayStatusType.decode(bytes)).finish();
    // The payload carries more than the fields this bridge knows...
    expect(bytes.length).toBeGreaterThan(known.length);
    // ...and decodes all the same.
    expect(decodeStatus(bytes).device_id).toBe('pbgw_fut999');
  });

  it('skips the retired ControlStatus field 1 that old firmware still sends', () => {
    // control { 1: 7, 2: true } inside inverter entry 6.
    const control = Buffer.from([0x08, 0x07, 0x10, 0x01]);
    const entry = Buffer.concat([Buffer.from([0x5a, control.length]), control]);
    const status = Buffer.concat([Buffer.from([0x32, entry.length]), entry]);
    const decoded = decodeStatus(status);
    expect(decoded.inverters[0]?.control?.charge_enabled).toBe(true);
    expect(Object.keys(decoded.inverters[0]?.control ?? {})).not.toContain('1');
  });

  it('leaves ev_control unset when the gateway does not send it', () => {
    expect(decodeStatus(fixtureBytes('single-givenergy')).ev_control).toBeUndefined();
    expect(decodeStatus(fixtureBytes('ev-charger')).ev_control).toBe(true);
  });

  it.each(BAD_FIXTURES)('throws on %s', (name) => {
    expect(() => decodeStatus(fixtureBytes(name))).toThrow();
  });
});
