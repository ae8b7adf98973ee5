// The whole telemetry path without a broker: fixture bytes → site → Home Assistant
// devices → discovery configs, with the options the tests use.
import { decodeStatus } from '../../src/gateway/wire';
import { type DiscoveryOptions, discoveryConfigs } from '../../src/homeassistant/discovery';
import { haDevices, type HaDevice } from '../../src/homeassistant/devices';
import { loadTemplates } from '../../src/homeassistant/templates';
import { siteFromStatus } from '../../src/site/from-status';
import { fixtureBytes, fixtureGatewayId } from './fixtures';

export const OPTIONS: DiscoveryOptions = {
  baseTopic: 'predbat_bridge',
  discoveryPrefix: 'homeassistant',
  fallbackMax: { W: 5000, A: 32 },
};

export const TEMPLATES = loadTemplates();

export function fixtureDevices(name: string, extras: Record<string, unknown> = {}): HaDevice[] {
  const status = decodeStatus(fixtureBytes(name));
  return haDevices(siteFromStatus(fixtureGatewayId(name), status).site, OPTIONS, extras);
}

export function fixtureConfigs(name: string) {
  return fixtureDevices(name).flatMap((device) => discoveryConfigs(device, TEMPLATES, OPTIONS));
}
