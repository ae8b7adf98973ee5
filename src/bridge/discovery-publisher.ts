// Publishes a device's discovery configs that changed and removes those no longer wanted.
// Most telemetry changes no config, so a device whose signature (what its configs are
// made from, and what the broker holds for it) is as it was last time is skipped whole.
import { type DiscoveryOptions, discoveryConfigs } from '../homeassistant/discovery';
import {
  type DiscoverySignature,
  discoverySignature,
  hasSignature,
} from '../homeassistant/discovery-signature';
import type { HaDevice } from '../homeassistant/devices';
import type { TemplateDevice, Templates } from '../homeassistant/templates';
import type { Publisher, PublishOptions } from './bridge';
import type { DiscoveryCache } from './discovery-cache';
import type { Logger } from './logger';
import { payloadHash } from '../digest';

const RETAINED_QOS1: PublishOptions = { qos: 1, retain: true };

export class DiscoveryPublisher {
  /**
   * Device id → its signature when its configs were last brought up to date, with the
   * version of what the broker held for it then.
   */
  private readonly signatures = new Map<
    string,
    { signature: DiscoverySignature; version: number }
  >();
  private readonly requiresByKey: Record<TemplateDevice, Map<string, string | undefined>>;

  constructor(
    private readonly templates: Templates,
    private readonly options: DiscoveryOptions,
    private readonly cache: DiscoveryCache,
    private readonly publisher: Publisher,
    private readonly log: Logger,
  ) {
    const byKey = (device: TemplateDevice): Map<string, string | undefined> =>
      new Map(templates[device].map((entity) => [entity.key, entity.requires]));
    this.requiresByKey = {
      gateway: byKey('gateway'),
      inverter: byKey('inverter'),
      ev_charger: byKey('ev_charger'),
    };
  }

  /**
   * Brings the device's configs on the broker up to date; force sends every one again.
   * `groups` are the groups the unit ever reported: a reading missing from one message
   * does not delete its entities in Home Assistant, nor do groups only a previous run saw.
   */
  publish(device: HaDevice, groups: ReadonlySet<string> | undefined, force: boolean): void {
    const known = device.groups === 'all' || groups === undefined ? device.groups : groups;
    const last = this.signatures.get(device.id);
    const version = this.cache.version(device.id);
    const same =
      last !== undefined &&
      last.version === version &&
      hasSignature(last.signature, device, this.templates, known);
    if (!force && same) return;
    const signature = discoverySignature(device, this.templates, known);
    const withKnown = known === device.groups ? device : { ...device, groups: [...known] };
    const configs = discoveryConfigs(
      this.withCachedGroups(withKnown),
      this.templates,
      this.options,
    );
    const wanted = new Set(configs.map((config) => config.topic));
    for (const config of configs) {
      const payload = JSON.stringify(config.payload);
      const hash = payloadHash(payload);
      if (!force && this.cache.holdsHash(config.topic, hash)) continue;
      this.publisher.publish(config.topic, payload, RETAINED_QOS1);
      this.cache.recordPublished(config.topic, hash, {
        deviceId: device.id,
        gatewayId: device.gateway,
        key: config.key,
        topic: device.topic,
      });
    }
    for (const topic of this.cache.topics(device.id)) {
      if (wanted.has(topic)) continue;
      this.log.info({ topic }, `removed an entity of '${device.device.name}'`);
      this.remove(topic);
    }
    // Taken after publishing: what was just recorded is the state to compare with.
    const now = { signature, version: this.cache.version(device.id) };
    if (last === undefined) this.signatures.set(device.id, now);
    else Object.assign(last, now);
  }

  /** Removes one config from the broker (an empty retained payload). */
  remove(topic: string): void {
    this.publisher.publish(topic, '', RETAINED_QOS1);
    this.cache.record(topic, '');
  }

  /** A device that is gone: its next appearance starts from what the broker holds. */
  forget(deviceId: string): void {
    this.signatures.delete(deviceId);
  }

  /** Groups of entities a previous run published stay, as if reported again. */
  private withCachedGroups(device: HaDevice): HaDevice {
    if (device.groups === 'all') return device;
    const groups = new Set(device.groups);
    const requiresByKey = this.requiresByKey[device.template];
    for (const key of this.cache.keys(device.id)) {
      const requires = requiresByKey.get(key);
      if (requires !== undefined) groups.add(requires);
    }
    return groups.size === device.groups.length ? device : { ...device, groups: [...groups] };
  }
}
