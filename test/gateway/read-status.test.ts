// The bridge reads telemetry straight from protobufjs's message; what it makes of it must
// be what it makes of the plain-object copy decodeStatus gives.
import { decodeStatus, readStatus } from '../../src/gateway/wire';
import { siteFromStatus } from '../../src/site/from-status';
import { BAD_FIXTURES, GOOD_FIXTURES, fixtureBytes } from '../support/fixtures';

describe('readStatus', () => {
  it.each(GOOD_FIXTURES)('gives the same site as decodeStatus for %s', (name) => {
    const bytes = fixtureBytes(name);
    expect(siteFromStatus('gw', readStatus(bytes))).toStrictEqual(
      siteFromStatus('gw', decodeStatus(bytes)),
    );
  });

  it.each(BAD_FIXTURES)('throws on %s as decodeStatus does', (name) => {
    const bytes = fixtureBytes(name);
    expect(() => decodeStatus(bytes)).toThrow();
    expect(() => readStatus(bytes)).toThrow();
  });
});
