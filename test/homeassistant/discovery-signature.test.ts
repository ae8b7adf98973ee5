// The signature stands for everything a device's discovery configs are made from: this
// changes every value of the site model in turn and checks that whenever a config changes,
// the signature does too, so a dependency discovery comes to have cannot slip past it.
import { readStatus } from '../../src/gateway/wire';
import { haDevices, sameValues } from '../../src/homeassistant/devices';
import { discoveryConfigs } from '../../src/homeassistant/discovery';
import { discoverySignature, hasSignature } from '../../src/homeassistant/discovery-signature';
import { siteFromStatus } from '../../src/site/from-status';
import type { SiteModel } from '../../src/site/model';
import { GOOD_FIXTURES, fixtureBytes, fixtureGatewayId } from '../support/fixtures';
import { OPTIONS, TEMPLATES } from '../support/pipeline';

type Path = Array<string | number>;

function leaves(value: unknown, at: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [at];
  const entries = Array.isArray(value)
    ? value.map((v, i) => [i, v] as const)
    : Object.entries(value);
  const inner = entries.flatMap(([key, item]) => leaves(item, [...at, key]));
  // A list is changed whole too: one entry fewer (a group no longer reported).
  return Array.isArray(value) && value.length > 0 ? [...inner, [...at, -1]] : inner;
}

/** Another value of the same kind, or a value where there was none. */
function changed(value: unknown): unknown {
  if (typeof value === 'number') return value === 0 ? 1 : value * 3 + 1;
  if (typeof value === 'boolean') return !value;
  if (typeof value === 'string') return /^\d\d:\d\d$/.test(value) ? '07:33' : `${value}x`;
  return 4321;
}

function perturbed(site: SiteModel, path: Path): SiteModel {
  const copy = structuredClone(site) as unknown as Record<string | number, unknown>;
  let parent = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (last === -1) (parent as unknown as unknown[]).pop();
  else parent[last] = changed(parent[last]);
  return copy as unknown as SiteModel;
}

function view(site: SiteModel) {
  return haDevices(site, OPTIONS, {}).map((device) => ({
    id: device.id,
    device,
    configs: JSON.stringify(discoveryConfigs(device, TEMPLATES, OPTIONS)),
    signature: discoverySignature(device, TEMPLATES),
  }));
}

describe('the discovery signature', () => {
  it.each(GOOD_FIXTURES)('changes whenever a config of %s does', (name) => {
    const site = siteFromStatus(fixtureGatewayId(name), readStatus(fixtureBytes(name))).site;
    const before = new Map(view(site).map((device) => [device.id, device]));
    let configChanges = 0;
    const missed: string[] = [];
    const disagreed: string[] = [];
    let kept = 0;
    for (const path of leaves(site)) {
      for (const device of view(perturbed(site, path))) {
        const old = before.get(device.id);
        // The check made in place says what comparing a new signature says.
        if (old !== undefined) {
          const same = sameValues(old.signature, device.signature);
          if (same) kept += 1;
          if (hasSignature(old.signature, device.device, TEMPLATES) !== same)
            disagreed.push(`${path.join('.')} (${device.id})`);
        }
        if (old === undefined || old.configs === device.configs) continue;
        configChanges += 1;
        if (sameValues(old.signature, device.signature))
          missed.push(`${path.join('.')} (${device.id})`);
      }
    }
    expect(missed).toEqual([]);
    expect(disagreed).toEqual([]);
    // The fixture did exercise it: firmware, models, groups, maxima, options.
    expect(configChanges).toBeGreaterThan(3);
    expect(kept).toBeGreaterThan(3);
  });

  it('stays the same for telemetry that changes no config', () => {
    const name = 'single-givenergy';
    const site = siteFromStatus(fixtureGatewayId(name), readStatus(fixtureBytes(name))).site;
    const [, inverter] = view(site);
    const busier = structuredClone(site);
    const [entry] = busier.inverters;
    if (!entry) throw new Error('fixture changed');
    entry.battery.power_w = 2000;
    entry.load.power_w = 345;
    entry.energy.pv_today_kwh = 12.5;
    const after = view(busier)[1];
    if (!inverter || !after) throw new Error('fixture changed');
    expect(sameValues(after.signature, inverter.signature)).toBe(true);
    expect(hasSignature(inverter.signature, after.device, TEMPLATES)).toBe(true);
    // A signature one value longer is not the device's.
    expect(hasSignature([...inverter.signature, 0], after.device, TEMPLATES)).toBe(false);
    expect(after.signature).toEqual(inverter.signature);
  });
});
