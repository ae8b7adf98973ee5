// The bridge's core: gateway messages in, Home Assistant discovery and states out.
// It holds no connection: it publishes through a Publisher, so it runs the same against
// a real broker and in unit tests.
import { decodeStatus } from '../gateway/wire';
import { type DiscoveryOptions, discoveryConfigs } from '../homeassistant/discovery';
import { type GatewayExtras, type HaDevice, haDevices } from '../homeassistant/devices';
import type { Templates } from '../homeassistant/templates';
import { gatewayFreshTopic, gatewayOnlineTopic } from '../homeassistant/topics';
import { encodeId } from '../site/identity';
import { siteFromStatus } from '../site/from-status';
import type { SiteModel } from '../site/model';
import { isoTime } from '../site/values';
import { DiscoveryCache } from './discovery-cache';
import { emptySite } from './empty-site';
import type { Logger } from './logger';
import type { BridgeOptions } from './options';

export interface PublishOptions {
  qos: 0 | 1;
  retain: boolean;
}

export interface Publisher {
  publish(topic: string, payload: string | Uint8Array, options: PublishOptions): void;
}

export interface GatewayRecord {
  /** The id as the gateway's topic has it, and encoded for Home Assistant's side. */
  id: string;
  enc: string;
  site: SiteModel;
  lastStatusMs?: number;
  connection?: 'online' | 'offline';
  fresh: boolean;
  rejected: number;
  lastRejection: string | null;
  /** Inverters and chargers: when last in telemetry, and the groups they ever reported. */
  devices: Map<string, { lastSeenMs: number; groups: Set<string>; topic: string }>;
  problemsLogged: Set<string>;
}

/** Extensions (commands, plans) add to each gateway's state and watch its telemetry. */
export interface BridgeExtension {
  gatewayExtras?(gateway: GatewayRecord): GatewayExtras;
  onStatus?(gateway: GatewayRecord, devices: HaDevice[]): void;
}

const RETAINED_QOS1: PublishOptions = { qos: 1, retain: true };
const RETAINED_QOS0: PublishOptions = { qos: 0, retain: true };

export class Bridge {
  readonly gateways = new Map<string, GatewayRecord>();
  readonly discovery = new DiscoveryCache();
  readonly extensions: BridgeExtension[] = [];
  private readonly lastStates = new Map<string, { payload: string; atMs: number }>();
  private readonly capLogged = new Set<string>();
  private readonly discoveryOptions: DiscoveryOptions;
  private readonly log: { gateway: Logger; discovery: Logger };

  constructor(
    readonly options: BridgeOptions,
    private readonly templates: Templates,
    private readonly publisher: Publisher,
    logger: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.discoveryOptions = {
      baseTopic: options.baseTopic,
      discoveryPrefix: options.discoveryPrefix,
      fallbackMax: { W: options.maxRateW, A: options.evMaxCurrentA },
    };
    this.log = {
      gateway: logger.child({ area: 'gateway' }),
      discovery: logger.child({ area: 'discovery' }),
    };
  }

  /** A status payload from {gatewayPrefix}/{id}/status. Never throws. */
  handleStatus(id: string, payload: Uint8Array): void {
    const gateway = this.gatewayRecord(id);
    if (gateway === undefined) return;
    if (payload.length > this.options.maxPayloadBytes) {
      this.reject(gateway, `payload of ${payload.length} bytes is over the cap`);
      return;
    }
    let site: SiteModel;
    try {
      const translation = siteFromStatus(id, decodeStatus(payload));
      site = translation.site;
      for (const problem of translation.problems) this.problem(gateway, problem);
    } catch (error) {
      this.reject(gateway, `not a GatewayStatus (${(error as Error).message})`);
      return;
    }
    const first = gateway.lastStatusMs === undefined;
    gateway.site = site;
    gateway.lastStatusMs = this.now();
    if (first) this.adoptRetainedDevices(gateway);
    // A gateway that sends telemetry is online, whatever its retained will said last.
    this.setConnection(gateway, 'online');
    this.setFresh(gateway, true);
    const devices = this.publishSite(gateway, false);
    for (const extension of this.extensions) extension.onStatus?.(gateway, devices);
  }

  /** The gateway's own online topic: 1 online, 0 offline (its last will). */
  handleOnline(id: string, payload: Uint8Array): void {
    const gateway = this.gatewayRecord(id);
    if (gateway === undefined) return;
    const text = Buffer.from(payload).toString('utf8').trim();
    if (text !== '1' && text !== '0') {
      this.reject(gateway, `online payload '${text.slice(0, 16)}' is neither 1 nor 0`);
      return;
    }
    this.setConnection(gateway, text === '1' ? 'online' : 'offline');
    if (gateway.lastStatusMs !== undefined) this.publishGatewayState(gateway);
  }

  /** A retained or fresh discovery config under the bridge's own node id. */
  handleDiscoveryConfig(topic: string, payload: Uint8Array): void {
    this.discovery.record(topic, Buffer.from(payload).toString('utf8'));
  }

  /** Home Assistant's birth: send every config again, then every state. */
  republish(): void {
    for (const gateway of this.gateways.values()) {
      if (gateway.lastStatusMs !== undefined || gateway.rejected > 0) {
        this.publishDiscoveryOnly(gateway);
      }
    }
  }

  /** Current states of every gateway, sent whether they changed or not. */
  republishStates(): void {
    for (const gateway of this.gateways.values()) {
      if (gateway.lastStatusMs === undefined && gateway.rejected === 0) continue;
      this.publishFlags(gateway);
      for (const device of this.devicesOf(gateway)) this.publishState(device, true);
    }
  }

  /** Called every few seconds: staleness and removal of devices gone from telemetry. */
  tick(): void {
    const now = this.now();
    for (const gateway of this.gateways.values()) {
      if (gateway.lastStatusMs === undefined) continue;
      if (gateway.fresh && now - gateway.lastStatusMs > this.options.staleAfterSeconds * 1000) {
        this.log.gateway.warn(
          { gateway: gateway.id },
          `no telemetry from gateway '${gateway.id}' for ${this.options.staleAfterSeconds} s:` +
            ' its entities are unavailable until it reports again; check its power and WiFi',
        );
        this.setFresh(gateway, false);
        this.publishGatewayState(gateway);
      }
      this.removeGoneDevices(gateway);
    }
  }

  /** The bridge's view of one gateway's devices as Home Assistant sees them now. */
  devicesOf(gateway: GatewayRecord): HaDevice[] {
    return haDevices(gateway.site, this.discoveryOptions, this.extras(gateway));
  }

  private gatewayRecord(id: string): GatewayRecord | undefined {
    const known = this.gateways.get(id);
    if (known !== undefined) return known;
    if (id === '' || id.length > 64 || /\p{Cc}/u.test(id)) {
      this.logOnce(`id:${id}`, `ignored a gateway topic with an unusable id '${id.slice(0, 80)}'`);
      return undefined;
    }
    if (this.gateways.size >= this.options.maxGateways) {
      this.logOnce(
        `cap:${id}`,
        `ignored gateway '${id}': already bridging ${this.options.maxGateways} gateways` +
          ' (raise max-gateways if this is expected)',
      );
      return undefined;
    }
    const record: GatewayRecord = {
      id,
      enc: encodeId(id),
      site: emptySite(id),
      fresh: false,
      rejected: 0,
      lastRejection: null,
      devices: new Map(),
      problemsLogged: new Set(),
    };
    this.gateways.set(id, record);
    return record;
  }

  private logOnce(key: string, message: string): void {
    if (this.capLogged.has(key) || this.capLogged.size > 10000) return;
    this.capLogged.add(key);
    this.log.gateway.warn(message);
  }

  /** A bad message: logged, counted, and the last good state stays. */
  private reject(gateway: GatewayRecord, reason: string): void {
    gateway.rejected += 1;
    gateway.lastRejection = reason;
    this.log.gateway.warn(
      { gateway: gateway.id, rejected: gateway.rejected },
      `rejected a message from gateway '${gateway.id}': ${reason}; the last good state is kept`,
    );
    this.publishGatewayDiscovery(gateway);
    this.publishGatewayState(gateway);
  }

  private problem(gateway: GatewayRecord, problem: { device: string; reason: string }): void {
    const key = `${problem.device}: ${problem.reason}`;
    if (gateway.problemsLogged.has(key)) return;
    gateway.problemsLogged.add(key);
    this.log.gateway.warn({ gateway: gateway.id, device: problem.device }, problem.reason);
    if (problem.reason.includes('skipped')) {
      gateway.rejected += 1;
      gateway.lastRejection = key;
    }
  }

  private extras(gateway: GatewayRecord): GatewayExtras {
    const extras: GatewayExtras = {
      online: gateway.connection === 'online' && gateway.fresh,
      last_seen:
        gateway.lastStatusMs === undefined ? null : isoTime(Math.floor(gateway.lastStatusMs / 1000)),
      rejected_messages: gateway.rejected,
      last_rejection: gateway.lastRejection,
    };
    for (const extension of this.extensions) Object.assign(extras, extension.gatewayExtras?.(gateway));
    return extras;
  }

  private setConnection(gateway: GatewayRecord, connection: 'online' | 'offline'): void {
    if (gateway.connection === connection) return;
    if (connection === 'offline') {
      this.log.gateway.warn(
        { gateway: gateway.id },
        `gateway '${gateway.id}' went offline (its last will): check its power and WiFi`,
      );
    }
    gateway.connection = connection;
    this.publishFlags(gateway);
  }

  private setFresh(gateway: GatewayRecord, fresh: boolean): void {
    if (gateway.fresh === fresh) return;
    gateway.fresh = fresh;
    this.publishFlags(gateway);
  }

  private publishFlags(gateway: GatewayRecord): void {
    const o = this.discoveryOptions;
    if (gateway.connection !== undefined) {
      this.publisher.publish(gatewayOnlineTopic(o, gateway.enc), gateway.connection, RETAINED_QOS1);
    }
    this.publisher.publish(
      gatewayFreshTopic(o, gateway.enc),
      gateway.fresh ? 'online' : 'offline',
      RETAINED_QOS1,
    );
  }

  private publishSite(gateway: GatewayRecord, force: boolean): HaDevice[] {
    const devices = this.devicesOf(gateway);
    const now = this.now();
    for (const device of devices) {
      if (device.template !== 'gateway') this.seen(gateway, device, now);
      this.publishDiscovery(gateway, device, force);
      this.publishState(device, force);
    }
    return devices;
  }

  private publishDiscoveryOnly(gateway: GatewayRecord): void {
    for (const device of this.devicesOf(gateway)) this.publishDiscovery(gateway, device, true);
  }

  private publishGatewayDiscovery(gateway: GatewayRecord): void {
    const [device] = this.devicesOf(gateway);
    if (device !== undefined) this.publishDiscovery(gateway, device, false);
  }

  private publishGatewayState(gateway: GatewayRecord): void {
    const [device] = this.devicesOf(gateway);
    if (device !== undefined) this.publishState(device, false);
  }

  private seen(gateway: GatewayRecord, device: HaDevice, now: number): void {
    const known = gateway.devices.get(device.id);
    const groups = known?.groups ?? new Set<string>();
    if (device.groups !== 'all') for (const group of device.groups) groups.add(group);
    gateway.devices.set(device.id, { lastSeenMs: now, groups, topic: device.topic });
  }

  /**
   * Publishes the device's configs that changed and removes those no longer wanted.
   * Groups a unit reported once keep their entities, so a reading missing from one
   * message does not delete them in Home Assistant.
   */
  private publishDiscovery(gateway: GatewayRecord, device: HaDevice, force: boolean): void {
    const groups = new Set(gateway.devices.get(device.id)?.groups ?? []);
    const byKey = new Map(this.templates[device.template].map((entity) => [entity.key, entity]));
    for (const key of this.discovery.keys(device.id)) {
      const requires = byKey.get(key)?.requires;
      if (requires !== undefined) groups.add(requires);
    }
    const withGroups: HaDevice =
      device.groups === 'all' ? device : { ...device, groups: [...groups] };
    const configs = discoveryConfigs(withGroups, this.templates, this.discoveryOptions);
    const wanted = new Set(configs.map((config) => config.topic));
    for (const config of configs) {
      const payload = JSON.stringify(config.payload);
      if (!force && this.discovery.payload(config.topic) === payload) continue;
      this.publisher.publish(config.topic, payload, RETAINED_QOS1);
      this.discovery.record(config.topic, payload);
    }
    for (const topic of this.discovery.topics(device.id)) {
      if (wanted.has(topic)) continue;
      this.log.discovery.info({ topic }, `removed an entity of '${device.device.name}'`);
      this.removeConfig(topic);
    }
  }

  private publishState(device: HaDevice, force: boolean): void {
    this.publishStateTopic(`${device.topic}/state`, device.state, force);
    for (const sub of device.subStates) {
      this.publishStateTopic(`${device.topic}/${sub.suffix}/state`, sub.state, force);
    }
  }

  private publishStateTopic(topic: string, state: Record<string, unknown>, force: boolean): void {
    const payload = JSON.stringify(state);
    const now = this.now();
    const last = this.lastStates.get(topic);
    const heartbeatDue =
      last === undefined || now - last.atMs >= this.options.heartbeatSeconds * 1000;
    if (!force && !heartbeatDue && last.payload === payload) return;
    this.publisher.publish(topic, payload, RETAINED_QOS0);
    this.lastStates.set(topic, { payload, atMs: now });
  }

  /** Inverters and chargers found on the broker from before a restart are tracked too. */
  private adoptRetainedDevices(gateway: GatewayRecord): void {
    const now = this.now();
    for (const deviceId of this.discovery.devicesOf(gateway.enc)) {
      if (gateway.devices.has(deviceId)) continue;
      gateway.devices.set(deviceId, { lastSeenMs: now, groups: new Set(), topic: '' });
    }
  }

  private removeGoneDevices(gateway: GatewayRecord): void {
    const limit = this.options.removeAfterSeconds * 1000;
    for (const [deviceId, device] of gateway.devices) {
      if ((gateway.lastStatusMs ?? 0) - device.lastSeenMs <= limit) continue;
      this.log.discovery.info(
        { gateway: gateway.id, device: deviceId },
        `removed device '${deviceId}': missing from gateway '${gateway.id}' telemetry for` +
          ` ${this.options.removeAfterSeconds} s`,
      );
      for (const topic of this.discovery.topics(deviceId)) this.removeConfig(topic);
      if (device.topic !== '') this.clearState(`${device.topic}/state`);
      gateway.devices.delete(deviceId);
    }
  }

  private removeConfig(topic: string): void {
    this.publisher.publish(topic, '', RETAINED_QOS1);
    this.discovery.record(topic, '');
  }

  private clearState(topic: string): void {
    this.publisher.publish(topic, '', RETAINED_QOS0);
    this.lastStates.delete(topic);
  }
}
