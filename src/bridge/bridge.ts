// The bridge's core: gateway messages in, Home Assistant discovery and states out.
// It holds no connection: it publishes through a Publisher, so it runs the same against
// a real broker and in unit tests.
import { readStatus } from '../gateway/wire';
import { type Deadbands, deadbands } from '../homeassistant/deadbands';
import type { DiscoveryOptions } from '../homeassistant/discovery';
import {
  type DeviceFrames,
  type GatewayExtras,
  type HaDevice,
  haDevices,
} from '../homeassistant/devices';
import type { TemplateDevice, Templates } from '../homeassistant/templates';
import { gatewayFreshTopic, gatewayOnlineTopic, stateTopic } from '../homeassistant/topics';
import { holdCorruptedCounters } from '../site/energy-counters';
import { siteFromStatus } from '../site/from-status';
import type { Problem, SiteModel, Translation } from '../site/model';
import { isoTime } from '../site/values';
import { DiscoveryCache } from './discovery-cache';
import { adoptRetained, markSeen } from './device-presence';
import { DiscoveryPublisher } from './discovery-publisher';
import { GatewayRegistry, type LogOnce } from './gateway-registry';
import type { KeptSite } from './kept-site';
import type { Logger } from './logger';
import type { BridgeOptions } from './options';
import { StateGate } from './state-gate';
import { statusRejection } from './status-rejection';

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
  /** The site as last bridged: empty before good telemetry, built again when asked for. */
  readonly site: SiteModel;
  /** What the bridge keeps of the last message bridged, that site included. */
  kept: KeptSite;
  lastStatusMs?: number;
  connection?: 'online' | 'offline';
  fresh: boolean;
  rejected: number;
  lastRejection: string | null;
  /** Inverters and chargers: when last in telemetry, and the groups they ever reported. */
  devices: Map<
    string,
    {
      lastSeenMs: number;
      groups: Set<string>;
      topic: string;
      adopted: boolean;
      /**
       * When last in telemetry as an inverter that takes commands; -Infinity if never (a
       * number throughout, so that V8 writes it in place).
       */
      managedSeenMs: number;
    }
  >;
  /** Problems in its telemetry already logged, so a repeated one is said once. */
  problemsLogged: LogOnce;
  /** Its devices' topics, names and identifiers, built again only when they change. */
  frames: DeviceFrames;
}

/**
 * What the bridges publish of a gateway besides its states, as this bridge holds it: the
 * availability flags and the rejected-message count.
 */
export type GatewayPublished = Pick<
  GatewayRecord,
  'connection' | 'fresh' | 'rejected' | 'lastRejection'
>;

/** Extensions (commands, plans) add to each gateway's state and watch its telemetry. */
export interface BridgeExtension {
  gatewayExtras?(gateway: GatewayRecord): GatewayExtras;
  onStatus?(gateway: GatewayRecord, devices: HaDevice[]): void;
  /** In a fleet: the gateway's state as a fellow, or this bridge, published it. */
  observeGatewayState?(gateway: GatewayRecord, state: Record<string, unknown>): void;
  /** Called on every tick of the bridge, after its own checks. */
  tick?(): void;
}

const RETAINED_QOS1: PublishOptions = { qos: 1, retain: true };
const RETAINED_QOS0: PublishOptions = { qos: 0, retain: true };
const BOTH_FLAGS = { connection: true, fresh: true };

export class Bridge {
  private readonly registry: GatewayRegistry;
  readonly discovery = new DiscoveryCache();
  readonly extensions: BridgeExtension[] = [];
  /** Counted since start: the benchmark reads them, and in a fleet each bridge's share. */
  readonly stats = { statusMessages: 0, rejectedMessages: 0, statesPublished: 0 };
  private readonly states: StateGate;
  private readonly bands: Deadbands;
  /** Keys of the controls an inverter shows only while it takes commands. */
  private readonly controlKeys: Set<string>;
  private readonly configs: DiscoveryPublisher;
  /** Where and how the bridge announces entities; the controls read their ranges from it. */
  readonly discoveryOptions: DiscoveryOptions;
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
      expireAfterSeconds: options.heartbeatSeconds + options.staleAfterSeconds,
    };
    this.log = {
      gateway: logger.child({ area: 'gateway' }),
      discovery: logger.child({ area: 'discovery' }),
    };
    this.registry = new GatewayRegistry(options.maxGateways, this.log.gateway);
    this.states = new StateGate(options.heartbeatSeconds * 1000);
    this.bands = deadbands(templates);
    this.controlKeys = new Set(
      templates.inverter.filter((entity) => entity.when === 'managed').map((e) => e.key),
    );
    this.configs = new DiscoveryPublisher(
      templates,
      this.discoveryOptions,
      this.discovery,
      publisher,
      this.log.discovery,
    );
  }

  /** A status payload from {gatewayPrefix}/{id}/status. Never throws. */
  handleStatus(id: string, payload: Uint8Array): void {
    this.stats.statusMessages += 1;
    if (!this.registry.usable(id)) {
      // Said once per id; counted every time, as every refused message is.
      this.stats.rejectedMessages += 1;
      return;
    }
    let translation: Translation;
    try {
      if (payload.length > this.options.maxPayloadBytes) {
        throw new Error(`payload of ${payload.length} bytes is over the cap`);
      }
      translation = siteFromStatus(id, readStatus(payload));
    } catch (error) {
      this.stats.rejectedMessages += 1;
      const reason = statusRejection(payload, error as Error);
      const known = this.registry.get(id);
      if (known === undefined) this.registry.rejectUnknown(id, reason);
      else this.reject(known, reason);
      return;
    }
    const gateway = this.registry.admit(id);
    if (gateway === undefined) {
      // Over max_gateways: said once, counted every time.
      this.stats.rejectedMessages += 1;
      return;
    }
    const site = translation.site;
    // Judged against the site as last bridged (empty for a new gateway).
    const held = holdCorruptedCounters(
      gateway.kept,
      site,
      this.options.timezone,
      this.now() / 1000,
    );
    const problems = translation.problems;
    this.problems(gateway, held.length === 0 ? problems : [...problems, ...held]);
    gateway.kept.keep(payload, site);
    try {
      this.bridged(gateway);
    } finally {
      gateway.kept.release();
    }
  }

  /** A gateway whose message was just kept: its flags, configs and states. */
  private bridged(gateway: GatewayRecord): void {
    const { id, site } = gateway;
    const first = gateway.lastStatusMs === undefined;
    gateway.lastStatusMs = this.now();
    if (first) {
      // A unit whose controls a previous run announced took commands then: it keeps them
      // for remove_after, as it would have had this bridge not restarted.
      const retained = this.discovery.devicesOf(gateway.enc).map((deviceId) => ({
        id: deviceId,
        topic: this.discovery.deviceTopic(deviceId),
        managed: this.discovery.keys(deviceId).some((key) => this.controlKeys.has(key)),
      }));
      adoptRetained(gateway, retained, this.now());
      this.log.gateway.info(
        { gateway: id },
        `found gateway '${id}' (firmware ${site.gateway.firmware ?? 'unknown'}) with` +
          ` ${site.inverters.length} inverter(s) and ${site.ev_chargers.length} EV charger(s)`,
      );
    }
    if (!first && !gateway.fresh) {
      this.log.gateway.info({ gateway: id }, `gateway '${id}' reports again`);
    }
    // A gateway that sends telemetry is online, whatever its retained will said last. The
    // flags that changed go out together, so neither shows a moment's offline between the two.
    const connection = this.setConnection(gateway, 'online');
    const fresh = this.setFresh(gateway, true);
    if (connection || fresh) this.publishFlags(gateway, { connection, fresh });
    const devices = this.publishSite(gateway);
    for (const extension of this.extensions) extension.onStatus?.(gateway, devices);
  }

  /** The gateway's own online topic: 1 online, 0 offline (its last will). */
  handleOnline(id: string, payload: Uint8Array): void {
    const text = Buffer.from(payload).toString('utf8').trim();
    // Empty is a retained flag being cleared: no news. Unknown gateways appear with telemetry.
    const gateway = text === '' ? undefined : this.registry.get(id);
    if (gateway === undefined) return;
    if (text !== '1' && text !== '0') {
      this.stats.rejectedMessages += 1;
      this.reject(gateway, `online payload '${text.slice(0, 16)}' is neither 1 nor 0`);
      return;
    }
    if (this.setConnection(gateway, text === '1' ? 'online' : 'offline')) {
      this.publishFlags(gateway, { connection: true, fresh: false });
    }
    this.publishGatewayState(gateway);
  }

  /**
   * After start-up: gateways whose configs a previous run left on the broker become
   * unavailable if they do not report within the stale time, so a gateway that died while
   * the bridge was down is not shown with its old values as if it were live.
   */
  watchRetainedGateways(): void {
    this.registry.expect(this.discovery.gatewayIds(), this.now());
  }

  /** A retained or fresh discovery config under the bridge's own node id. */
  handleDiscoveryConfig(topic: string, payload: Uint8Array): void {
    this.discovery.record(topic, Buffer.from(payload).toString('utf8'));
  }

  /** Home Assistant's birth: send every config again, then every state. */
  republish(): void {
    for (const gateway of this.gateways.values()) {
      for (const device of this.devicesOf(gateway)) this.publishDiscovery(gateway, device, true);
    }
  }

  /** Current states of every gateway, sent whether they changed or not. */
  republishStates(): void {
    for (const gateway of this.gateways.values()) {
      this.publishFlags(gateway);
      this.publishStates(gateway, true);
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
        this.publishFlags(gateway, { connection: false, fresh: true });
        this.publishGatewayState(gateway);
      }
      this.removeGoneDevices(gateway);
    }
    for (const enc of this.registry.overdue(now, this.options.staleAfterSeconds * 1000)) {
      this.publisher.publish(
        gatewayFreshTopic(this.discoveryOptions, enc),
        'offline',
        RETAINED_QOS1,
      );
    }
    for (const extension of this.extensions) extension.tick?.();
  }

  /**
   * One gateway's states again: those that changed (an extension's extras did), or all of
   * them when forced, so an entity Home Assistant moved snaps back to the reported value.
   */
  publishStates(gateway: GatewayRecord, force: boolean): void {
    for (const device of this.devicesOf(gateway)) this.publishState(device, force);
  }

  /** A gateway this bridge knows, by the id its Home Assistant topics carry. */
  gatewayByEnc(enc: string): GatewayRecord | undefined {
    return this.registry.byEncodedId(enc);
  }

  /** Every gateway that has sent valid telemetry, by the id its topics carry. */
  get gateways(): ReadonlyMap<string, GatewayRecord> {
    return this.registry.gateways;
  }

  /** In a fleet: a state on the broker (a fellow's, or this bridge's coming back). */
  observeState(topic: string, template: TemplateDevice | undefined, payload: string): void {
    const bands = template === undefined ? [] : this.bands[template];
    this.states.observe(topic, payload, bands, this.now());
  }

  /** The bridge's view of one gateway's devices as Home Assistant sees them now. */
  devicesOf(gateway: GatewayRecord): HaDevice[] {
    return haDevices(gateway.site, this.discoveryOptions, this.extras(gateway), gateway.frames);
  }

  /** In a fleet: where what a fellow published of a gateway goes, met by this bridge or not yet. */
  publishedOf(enc: string): GatewayPublished {
    return this.registry.publishedOf(enc);
  }

  /** A bad message: logged, counted, and the last good state stays. */
  private reject(gateway: GatewayRecord, reason: string): void {
    gateway.rejected += 1;
    gateway.lastRejection = reason;
    this.log.gateway.warn(
      { gateway: gateway.id, rejected: gateway.rejected },
      `rejected a message from gateway '${gateway.id}': ${reason}; the last good state is kept`,
    );
    // The gateway's own device comes first; its other devices are left as they were.
    const [device] = this.devicesOf(gateway);
    if (device === undefined) return;
    this.publishDiscovery(gateway, device, false);
    this.publishState(device, false);
  }

  /**
   * Parts of a message skipped as unusable count the message once as rejected; each
   * distinct problem is logged once, so a unit that stays broken does not flood the log.
   */
  private problems(gateway: GatewayRecord, problems: Problem[]): void {
    let skipped: string | undefined;
    for (const problem of problems) {
      const key = `${problem.device}: ${problem.reason}`;
      if (problem.skipped) skipped = key;
      if (gateway.problemsLogged.first(key)) {
        this.log.gateway.warn({ gateway: gateway.id, device: problem.device }, problem.reason);
      }
    }
    if (skipped === undefined) return;
    this.stats.rejectedMessages += 1;
    gateway.rejected += 1;
    gateway.lastRejection = skipped;
  }

  private extras(gateway: GatewayRecord): GatewayExtras {
    const extras: GatewayExtras = {
      online: gateway.connection === 'online' && gateway.fresh,
      last_seen:
        gateway.lastStatusMs === undefined
          ? null
          : isoTime(Math.floor(gateway.lastStatusMs / 1000)),
      rejected_messages: gateway.rejected,
      last_rejection: gateway.lastRejection,
    };
    for (const extension of this.extensions)
      Object.assign(extras, extension.gatewayExtras?.(gateway));
    return extras;
  }

  /** Whether the connection changed; the caller publishes the flags. */
  private setConnection(gateway: GatewayRecord, connection: 'online' | 'offline'): boolean {
    if (gateway.connection === connection) return false;
    if (connection === 'offline') {
      this.log.gateway.warn(
        { gateway: gateway.id },
        `gateway '${gateway.id}' went offline (its last will): check its power and WiFi`,
      );
    } else if (gateway.connection === 'offline') {
      this.log.gateway.info({ gateway: gateway.id }, `gateway '${gateway.id}' is back online`);
    }
    gateway.connection = connection;
    return true;
  }

  /** Whether freshness changed; the caller publishes the flags. */
  private setFresh(gateway: GatewayRecord, fresh: boolean): boolean {
    if (gateway.fresh === fresh) return false;
    gateway.fresh = fresh;
    return true;
  }

  /** The flags that changed (both by default, as on Home Assistant's birth), in one go. */
  private publishFlags(gateway: GatewayRecord, which = BOTH_FLAGS): void {
    const o = this.discoveryOptions;
    if (which.connection && gateway.connection !== undefined) {
      this.publisher.publish(gatewayOnlineTopic(o, gateway.enc), gateway.connection, RETAINED_QOS1);
    }
    if (which.fresh) {
      this.publisher.publish(
        gatewayFreshTopic(o, gateway.enc),
        gateway.fresh ? 'online' : 'offline',
        RETAINED_QOS1,
      );
    }
  }

  private publishSite(gateway: GatewayRecord): HaDevice[] {
    const devices = this.devicesOf(gateway);
    const now = this.now();
    // Units first: what the gateway's own configs show depends on them.
    for (const device of devices)
      if (device.template !== 'gateway') this.seen(gateway, device, now);
    for (const device of devices) {
      this.publishDiscovery(gateway, device, false);
      this.publishState(device, false);
    }
    return devices;
  }

  private publishGatewayState(gateway: GatewayRecord): void {
    const [device] = this.devicesOf(gateway);
    if (device !== undefined) this.publishState(device, false);
  }

  private seen(gateway: GatewayRecord, device: HaDevice, now: number): void {
    if (!markSeen(gateway, device, now)) return;
    const what = device.template === 'ev_charger' ? 'EV charger' : 'inverter';
    this.log.gateway.info(
      { gateway: gateway.id, device: device.id },
      `found ${what} '${device.device.name}' on gateway '${gateway.id}'` +
        `${device.managed ? '' : ' (read-only: it takes no commands)'}`,
    );
  }

  private publishDiscovery(gateway: GatewayRecord, device: HaDevice, force: boolean): void {
    const shown = announced(gateway, device, this.now(), this.options.removeAfterSeconds * 1000);
    this.configs.publish(shown, gateway.devices.get(device.id)?.groups, force);
  }

  private publishState(device: HaDevice, force: boolean): void {
    const bands = this.bands[device.template];
    this.publishStateTopic(device.stateTopic, device.state, bands, force);
  }

  /** The lean path: a state goes out on a change beyond its deadbands, or at the heartbeat. */
  private publishStateTopic(
    topic: string,
    state: Record<string, unknown>,
    bands: Deadbands[keyof Deadbands],
    force: boolean,
  ): void {
    const payload = this.states.admit(topic, state, bands, this.now(), force);
    if (payload === undefined) return;
    this.publisher.publish(topic, payload, RETAINED_QOS0);
    this.stats.statesPublished += 1;
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
      for (const topic of this.discovery.topics(deviceId)) this.configs.remove(topic);
      this.configs.forget(deviceId);
      if (device.topic !== '') this.clearState(stateTopic(device.topic));
      gateway.devices.delete(deviceId);
    }
  }

  private clearState(topic: string): void {
    this.publisher.publish(topic, '', RETAINED_QOS0);
    this.states.forget(topic);
  }
}

/**
 * The device as its discovery configs show it. A unit missing from a message keeps its
 * entities until remove_after; so does an inverter that took commands keep its controls
 * for that time after it last did, and the gateway the controls it has for such units
 * (battery mode, plans), instead of one message losing them and the user's settings for
 * them in Home Assistant. A command meanwhile is checked against the unit as it reports.
 */
function announced(
  gateway: GatewayRecord,
  device: HaDevice,
  now: number,
  graceMs: number,
): HaDevice {
  if (device.managed || device.template === 'ev_charger') return device;
  const recent = (seenMs = Number.NEGATIVE_INFINITY): boolean => now - seenMs <= graceMs;
  let kept = false;
  if (device.template === 'inverter') kept = recent(gateway.devices.get(device.id)?.managedSeenMs);
  else for (const unit of gateway.devices.values()) kept ||= recent(unit.managedSeenMs);
  return kept ? { ...device, managed: true } : device;
}
