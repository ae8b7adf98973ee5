// A gateway's device frames are kept from one message to the next; what haDevices gives
// with them must be exactly what it gives without, whatever changed in between.
import { readStatus } from '../../src/gateway/wire';
import { DeviceFrames, haDevices } from '../../src/homeassistant/devices';
import { siteFromStatus } from '../../src/site/from-status';
import type { SiteModel } from '../../src/site/model';
import { GOOD_FIXTURES, fixtureBytes, fixtureGatewayId } from '../support/fixtures';
import { OPTIONS } from '../support/pipeline';

function site(name: string): SiteModel {
  return siteFromStatus(fixtureGatewayId(name), readStatus(fixtureBytes(name))).site;
}

const EXTRAS = { online: true, rejected_messages: 0 };

/** One site after another, each a change of what a device's frame is made of. */
function changes(): Array<[string, SiteModel]> {
  const base = site('mixed-solis-deye');
  const steps: Array<[string, SiteModel]> = [['as recorded', base]];
  const edit = (what: string, change: (s: SiteModel) => void): void => {
    const next = structuredClone(steps[steps.length - 1]?.[1] ?? base);
    change(next);
    steps.push([what, next]);
  };
  edit('a reading', (s) => {
    const [first] = s.inverters;
    if (first) first.battery.power_w = (first.battery.power_w ?? 0) + 500;
  });
  edit('new firmware', (s) => {
    s.gateway.firmware = '9.9.9';
  });
  edit('a group no longer reported', (s) => {
    s.inverters[0]?.reported.pop();
  });
  edit('another model', (s) => {
    const [first] = s.inverters;
    if (first) first.model = `${first.model} Mk2`;
  });
  edit('a unit taking no commands', (s) => {
    const [first] = s.inverters;
    if (first) first.managed = !first.managed;
  });
  edit('units in another order', (s) => s.inverters.reverse());
  edit('a unit gone', (s) => s.inverters.pop());
  edit('another gateway id', (s) => {
    s.gateway_id = `${s.gateway_id}-b`;
  });
  steps.push(['a site with an EV charger', site('ev-charger')]);
  steps.push(['back to the first', base]);
  return steps;
}

describe('device frames kept between messages', () => {
  it('give the devices built afresh after every kind of change', () => {
    const frames = new DeviceFrames();
    for (const [, step] of changes()) {
      expect(haDevices(step, OPTIONS, EXTRAS, frames)).toEqual(haDevices(step, OPTIONS, EXTRAS));
    }
  });

  it.each(GOOD_FIXTURES)('give the devices of %s built afresh, message after message', (name) => {
    const frames = new DeviceFrames();
    const model = site(name);
    const first = haDevices(model, OPTIONS, EXTRAS, frames);
    const again = haDevices(model, OPTIONS, EXTRAS, frames);
    expect(again).toEqual(haDevices(model, OPTIONS, EXTRAS));
    expect(again).toEqual(first);
    // What did not change is not built again.
    again.forEach((device, i) => expect(device.device).toBe(first[i]?.device));
  });

  it('leave out the inverter model bookkeeping from its state', () => {
    const [, inverter] = haDevices(site('single-givenergy'), OPTIONS, EXTRAS, new DeviceFrames());
    expect(inverter?.state).not.toHaveProperty('reported');
    expect(inverter?.state).not.toHaveProperty('kind');
    expect(inverter?.state).toHaveProperty('serial');
  });
});

describe("an EMS's state", () => {
  it('carries its units by slot, as the gateway reports them', () => {
    const ems = haDevices(site('ems-three-aio'), OPTIONS, EXTRAS).find((d) =>
      d.topic.includes('/ems/'),
    );
    const units = (ems?.state.ems as { sub_inverters: Array<Record<string, unknown>> })
      .sub_inverters;
    expect(units.map((unit) => unit.slot)).toEqual([1, 2, 3]);
    expect(units[0]).toEqual(
      expect.objectContaining({ soc_percent: expect.any(Number), pv_power_w: expect.any(Number) }),
    );
  });
});
