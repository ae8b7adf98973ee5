// Getting a validated command to the gateway and saying what became of it: sent at once,
// or kept while the gateways' broker is away and sent on its return if still fresh;
// confirmed or not by the next telemetry; every outcome published on the result topic.
import { randomUUID } from 'node:crypto';
import {
  commandTopic,
  encodeCommandPayload,
  evActionJson,
  evCommandTopic,
  gatewayCommand,
  scheduleTopic,
} from '../gateway/commands';
import { encodePlan } from '../gateway/wire';
import { stateForm } from '../homeassistant/control-input';
import type { HaDevice } from '../homeassistant/devices';
import type { EntityTemplate } from '../homeassistant/templates';
import { commandResultTopic, planStateTopic } from '../homeassistant/topics';
import { COMMANDS, type ControlValue, type Intent } from '../site/commands';
import { encodeId } from '../site/identity';
import type { SitePlan } from '../site/plan';
import type { Bridge, GatewayRecord, PublishOptions, Publisher } from './bridge';
import {
  type CommandResult,
  type CommandStatus,
  type CommandSubject,
  NO_RESULT,
  commandResult,
  resultMessage,
} from './command-results';
import { Confirmations } from './confirmations';
import type { Logger } from './logger';
import type { BridgeOptions } from './options';
import { Outbox } from './outbox';
import type { Plans } from './plans';

/** The gateways' broker as commands and plans need it: reachable or not, and a publish. */
export interface CommandLink {
  readonly connected: boolean;
  publish(topic: string, payload: string | Uint8Array, options: PublishOptions): void;
}

const COMMAND_QOS: PublishOptions = { qos: 1, retain: false };
/** Own command ids remembered; past this many the memory starts over. */
const OWN_IDS_LIMIT = 1000;
const PLAN_QOS: PublishOptions = { qos: 1, retain: true };

/** Every command ends in one outcome: one replaced before it was confirmed has expired. */
export const REPLACED_BEFORE_CONFIRMED = 'replaced by a newer value before telemetry confirmed it';

/** The control a command came from, and the unit it is for. */
export interface Origin {
  gateway: GatewayRecord;
  device: HaDevice;
  entity: EntityTemplate;
  /** The control's key, unique in the bridge: `{device id}/{entity key}`. */
  key: string;
}

export class Dispatcher {
  readonly confirmations = new Confirmations();
  readonly outbox = new Outbox();
  private readonly lastResults = new Map<string, CommandResult>();
  private readonly planStateSent = new Set<string>();
  /** Ids of the commands this bridge sent, so that its own results coming back are known. */
  private readonly ownIds = new Set<string>();
  /** In a fleet: commands fellows sent and have not said the end of yet, by control. */
  private readonly fellowsWaiting = new Map<string, { commandId: string; sinceMs: number }>();

  constructor(
    private readonly bridge: Bridge,
    private readonly options: BridgeOptions,
    private readonly homeAssistant: Publisher,
    private readonly link: CommandLink,
    private readonly plans: Plans,
    private readonly log: Logger,
    private readonly now: () => number,
  ) {}

  lastResult(gatewayId: string): CommandResult | typeof NO_RESULT {
    return this.lastResults.get(gatewayId) ?? NO_RESULT;
  }

  /** A command envelope or EV action, expecting the telemetry to report the value after. */
  command(
    origin: Origin,
    value: ControlValue,
    intent: Extract<Intent, { kind: 'gateway' | 'ev' }>,
    subject: CommandSubject,
    givenMs: number,
  ): void {
    const { gateway, device, entity, key } = origin;
    const commandId = randomUUID();
    if (this.ownIds.size >= OWN_IDS_LIMIT) this.ownIds.clear();
    this.ownIds.add(commandId);
    const prefix = this.options.gatewayPrefix;
    const sent: CommandSubject = { ...subject, command_id: commandId };
    let topic: string;
    let payload: string | Uint8Array;
    if (intent.kind === 'gateway') {
      topic = commandTopic(prefix, gateway.id);
      const envelope = gatewayCommand(intent.intent, commandId);
      payload = encodeCommandPayload(envelope, this.options.commandEncoding);
    } else {
      topic = evCommandTopic(prefix, gateway.id);
      payload = evActionJson(intent.action);
    }
    // The gateway reports inverter and charger settings back; its read-only flag it does not.
    const confirmable = COMMANDS[entity.command ?? '']?.target !== 'gateway' ? entity.value : '';
    this.dispatch(gateway.id, key, givenMs, sent, () => {
      this.link.publish(topic, payload, COMMAND_QOS);
      if (intent.kind === 'gateway' && intent.intent.command === 'set_read_only') {
        this.plans.setReadOnly(gateway.id, intent.intent.enable);
        if (!intent.intent.enable) this.refreshPlan(gateway.id);
      }
      const replaced = confirmable
        ? this.confirmations.add({
            gatewayId: gateway.id,
            key,
            deviceId: device.id,
            path: confirmable,
            expected: stateForm(value),
            sentMs: this.now(),
            cycles: 0,
            subject: sent,
          })
        : undefined;
      // The control's previous command no longer waits for telemetry: it ends here.
      if (replaced !== undefined) {
        this.report(gateway.id, replaced.subject, 'expired', REPLACED_BEFORE_CONFIRMED);
      }
      this.report(gateway.id, sent, 'sent', null);
    });
  }

  /** A plan replaces the one in force; while the broker is away only the newest waits. */
  plan(gatewayId: string, plan: SitePlan, subject: CommandSubject, givenMs: number): void {
    const check = this.plans.check(plan, this.now());
    if (!check.ok) {
      this.reject(gatewayId, subject, check.reason);
      return;
    }
    const sent = { ...subject, command_id: randomUUID() };
    this.dispatch(gatewayId, planKey(gatewayId), givenMs, sent, () => {
      const build = this.plans.issue(gatewayId, plan, this.now());
      if (!build.ok) {
        this.reject(gatewayId, sent, build.reason);
        return;
      }
      const topic = scheduleTopic(this.options.gatewayPrefix, gatewayId);
      this.link.publish(topic, encodePlan(build.plan), PLAN_QOS);
      this.report(gatewayId, sent, 'sent', `plan_version ${build.plan.plan_version}`);
      this.publishPlanState(gatewayId);
    });
  }

  /** Whether a plan for the gateway waits for the broker, which is still away. */
  planWaiting(gatewayId: string): boolean {
    return !this.link.connected && this.outbox.has(planKey(gatewayId));
  }

  /** The plan in force again with a fresh timestamp, when it may and can go out. */
  refreshPlan(gatewayId: string): void {
    if (this.options.readOnly || this.plans.readOnly(gatewayId) === true) return;
    if (!this.link.connected) return;
    const plan = this.plans.refresh(gatewayId, this.now());
    if (plan === undefined) return;
    const topic = scheduleTopic(this.options.gatewayPrefix, gatewayId);
    this.link.publish(topic, encodePlan(plan), PLAN_QOS);
    this.log.debug(
      { gateway: gatewayId, plan_version: plan.plan_version },
      `refreshed the plan of gateway '${gatewayId}'`,
    );
  }

  publishPlanState(gatewayId: string): void {
    const payload = JSON.stringify(this.plans.state(gatewayId));
    const topic = planStateTopic(this.options, encodeId(gatewayId));
    this.homeAssistant.publish(topic, payload, { qos: 1, retain: true });
    this.planStateSent.add(gatewayId);
  }

  planStatePublished(gatewayId: string): boolean {
    return this.planStateSent.has(gatewayId);
  }

  /** A telemetry cycle: what it reports is confirmed, what it still does not is counted. */
  confirm(gateway: GatewayRecord, devices: HaDevice[]): void {
    const outcome = this.confirmations.check(gateway.id, devices, this.options.confirmCycles);
    for (const expectation of outcome.confirmed) {
      this.report(gateway.id, expectation.subject, 'confirmed', null);
    }
    for (const { expectation, reported } of outcome.notApplied) {
      const reason =
        `telemetry still reports ${JSON.stringify(reported ?? null)} after` +
        ` ${expectation.cycles} cycles`;
      this.report(gateway.id, expectation.subject, 'not_applied', reason);
    }
  }

  /**
   * In a fleet: the result in the gateway's state as a bridge published it. The newest
   * result any bridge gave becomes this bridge's Last command too, so that the bridges show
   * one. A command a fellow sent for a control replaces the one this bridge sent before it,
   * which has expired (the fellow confirms its own against the telemetry it receives), and
   * while it waits for telemetry, a value the telemetry already shows is sent all the same.
   */
  observeResult(gatewayId: string, value: unknown): void {
    const result = commandResultOf(value);
    if (result === undefined) return;
    const id = result.command_id;
    if (id !== null && !this.ownIds.has(id)) this.fellowResult(gatewayId, result, id);
    // After what the result ended here, so that the newest of all is kept.
    const last = this.lastResults.get(gatewayId);
    if (last === undefined || newerResult(result, last)) this.lastResults.set(gatewayId, result);
  }

  /** A fellow's command: waiting for telemetry while sent, and replacing this bridge's. */
  private fellowResult(gatewayId: string, result: CommandResult, commandId: string): void {
    const control = controlKey(gatewayId, result);
    if (result.status !== 'sent') {
      if (this.fellowsWaiting.get(control)?.commandId === commandId) {
        this.fellowsWaiting.delete(control);
      }
      return;
    }
    this.fellowsWaiting.set(control, { commandId, sinceMs: this.now() });
    const atMs = Date.parse(result.at ?? '');
    if (Number.isNaN(atMs)) return;
    for (const replaced of this.confirmations.replacedBy(gatewayId, result, atMs)) {
      this.report(gatewayId, replaced.subject, 'expired', REPLACED_BEFORE_CONFIRMED);
    }
  }

  /** Whether a command for the control waits for telemetry here or, in a fleet, at a fellow. */
  waiting(gatewayId: string, key: string, subject: CommandSubject): boolean {
    if (this.confirmations.has(key)) return true;
    const control = controlKey(gatewayId, subject);
    const fellow = this.fellowsWaiting.get(control);
    if (fellow === undefined) return false;
    if (this.now() - fellow.sinceMs <= this.options.staleAfterSeconds * 1000) return true;
    this.fellowsWaiting.delete(control);
    return false;
  }

  /** Queued commands past their freshness expire; confirmations without telemetry end. */
  housekeeping(): void {
    const now = this.now();
    this.outbox.expireStale(now, this.options.commandFreshSeconds * 1000);
    for (const late of this.confirmations.overdue(now, this.options.staleAfterSeconds * 1000)) {
      const reason = `no telemetry confirmed it within ${this.options.staleAfterSeconds} s`;
      this.report(late.gatewayId, late.subject, 'not_applied', reason);
    }
  }

  /** The gateways' broker is back: fresh commands go out, stale ones expire, plans renew. */
  reconnected(): void {
    const waiting = this.outbox.size;
    if (waiting > 0) this.log.info(`the gateway broker is back: ${waiting} command(s) waiting`);
    this.plans.forgetRefreshes();
    this.outbox.flush(this.now(), this.options.commandFreshSeconds * 1000);
    for (const id of this.plans.ids()) {
      if (this.plans.refreshDue(id, this.now(), this.options.planRefreshSeconds * 1000)) {
        this.refreshPlan(id);
      }
    }
  }

  reject(gatewayId: string, subject: CommandSubject, reason: string): void {
    this.report(gatewayId, subject, 'rejected', reason);
  }

  /** The bridge is stopping: commands still waiting for the broker will not be sent. */
  stop(): void {
    this.outbox.drop('the bridge stopped before the gateway broker came back');
  }

  /**
   * Publishes an outcome and updates the Last command sensor. After a refusal the states
   * go out again, so an entity Home Assistant moved snaps back to the reported value.
   * A gateway with no telemetry yet has no entities: its result is only published.
   */
  report(
    gatewayId: string,
    subject: CommandSubject,
    status: CommandStatus,
    reason: string | null,
  ): void {
    const result = commandResult(subject, status, reason, this.now());
    const known = this.bridge.gateways.get(gatewayId);
    const gateway = known?.lastStatusMs === undefined ? undefined : known;
    const topic = commandResultTopic(this.options, encodeId(gatewayId));
    this.homeAssistant.publish(topic, JSON.stringify(result), { qos: 1, retain: false });
    const fields = { gateway: gatewayId, device: result.device, status, command: result.command };
    if (status === 'sent' || status === 'confirmed') {
      this.log.info(fields, resultMessage(gatewayId, result));
    } else this.log.warn(fields, resultMessage(gatewayId, result));
    if (gateway === undefined) return;
    this.lastResults.set(gateway.id, result);
    const snapBack = status === 'rejected' || status === 'not_applied' || status === 'expired';
    this.bridge.publishStates(gateway, snapBack);
  }

  /**
   * Sends now, or keeps it for the broker's return if it is away.
   * TODO(mqtt.js resends its own unacknowledged QoS 1 messages after a reconnect): a command
   * published in the instant the broker went away can reach the gateway late; telling those
   * apart needs the client's outgoing store, which the connection code does not expose yet.
   */
  private dispatch(
    gatewayId: string,
    key: string,
    givenMs: number,
    subject: CommandSubject,
    deliver: () => void,
  ): void {
    if (this.link.connected) {
      deliver();
      return;
    }
    this.log.warn(
      { gateway: gatewayId, command: subject.command },
      `the gateway broker is unreachable: ${subject.command} for '${subject.device}' is sent` +
        ` if it is back within ${this.options.commandFreshSeconds} s`,
    );
    this.outbox.add({
      key,
      createdMs: givenMs,
      deliver,
      expire: (reason) => this.report(gatewayId, subject, 'expired', reason),
    });
  }
}

const STATUSES: readonly CommandStatus[] = [
  'sent',
  'confirmed',
  'rejected',
  'not_applied',
  'expired',
];

/** A command result as a bridge published it, or undefined for anything else. */
function commandResultOf(value: unknown): CommandResult | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const r = value as Record<keyof CommandResult, unknown>;
  const text = (v: unknown): v is string | null => v === null || typeof v === 'string';
  if (!STATUSES.includes(r.status as CommandStatus) || typeof r.at !== 'string') return undefined;
  if (!text(r.command) || !text(r.command_id) || typeof r.entity !== 'string') return undefined;
  if (!text(r.device) || !text(r.reason)) return undefined;
  return {
    command: r.command,
    command_id: r.command_id,
    entity: r.entity,
    device: r.device,
    value: r.value,
    status: r.status as CommandStatus,
    reason: r.reason,
    at: r.at,
  };
}

/**
 * Whether `a` came after `b`: by time, then within a second a command sent after the one it
 * replaced (which expired as it was sent) and an outcome from telemetry after both, then by
 * id, so that every bridge picks the same newest.
 */
function newerResult(a: CommandResult, b: CommandResult): boolean {
  if (a.at !== b.at) return (a.at ?? '') > (b.at ?? '');
  const order = statusOrder(a.status) - statusOrder(b.status);
  if (order !== 0) return order > 0;
  return (a.command_id ?? '') > (b.command_id ?? '');
}

function statusOrder(status: CommandStatus): number {
  if (status === 'expired') return 0;
  return status === 'sent' ? 1 : 2;
}

/** A control as results name it: the gateway, the unit and the entity. */
function controlKey(gatewayId: string, subject: CommandSubject): string {
  return `${gatewayId}\n${subject.device ?? ''}\n${subject.entity}`;
}

function planKey(gatewayId: string): string {
  return `plan:${gatewayId}`;
}
