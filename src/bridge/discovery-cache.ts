// What discovery configs are on the broker now: learned from the retained configs the
// bridge finds at start-up (and, in a fleet, from the other bridges' configs) and kept up
// to date with every config it publishes, so that only changes go out and configs that
// are no longer wanted can be removed. A digest stands for each payload and entity keys
// are shared between devices, so ten thousand gateways' configs take little memory.
import { BRIDGE_PREFIX } from '../homeassistant/devices';
import { payloadHash } from '../digest';

interface DeviceConfigs {
  /** The device id of the gateway the device belongs to (itself for a gateway). */
  gatewayId: string;
  /** The discovery prefix its configs are under, e.g. homeassistant. */
  prefix: string;
  /** `platform/node/key` → digest of the payload; key is the object id without the device id. */
  configs: Map<string, number>;
  /** Changes whenever the device's configs do. */
  version: number;
  /** Where the device's state lives, from its configs' state topic. */
  topic?: string;
}

/** The device a config this bridge publishes is for, and its entity key. */
export interface ConfigOwner {
  deviceId: string;
  /** The device id of its gateway (its own for a gateway). */
  gatewayId: string;
  key: string;
  /** Where the device's state lives. */
  topic: string;
}

interface Place {
  prefix: string;
  platform: string;
  node: string;
  objectId: string;
}

export class DiscoveryCache {
  private readonly devices = new Map<string, DeviceConfigs>();
  private readonly byGateway = new Map<string, Set<string>>();
  private readonly names = new Map<string, string>();
  private changes = 0;

  /**
   * Records a config seen on the broker or published; an empty payload is a removal.
   * Returns whether that changed what the cache holds.
   */
  record(topic: string, payload: string): boolean {
    const place = placeOf(topic);
    if (place === undefined) return false;
    const found = this.find(place);
    if (payload === '') return found !== undefined && this.remove(found.deviceId, found.entry);
    const hash = payloadHash(payload);
    if (found !== undefined && found.device.configs.get(found.entry) === hash) return false;
    const parsed = parseConfig(place, payload);
    if (found !== undefined && found.deviceId !== parsed?.deviceId) {
      this.remove(found.deviceId, found.entry);
    }
    if (parsed === undefined) return found !== undefined;
    const device = this.device(parsed.deviceId, parsed.gatewayId, place.prefix);
    if (parsed.topic !== undefined) device.topic = parsed.topic;
    device.configs.set(this.name(`${place.platform}/${place.node}/${parsed.key}`), hash);
    device.version = ++this.changes;
    return true;
  }

  /**
   * Records a config this bridge publishes. What it belongs to is known, so unlike one
   * found on the broker it is not parsed; `hash` is its payloadHash.
   */
  recordPublished(topic: string, hash: number, owner: ConfigOwner): void {
    const place = placeOf(topic);
    if (place === undefined) return;
    const entry = this.name(`${place.platform}/${place.node}/${owner.key}`);
    const device = this.device(owner.deviceId, owner.gatewayId, place.prefix);
    if (device.configs.get(entry) === hash) return;
    device.topic = owner.topic;
    device.configs.set(entry, hash);
    device.version = ++this.changes;
  }

  /** Whether the broker holds exactly this payload on the topic. */
  holds(topic: string, payload: string): boolean {
    return this.holdsHash(topic, payloadHash(payload));
  }

  /** Whether the broker holds the payload with this payloadHash on the topic. */
  holdsHash(topic: string, hash: number): boolean {
    const place = placeOf(topic);
    const found = place === undefined ? undefined : this.find(place);
    return found !== undefined && found.device.configs.get(found.entry) === hash;
  }

  /** Changes whenever the device's configs on the broker do; 0 for a device with none yet. */
  version(deviceId: string): number {
    return this.devices.get(deviceId)?.version ?? 0;
  }

  /** Entity keys of a device's configs, for keeping entities the gateway reported before. */
  keys(deviceId: string): string[] {
    const device = this.devices.get(deviceId);
    if (device === undefined) return [];
    return [...device.configs.keys()].map((entry) => entry.split('/')[2] ?? '');
  }

  topics(deviceId: string): string[] {
    const device = this.devices.get(deviceId);
    if (device === undefined) return [];
    return [...device.configs.keys()].map((entry) => {
      const [platform, node, key] = entry.split('/');
      return `${device.prefix}/${platform}/${node}/${deviceId}_${key}/config`;
    });
  }

  /** Devices of a gateway with configs on the broker, the gateway itself left out. */
  devicesOf(gatewayId: string): string[] {
    return [...(this.byGateway.get(gatewayId) ?? [])].filter(
      (deviceId) => deviceId !== gatewayId && (this.devices.get(deviceId)?.configs.size ?? 0) > 0,
    );
  }

  /** Gateways with configs on the broker, by the id their topics carry. */
  gatewayIds(): string[] {
    return [...this.byGateway.keys()].filter(
      (gatewayId) => (this.devices.get(gatewayId)?.configs.size ?? 0) > 0,
    );
  }

  /** The topic a device's state lives under, as its configs on the broker say. */
  deviceTopic(deviceId: string): string | undefined {
    return this.devices.get(deviceId)?.topic;
  }

  /** How many configs are on the broker. */
  get size(): number {
    let size = 0;
    for (const device of this.devices.values()) size += device.configs.size;
    return size;
  }

  /**
   * The device and entry a topic belongs to. The object id is `{device id}_{key}` and both
   * parts may hold '_', so each split is tried against what the cache holds.
   */
  private find(
    place: Place,
  ): { deviceId: string; device: DeviceConfigs; entry: string } | undefined {
    const { objectId } = place;
    for (let at = objectId.indexOf('_'); at > 0; at = objectId.indexOf('_', at + 1)) {
      const device = this.devices.get(objectId.slice(0, at));
      if (device === undefined || device.prefix !== place.prefix) continue;
      const entry = `${place.platform}/${place.node}/${objectId.slice(at + 1)}`;
      if (device.configs.has(entry)) return { deviceId: objectId.slice(0, at), device, entry };
    }
    return undefined;
  }

  private remove(deviceId: string, entry: string): boolean {
    const device = this.devices.get(deviceId);
    if (device === undefined || !device.configs.delete(entry)) return false;
    device.version = ++this.changes;
    return true;
  }

  /** A device stays known once seen, so its version never goes back to an earlier one. */
  private device(deviceId: string, gatewayId: string, prefix: string): DeviceConfigs {
    let device = this.devices.get(deviceId);
    if (device === undefined) {
      device = { gatewayId, prefix: this.name(prefix), configs: new Map(), version: 0 };
      this.devices.set(deviceId, device);
    } else if (device.gatewayId !== gatewayId) {
      this.byGateway.get(device.gatewayId)?.delete(deviceId);
      device.gatewayId = gatewayId;
    }
    let devices = this.byGateway.get(gatewayId);
    if (devices === undefined) this.byGateway.set(gatewayId, (devices = new Set()));
    devices.add(deviceId);
    return device;
  }

  /** One string object per distinct name, however many devices use it. */
  private name(text: string): string {
    const known = this.names.get(text);
    if (known !== undefined) return known;
    this.names.set(text, text);
    return text;
  }
}

/** `{prefix}/{platform}/{node}/{object id}/config`; the prefix may hold '/'. */
function placeOf(topic: string): Place | undefined {
  const levels = topic.split('/');
  const n = levels.length;
  if (n < 5 || levels[n - 1] !== 'config') return undefined;
  return {
    prefix: levels.slice(0, n - 4).join('/'),
    platform: levels[n - 4] as string,
    node: levels[n - 3] as string,
    objectId: levels[n - 2] as string,
  };
}

function parseConfig(
  place: Place,
  payload: string,
): { deviceId: string; gatewayId: string; key: string; topic?: string } | undefined {
  try {
    const config = JSON.parse(payload) as {
      device?: { identifiers?: unknown; via_device?: unknown };
      state_topic?: unknown;
    };
    const identifiers = config.device?.identifiers;
    const identifier = Array.isArray(identifiers) ? identifiers[0] : identifiers;
    if (typeof identifier !== 'string' || !identifier.startsWith(BRIDGE_PREFIX)) return undefined;
    const deviceId = identifier.slice(BRIDGE_PREFIX.length);
    if (!place.objectId.startsWith(`${deviceId}_`)) return undefined;
    const via = config.device?.via_device;
    const gatewayId =
      typeof via === 'string' && via.startsWith(BRIDGE_PREFIX)
        ? via.slice(BRIDGE_PREFIX.length)
        : deviceId;
    const stateTopic = config.state_topic;
    const topic =
      typeof stateTopic === 'string' && stateTopic.endsWith('/state')
        ? stateTopic.slice(0, -'/state'.length)
        : undefined;
    return { deviceId, gatewayId, key: place.objectId.slice(deviceId.length + 1), topic };
  } catch {
    return undefined;
  }
}
