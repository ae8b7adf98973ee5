// The plan in force for each gateway. A new plan gets a version the gateway has never seen
// (the larger of the last one plus one and the current unix time, so a restart or a second
// bridge cannot go backwards), saved before it is sent; the plan in force is rebuilt with
// a fresh timestamp and the same version, because the gateway drops a stale plan.
import type { ExecutionPlan } from '../gateway/messages';
import { type PlanBuild, buildExecutionPlan } from '../gateway/plan';
import { planJson } from '../homeassistant/plan-input';
import {
  AUTO_PLAN,
  type PlanMode,
  type SitePlan,
  activeMode,
  forcedEnded,
  forcedPlan,
  planSummary,
} from '../site/plan';
import { isoTime } from '../site/values';
import type { ControlStore } from './control-store';

const DEFAULT_FORCED_MINUTES = 60;

export class Plans {
  private readonly refreshedMs = new Map<string, number>();

  constructor(
    private readonly store: ControlStore,
    private readonly zone: string,
  ) {}

  /** Gateways with a plan to keep fresh, from this run or a previous one. */
  ids(): string[] {
    return this.store.ids().filter((id) => this.store.get(id).plan !== null);
  }

  current(gatewayId: string): SitePlan {
    return this.store.get(gatewayId).plan ?? AUTO_PLAN;
  }

  mode(gatewayId: string, nowSeconds: number): PlanMode {
    return activeMode(this.current(gatewayId), nowSeconds, this.zone);
  }

  forcedMinutes(gatewayId: string): number {
    return this.store.get(gatewayId).forced_mode_minutes ?? DEFAULT_FORCED_MINUTES;
  }

  setForcedMinutes(gatewayId: string, minutes: number): void {
    this.store.update(gatewayId, { forced_mode_minutes: minutes });
  }

  /** What the bridge last told the gateway; it does not report the flag itself. */
  readOnly(gatewayId: string): boolean | null {
    return this.store.get(gatewayId).read_only;
  }

  setReadOnly(gatewayId: string, readOnly: boolean): void {
    this.store.update(gatewayId, { read_only: readOnly });
  }

  /** The forced mode's plan, starting now, for the configured duration. */
  forced(
    gatewayId: string,
    mode: 'charge' | 'discharge',
    nowSeconds: number,
    power: { power_w: number; target_soc: number },
  ): SitePlan {
    return forcedPlan(mode, nowSeconds, this.forcedMinutes(gatewayId), this.zone, power);
  }

  /**
   * The forced mode in force with its duration changed, from the same start, or Auto when
   * the new duration is already over; undefined when no forced mode is running.
   */
  reforced(gatewayId: string, nowSeconds: number): SitePlan | undefined {
    const plan = this.current(gatewayId);
    if (plan.source.kind !== 'battery_mode') return undefined;
    if (this.ended(gatewayId, nowSeconds)) return AUTO_PLAN;
    const [window] = plan.windows;
    const power = { power_w: window?.power_w ?? 0, target_soc: window?.target_soc ?? 0 };
    const { mode, started_at } = plan.source;
    return forcedPlan(mode, started_at, this.forcedMinutes(gatewayId), this.zone, power);
  }

  ended(gatewayId: string, nowSeconds: number): boolean {
    return forcedEnded(this.current(gatewayId), this.forcedMinutes(gatewayId), nowSeconds);
  }

  /** Whether a plan fits the gateway, without using up a version. */
  check(plan: SitePlan, nowMs: number): PlanBuild {
    const timestamp = Math.floor(nowMs / 1000);
    return buildExecutionPlan(plan.windows, { timestamp, plan_version: 0, zone: this.zone });
  }

  /** A new plan in force, with its new version saved before the caller sends it. */
  issue(gatewayId: string, plan: SitePlan, nowMs: number): PlanBuild {
    const timestamp = Math.floor(nowMs / 1000);
    const version = Math.max(this.store.get(gatewayId).plan_version + 1, timestamp);
    const build = buildExecutionPlan(plan.windows, {
      timestamp,
      plan_version: version,
      zone: this.zone,
    });
    if (!build.ok) return build;
    this.store.update(gatewayId, { plan_version: version, plan, plan_built_at: timestamp });
    this.refreshedMs.set(gatewayId, nowMs);
    return build;
  }

  /** The plan in force again: same version, fresh timestamp. */
  refresh(gatewayId: string, nowMs: number): ExecutionPlan | undefined {
    const stored = this.store.get(gatewayId);
    if (stored.plan === null) return undefined;
    const build = buildExecutionPlan(stored.plan.windows, {
      timestamp: Math.floor(nowMs / 1000),
      plan_version: stored.plan_version,
      zone: this.zone,
    });
    this.refreshedMs.set(gatewayId, nowMs);
    return build.ok ? build.plan : undefined;
  }

  refreshDue(gatewayId: string, nowMs: number, intervalMs: number): boolean {
    const last = this.refreshedMs.get(gatewayId);
    return last === undefined || nowMs - last >= intervalMs;
  }

  /** After the gateway broker was away, every plan is due again. */
  forgetRefreshes(): void {
    this.refreshedMs.clear();
  }

  /** The plan as JSON: for its own state topic and the Plan sensor's attributes. */
  state(gatewayId: string): Record<string, unknown> {
    const stored = this.store.get(gatewayId);
    const plan = this.current(gatewayId);
    return {
      summary: planSummary(plan),
      source: plan.source.kind,
      version: stored.plan === null ? null : stored.plan_version,
      built_at: stored.plan_built_at === null ? null : isoTime(stored.plan_built_at),
      timezone: this.zone,
      entries: planJson(plan.windows).entries,
    };
  }
}
