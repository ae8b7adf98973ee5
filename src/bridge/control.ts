// Home Assistant controls the gateway. A payload on a control's command topic is checked
// against the entity Home Assistant was shown, coalesced per control (a dragged slider
// sends only where it stopped) and handed to the dispatcher, which sends it once and
// reports what became of it. Home Assistant only ever shows values the telemetry reports.
import {
  controlOf,
  isReported,
  parseControlValue,
  reportedValue,
} from '../homeassistant/control-input';
import {
  type GatewayExtras,
  type HaDevice,
  JsonDocument,
  gatewayEntityPrefix,
} from '../homeassistant/devices';
import { entityId } from '../homeassistant/discovery';
import { type PlanDefaults, parsePlan, planJson } from '../homeassistant/plan-input';
import type { EntityTemplate, Templates } from '../homeassistant/templates';
import {
  type ControlValue,
  type Intent,
  commandName,
  intentFor,
  intentName,
  unknownCommands,
} from '../site/commands';
import { decodeId } from '../site/identity';
import type { SiteModel } from '../site/model';
import { AUTO_PLAN, type PlanMode, type SitePlan, modeName } from '../site/plan';
import { planProblem } from '../site/plan-check';
import type { Bridge, BridgeExtension, GatewayRecord, Publisher } from './bridge';
import type { CommandSubject } from './command-results';
import type { ControlStore } from './control-store';
import { Debouncer } from './debouncer';
import { Dispatcher, type CommandLink, type Origin } from './dispatch';
import type { Logger } from './logger';
import type { BridgeOptions } from './options';
import { noDischargeFloor, noPlans, planDefaults } from './plan-requests';
import { Plans } from './plans';

export class Control implements BridgeExtension {
  private readonly plans: Plans;
  private readonly send: Dispatcher;
  private readonly debounced: Debouncer;
  private readonly shownModes = new Map<string, PlanMode>();
  private readonly retainedLogged = new Set<string>();
  private readonly log: Logger;

  constructor(
    private readonly bridge: Bridge,
    private readonly templates: Templates,
    private readonly options: BridgeOptions,
    homeAssistant: Publisher,
    link: CommandLink,
    store: ControlStore,
    logger: Logger,
    private readonly now: () => number = Date.now,
  ) {
    const named = Object.values(templates).flatMap((entities) => entities.map((e) => e.command));
    const unknown = unknownCommands(named.filter((c): c is string => c !== undefined));
    if (unknown.length > 0) {
      throw new Error(`discovery templates name commands the bridge lacks: ${unknown.join(', ')}`);
    }
    this.log = logger.child({ area: 'commands' });
    this.debounced = new Debouncer(options.commandDebounceMs, this.log);
    this.plans = new Plans(store, options.timezone);
    this.send = new Dispatcher(bridge, options, homeAssistant, link, this.plans, this.log, now);
  }

  /** A message on a command topic of Home Assistant's broker. Never throws. */
  handleSet(topic: string, payload: Uint8Array, retained = false): void {
    try {
      this.onSet(topic, Buffer.from(payload).toString('utf8'), retained);
    } catch (error) {
      this.log.error(
        { topic, error: (error as Error).message },
        `a command on '${topic}' failed: ${(error as Error).message}`,
      );
    }
  }

  gatewayExtras(gateway: GatewayRecord): GatewayExtras {
    const nowSeconds = Math.floor(this.now() / 1000);
    return {
      read_only: this.plans.readOnly(gateway.id),
      battery_mode: modeName(this.plans.mode(gateway.id, nowSeconds)),
      forced_mode_minutes: this.plans.forcedMinutes(gateway.id),
      plan: new JsonDocument(this.plans.state(gateway.id)),
      command_result: new JsonDocument(this.send.lastResult(gateway.id)),
    };
  }

  /** Each telemetry message confirms what it reports, and counts a cycle for the rest. */
  onStatus(gateway: GatewayRecord, devices: HaDevice[]): void {
    this.send.confirm(gateway, devices);
    if (!this.send.planStatePublished(gateway.id)) this.send.publishPlanState(gateway.id);
  }

  /** In a fleet: a command a fellow sent replaces this bridge's for the same control. */
  observeGatewayState(gateway: GatewayRecord, state: Record<string, unknown>): void {
    this.send.observeResult(gateway.id, state.command_result);
  }

  /** Called every few seconds: expiry, time-outs, plan refresh and the end of forced modes. */
  tick(): void {
    const now = this.now();
    const nowSeconds = Math.floor(now / 1000);
    this.send.housekeeping();
    for (const id of this.plans.ids()) {
      if (this.plans.ended(id, nowSeconds)) this.endForcedMode(id);
      else if (this.plans.refreshDue(id, now, this.options.planRefreshSeconds * 1000)) {
        this.send.refreshPlan(id);
      }
    }
    // The battery mode follows the plan's windows as time passes.
    for (const gateway of this.bridge.gateways.values()) {
      const mode = this.plans.mode(gateway.id, nowSeconds);
      const shown = this.shownModes.get(gateway.id);
      this.shownModes.set(gateway.id, mode);
      if (shown !== undefined && shown !== mode) this.bridge.publishStates(gateway, false);
    }
  }

  /** The gateways' broker (re)connected. */
  onGatewayConnect(): void {
    this.send.reconnected();
  }

  /** Every command not yet sent is reported expired, so none is lost without a word. */
  stop(): void {
    const unsent = this.send.outbox.size + this.debounced.size;
    if (unsent > 0) this.log.warn(`stopping with ${unsent} command(s) not sent: give them again`);
    this.debounced.stop();
    this.send.stop();
  }

  private onSet(topic: string, text: string, retained: boolean): void {
    const prefix = `${this.options.baseTopic}/`;
    if (!topic.startsWith(prefix) || !topic.endsWith('/set')) return;
    if (retained) {
      this.warnRetained(topic);
      return;
    }
    const levels = topic.slice(prefix.length).split('/').slice(0, -1);
    const enc = levels[0] ?? '';
    const subject: CommandSubject = {
      command: null,
      command_id: null,
      entity: topic,
      device: null,
      value: text.length > 64 ? `${text.slice(0, 64)}…` : text,
    };
    const gateway = this.bridge.gatewayByEnc(enc);
    if (gateway === undefined || gateway.lastStatusMs === undefined) {
      // The result goes under the id's encoding, as every topic does, never a raw level.
      const id = decodeId(enc) ?? enc;
      this.send.reject(id, subject, `no telemetry from a gateway '${id}' yet`);
      return;
    }
    if (levels.length === 2 && levels[1] === 'plan') {
      this.onPlan(gateway, text, { ...subject, command: 'set_plan', device: gateway.id });
      return;
    }
    const key = levels[levels.length - 1] ?? '';
    const deviceTopic = prefix + levels.slice(0, -1).join('/');
    const device = this.bridge.devicesOf(gateway).find((d) => d.topic === deviceTopic);
    if (device === undefined) {
      this.send.reject(gateway.id, subject, `gateway '${gateway.id}' reports no unit there`);
      return;
    }
    const control = controlOf(device, key, this.templates);
    if (!control.ok) {
      this.send.reject(gateway.id, subject, control.reason);
      return;
    }
    this.onControl(gateway, device, control.value, text, subject);
  }

  private onControl(
    gateway: GatewayRecord,
    device: HaDevice,
    entity: EntityTemplate,
    text: string,
    subject: CommandSubject,
  ): void {
    const command = entity.command ?? '';
    const about: CommandSubject = {
      ...subject,
      command: commandName(command),
      entity: entityId(entity.platform, device.entityPrefix, entity.key),
      device: device.device.serial_number,
    };
    const value = parseControlValue(device, entity, text, this.bridge.discoveryOptions);
    if (!value.ok) {
      this.send.reject(gateway.id, about, value.reason);
      return;
    }
    const unit = {
      serial: device.template === 'inverter' ? device.device.serial_number : undefined,
      edge: entity.argument,
      evIdTag: this.options.evIdTag,
    };
    const intent = intentFor(command, value.value, unit);
    if (typeof intent === 'string') {
      this.send.reject(gateway.id, { ...about, value: value.value }, `${entity.name} ${intent}`);
      return;
    }
    // Named as the wire names it, whatever becomes of it.
    const valued = { ...about, command: intentName(intent), value: value.value };
    const refusal = this.refusal(gateway, intent);
    if (refusal !== undefined) {
      this.send.reject(gateway.id, valued, refusal);
      return;
    }
    const key = `${device.id}/${entity.key}`;
    const givenMs = this.now();
    this.debounced.add(
      key,
      () => this.fire(gateway.id, device.id, entity, value.value, intent, valued, givenMs),
      () => this.send.report(gateway.id, valued, 'expired', 'the bridge stopped before sending it'),
    );
  }

  /** Why a valid command must not leave, if it must not. */
  private refusal(gateway: GatewayRecord, intent: Intent): string | undefined {
    if (intent.kind === 'forced_minutes') return undefined;
    if (this.options.readOnly) {
      return 'the bridge is in read-only mode (option read_only): no command leaves it';
    }
    const readOnlySwitch = intent.kind === 'gateway' && intent.intent.command === 'set_read_only';
    if (!readOnlySwitch && this.plans.readOnly(gateway.id) === true) {
      return `gateway '${gateway.id}' is read-only: turn its Read-only switch off first`;
    }
    // A plan is retained and waits for the gateway; a command would be lost on the way.
    if (intent.kind === 'gateway' || intent.kind === 'ev') {
      if (gateway.connection === 'offline') return `gateway '${gateway.id}' is offline`;
      if (!gateway.fresh) return `no recent telemetry from gateway '${gateway.id}'`;
    }
    if (intent.kind === 'ev' && gateway.site.gateway.ev_control === false) {
      return `gateway '${gateway.id}' does not lead EV control (another gateway does)`;
    }
    if (intent.kind === 'battery_mode' && intent.mode !== 'auto') return noPlans(gateway);
    return undefined;
  }

  /** The last value of a control, once it has settled. */
  private fire(
    gatewayId: string,
    deviceId: string,
    entity: EntityTemplate,
    value: ControlValue,
    intent: Intent,
    subject: CommandSubject,
    givenMs: number,
  ): void {
    const gateway = this.bridge.gateways.get(gatewayId);
    const device = gateway && this.bridge.devicesOf(gateway).find((d) => d.id === deviceId);
    if (gateway === undefined || device === undefined) {
      this.send.reject(gatewayId, subject, 'the unit left the telemetry before it was sent');
      return;
    }
    // Checked again as it leaves: the gateway may have gone offline or read-only meanwhile.
    const refusal = this.refusal(gateway, intent);
    if (refusal !== undefined) {
      this.send.reject(gatewayId, subject, refusal);
      return;
    }
    const origin: Origin = { gateway, device, entity, key: `${deviceId}/${entity.key}` };
    if (this.alreadySo(origin, value, intent, subject)) {
      this.send.report(gatewayId, subject, 'confirmed', 'already so: nothing was sent');
      return;
    }
    switch (intent.kind) {
      case 'forced_minutes':
        this.plans.setForcedMinutes(gatewayId, intent.minutes);
        this.send.report(gatewayId, subject, 'confirmed', 'a bridge setting for forced modes');
        this.resendForced(gateway, subject, givenMs);
        return;
      case 'battery_mode': {
        const plan = this.batteryModePlan(gateway, intent.mode);
        if (typeof plan === 'string') this.send.reject(gatewayId, subject, plan);
        else this.sendPlan(gateway, plan, subject, givenMs);
        return;
      }
      default:
        this.send.command(origin, value, intent, subject, givenMs);
    }
  }

  /**
   * A value the telemetry already reports is not sent again, unless a command for the same
   * control is still unconfirmed (it may be about to change it). Auto while a plan from the
   * plan topic waits for its next window still clears that plan.
   */
  private alreadySo(
    origin: Origin,
    value: ControlValue,
    intent: Intent,
    subject: CommandSubject,
  ): boolean {
    if (this.send.waiting(origin.gateway.id, origin.key, subject)) return false;
    if (intent.kind === 'battery_mode' && intent.mode === 'auto') {
      return this.plans.current(origin.gateway.id).windows.length === 0;
    }
    return isReported(value, reportedValue(origin.device, origin.entity));
  }

  private onPlan(gateway: GatewayRecord, text: string, subject: CommandSubject): void {
    const refusal = this.refusal(gateway, { kind: 'battery_mode', mode: 'auto' });
    if (refusal !== undefined) {
      this.send.reject(gateway.id, subject, refusal);
      return;
    }
    const refused = noPlans(gateway);
    const parsed = parsePlan(text, this.planDefaults(gateway.site));
    // A gateway that takes no plan says so first, whatever else is wrong with this one.
    if (!parsed.ok) {
      this.send.reject(gateway.id, subject, refused ?? parsed.reason);
      return;
    }
    const read = { ...subject, value: planJson(parsed.value) };
    // Returning to Auto is always allowed: it only ever stops a plan.
    if (parsed.value.length === 0) {
      this.sendPlan(gateway, AUTO_PLAN, read, this.now());
      return;
    }
    if (refused !== undefined) {
      this.send.reject(gateway.id, read, refused);
      return;
    }
    const plan: SitePlan = { windows: parsed.value, source: { kind: 'plan_topic' } };
    this.sendPlan(gateway, plan, read, this.now());
  }

  /** A new plan goes out only if the battery can run it as it says. */
  private sendPlan(
    gateway: GatewayRecord,
    plan: SitePlan,
    subject: CommandSubject,
    givenMs: number,
  ): void {
    const limits = { max_power_w: this.planDefaults(gateway.site).power_w };
    const problem = planProblem(plan.windows, limits);
    if (problem === undefined) this.send.plan(gateway.id, plan, subject, givenMs);
    else this.send.reject(gateway.id, subject, `the plan's ${problem}`);
  }

  /** The forced mode's plan, or why there is none (a discharge needs a known floor). */
  private batteryModePlan(gateway: GatewayRecord, mode: PlanMode): SitePlan | string {
    if (mode === 'auto') return AUTO_PLAN;
    const defaults = this.planDefaults(gateway.site);
    const target = mode === 'charge' ? 100 : defaults.reserve_soc;
    if (target === null) return noDischargeFloor(gateway);
    const nowSeconds = Math.floor(this.now() / 1000);
    return this.plans.forced(gateway.id, mode, nowSeconds, {
      power_w: defaults.power_w,
      target_soc: target,
    });
  }

  private planDefaults(site: SiteModel): PlanDefaults {
    return planDefaults(site, this.options.maxRateW);
  }

  /** A new duration applies to the forced mode running now, from its own start. */
  private resendForced(gateway: GatewayRecord, subject: CommandSubject, givenMs: number): void {
    const plan = this.plans.reforced(gateway.id, Math.floor(this.now() / 1000));
    if (plan === undefined) return;
    if (this.refusal(gateway, { kind: 'battery_mode', mode: 'auto' }) !== undefined) return;
    // A command of the bridge's own, for the battery mode it keeps in force.
    const mode = plan.source.kind === 'battery_mode' ? plan.source.mode : 'auto';
    this.sendPlan(gateway, plan, batteryModeSubject(gateway.id, mode), givenMs);
  }

  /** A forced mode whose time is up goes back to Auto, so it does not recur next week. */
  private endForcedMode(gatewayId: string): void {
    if (this.options.readOnly || this.plans.readOnly(gatewayId) === true) return;
    // Already waiting for the broker: once is enough.
    if (this.send.planWaiting(gatewayId)) return;
    this.send.plan(gatewayId, AUTO_PLAN, batteryModeSubject(gatewayId, 'auto'), this.now());
  }

  private warnRetained(topic: string): void {
    if (this.retainedLogged.has(topic) || this.retainedLogged.size > 1000) return;
    this.retainedLogged.add(topic);
    this.log.warn(
      { topic },
      `ignored a retained command on '${topic}': it would be replayed at every start;` +
        ' clear it by publishing an empty retained message there',
    );
  }
}

/** A battery mode the bridge sends of its own accord: a forced mode re-sent or ended. */
function batteryModeSubject(gatewayId: string, mode: PlanMode): CommandSubject {
  return {
    command: 'set_battery_mode',
    command_id: null,
    entity: entityId('select', gatewayEntityPrefix(gatewayId), 'battery_mode'),
    device: gatewayId,
    value: modeName(mode),
  };
}
