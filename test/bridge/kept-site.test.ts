// What the bridge keeps of a gateway's last message: the site made again from it must be
// the site as it was bridged, corrupted counters held included, whatever became of the buffer
// the message came in.
import { KeptSite } from '../../src/bridge/kept-site';
import { decodeStatus, encodeStatus, readStatus } from '../../src/gateway/wire';
import { holdCorruptedCounters } from '../../src/site/energy-counters';
import { siteFromStatus } from '../../src/site/from-status';
import { GOOD_FIXTURES, fixtureBytes, fixtureGatewayId } from '../support/fixtures';
import { PvReadings, ZONE } from '../support/pv-readings';

function bridge(kept: KeptSite, id: string, payload: Uint8Array) {
  const { site } = siteFromStatus(id, readStatus(payload));
  holdCorruptedCounters(kept, site, ZONE, readStatus(payload).timestamp);
  kept.keep(payload, site);
  kept.release();
  return { site };
}

describe('KeptSite', () => {
  it('is an empty site before any message', () => {
    const kept = new KeptSite('pbgw_a1b2c3');
    expect(kept.site.gateway_id).toBe('pbgw_a1b2c3');
    expect(kept.site.inverters).toEqual([]);
    expect(kept.seconds).toBeUndefined();
  });

  it.each(GOOD_FIXTURES)('builds %s again as it was bridged', (name) => {
    const id = fixtureGatewayId(name);
    const kept = new KeptSite(id);
    const payload = Buffer.from(fixtureBytes(name));
    const { site } = bridge(kept, id, payload);
    // The buffer the message came in is reused for the next one.
    payload.fill(0);
    expect(kept.site).toEqual(site);
    expect(kept.site).not.toBe(site);
  });

  it('keeps a held counter, and judges the next message against it', () => {
    const gateway = new PvReadings();
    gateway.sendAll([12_000, 4_000_000]);
    expect(gateway.kept.site.inverters[0]?.energy.pv_today_kwh).toBe(12);
    expect(gateway.send(12_020).problems).toEqual([]);
    expect(gateway.kept.site.inverters[0]?.energy.pv_today_kwh).toBe(12.02);
  });

  it('takes a longer message after a shorter one', () => {
    const few = decodeStatus(fixtureBytes('single-givenergy'));
    const many = structuredClone(few);
    const [unit] = few.inverters;
    if (unit === undefined) throw new Error('fixture changed');
    many.inverters = Array.from({ length: 8 }, (_, i) => ({ ...unit, serial: `SN${i}` }));
    const kept = new KeptSite(few.device_id);
    const long = encodeStatus(many);
    // Longer than the room the first message took.
    expect(long.length).toBeGreaterThan(1024);
    bridge(kept, few.device_id, encodeStatus(few));
    many.timestamp += 10;
    const { site } = bridge(kept, few.device_id, encodeStatus(many));
    expect(kept.site).toEqual(site);
  });

  it('judges a unit left out of messages as before it, and forgets it after a day', () => {
    const gateway = new PvReadings();
    const { serial } = gateway.unit;
    gateway.send(12_000);
    gateway.unit.serial = 'SN-OTHER';
    gateway.send(5_000, { after: 3500 });
    gateway.unit.serial = serial;
    expect(gateway.send(0).pv).toBe(12);
    gateway.unit.serial = 'SN-OTHER';
    gateway.send(5_000, { after: 24 * 3600 + 100 });
    // A day later its counters tell nothing: a unit seen anew has no good reading.
    expect(gateway.kept.unit(serial).good[0]).toBeNaN();
  });
});
