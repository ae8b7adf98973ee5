// What the bridge keeps of a gateway's last message: the site made again from it must be
// the site as it was bridged, energy spikes held included, whatever became of the buffer
// the message came in.
import { KeptSite } from '../../src/bridge/kept-site';
import { decodeStatus, encodeStatus, readStatus } from '../../src/gateway/wire';
import { holdEnergySpikes } from '../../src/site/energy-spikes';
import { siteFromStatus } from '../../src/site/from-status';
import { GOOD_FIXTURES, fixtureBytes, fixtureGatewayId } from '../support/fixtures';

function bridge(kept: KeptSite, id: string, payload: Uint8Array) {
  const { site } = siteFromStatus(id, readStatus(payload));
  const spikes = holdEnergySpikes(kept, site);
  kept.keep(payload, site);
  kept.release();
  return { site, spikes };
}

/** A gateway sending its first unit's PV counter as given, each message 10 s after the last. */
function pvSender() {
  const status = decodeStatus(fixtureBytes('single-givenergy'));
  const id = status.device_id;
  const kept = new KeptSite(id);
  const [unit] = status.inverters;
  const energy = unit?.energy;
  if (unit === undefined || !energy) throw new Error('fixture changed');
  const send = (pvWh: number) => {
    energy.pv_today_wh = pvWh;
    const bridged = bridge(kept, id, encodeStatus(status));
    status.timestamp += 10;
    return bridged;
  };
  return { kept, unit, send };
}

describe('KeptSite', () => {
  it('is an empty site before any message', () => {
    const kept = new KeptSite('pbgw_a1b2c3');
    expect(kept.site.gateway_id).toBe('pbgw_a1b2c3');
    expect(kept.site.inverters).toEqual([]);
    expect(kept.seconds).toBeUndefined();
    expect(kept.counters('CE2341G123')).toBeUndefined();
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

  it('keeps an energy spike held, and judges the next message against it', () => {
    const { kept, send } = pvSender();
    send(12_000);
    expect(send(4_000_000).spikes).toHaveLength(1);
    expect(kept.site.inverters[0]?.energy.pv_today_kwh).toBe(12);
    expect(send(12_020).spikes).toEqual([]);
    expect(kept.site.inverters[0]?.energy.pv_today_kwh).toBe(12.02);
  });

  it("passes a counter's midnight fall, and judges nothing for a unit new to it", () => {
    const { kept, unit, send } = pvSender();
    send(12_000);
    expect(send(0).spikes).toEqual([]);
    expect(kept.site.inverters[0]?.energy.pv_today_kwh).toBe(0);
    unit.serial = `${unit.serial}X`;
    expect(send(4_000_000).spikes).toEqual([]);
    expect(kept.site.inverters[0]?.energy.pv_today_kwh).toBe(4000);
  });

  it('takes a longer message after a shorter one, and forgets units no longer sent', () => {
    const few = decodeStatus(fixtureBytes('single-givenergy'));
    const many = structuredClone(few);
    const [unit] = few.inverters;
    if (unit === undefined) throw new Error('fixture changed');
    many.inverters = Array.from({ length: 8 }, (_, i) => ({ ...unit, serial: `SN${i}` }));
    const kept = new KeptSite(few.device_id);
    const short = encodeStatus(few);
    const long = encodeStatus(many);
    // Longer than the room the first message took.
    expect(long.length).toBeGreaterThan(1024);
    bridge(kept, few.device_id, short);
    const { site } = bridge(kept, few.device_id, long);
    expect(kept.site).toEqual(site);
    bridge(kept, few.device_id, short);
    const [gone] = many.inverters.filter(
      (unit) => !few.inverters.some((other) => other.serial === unit.serial),
    );
    if (gone === undefined) throw new Error('fixtures changed');
    expect(kept.counters(gone.serial)).toBeUndefined();
    expect(kept.site.inverters.map((unit) => unit.serial)).toEqual(
      few.inverters.map((unit) => unit.serial),
    );
  });
});
