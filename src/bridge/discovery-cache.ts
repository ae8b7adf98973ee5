// What discovery configs are on the broker now: learned from the retained configs the
// bridge finds at start-up and kept up to date with every config it publishes, so that
// only changes go out and configs that are no longer wanted can be removed.
import { BRIDGE_PREFIX } from '../homeassistant/devices';

interface CachedConfig {
  payload: string;
  /** The device id part of the config's device identifier. */
  deviceId: string;
  /** The device id of the gateway the device belongs to (itself for a gateway). */
  gatewayId: string;
  /** The entity key: the object id without the device id. */
  key: string;
}

export class DiscoveryCache {
  private readonly configs = new Map<string, CachedConfig>();
  private readonly byDevice = new Map<string, Set<string>>();

  /** Records a config seen on the broker or published; an empty payload is a removal. */
  record(topic: string, payload: string): void {
    this.forget(topic);
    if (payload === '') return;
    const parsed = parseConfig(topic, payload);
    if (parsed === undefined) return;
    this.configs.set(topic, parsed);
    let topics = this.byDevice.get(parsed.deviceId);
    if (topics === undefined) this.byDevice.set(parsed.deviceId, (topics = new Set()));
    topics.add(topic);
  }

  payload(topic: string): string | undefined {
    return this.configs.get(topic)?.payload;
  }

  /** Entity keys of a device's configs, for keeping entities the gateway reported before. */
  keys(deviceId: string): string[] {
    const topics = this.byDevice.get(deviceId) ?? new Set<string>();
    return [...topics].map((topic) => this.configs.get(topic)?.key ?? '');
  }

  topics(deviceId: string): string[] {
    return [...(this.byDevice.get(deviceId) ?? [])];
  }

  /** Devices of a gateway with configs on the broker, the gateway itself left out. */
  devicesOf(gatewayId: string): string[] {
    const devices: string[] = [];
    for (const [deviceId, topics] of this.byDevice) {
      const first = this.configs.get(topics.values().next().value ?? '');
      if (first?.gatewayId === gatewayId && deviceId !== gatewayId) devices.push(deviceId);
    }
    return devices;
  }

  entries(): Array<[string, CachedConfig]> {
    return [...this.configs.entries()];
  }

  private forget(topic: string): void {
    const old = this.configs.get(topic);
    if (old === undefined) return;
    this.configs.delete(topic);
    const topics = this.byDevice.get(old.deviceId);
    topics?.delete(topic);
    if (topics?.size === 0) this.byDevice.delete(old.deviceId);
  }
}

function parseConfig(topic: string, payload: string): CachedConfig | undefined {
  try {
    const config = JSON.parse(payload) as {
      device?: { identifiers?: unknown; via_device?: unknown };
    };
    const identifiers = config.device?.identifiers;
    const identifier = Array.isArray(identifiers) ? identifiers[0] : identifiers;
    if (typeof identifier !== 'string' || !identifier.startsWith(BRIDGE_PREFIX)) return undefined;
    const deviceId = identifier.slice(BRIDGE_PREFIX.length);
    const objectId = topic.split('/').at(-2) ?? '';
    if (!objectId.startsWith(`${deviceId}_`)) return undefined;
    const via = config.device?.via_device;
    const gatewayId =
      typeof via === 'string' && via.startsWith(BRIDGE_PREFIX)
        ? via.slice(BRIDGE_PREFIX.length)
        : deviceId;
    return { payload, deviceId, gatewayId, key: objectId.slice(deviceId.length + 1) };
  } catch {
    return undefined;
  }
}
