// What a gateway's plans are sized by: the inverter that takes them, the most power the
// rate controls allow, and the reserve a discharge stops at. A gateway with no inverter
// that takes commands runs no plan, and a discharge with no known floor is never guessed.
import type { PlanDefaults } from '../homeassistant/plan-input';
import type { InverterModel, SiteModel } from '../site/model';
import type { GatewayRecord } from './bridge';

/** The unit a gateway's plans are for: its primary managed inverter, else the first. */
function planUnit(site: SiteModel): InverterModel | undefined {
  const managed = site.inverters.filter((inverter) => inverter.managed);
  return managed.find((inverter) => inverter.primary) ?? managed[0];
}

/**
 * A window runs at most at the rate the rate controls allow (the battery's reported
 * maximum, else the max_rate_w option), and discharges down to the reserve the unit
 * reports; null when it reports none.
 */
export function planDefaults(site: SiteModel, maxRateW: number): PlanDefaults {
  const unit = planUnit(site);
  return {
    power_w: unit?.battery.rate_max_w ?? maxRateW,
    reserve_soc: unit?.control.reserve_soc ?? null,
  };
}

/** Why a gateway takes no plan that forces its battery, if it takes none. */
export function noPlans(gateway: GatewayRecord): string | undefined {
  if (planUnit(gateway.site) !== undefined) return undefined;
  return (
    `gateway '${gateway.id}' has no inverter that accepts commands (each reports` +
    ' managed: false), so it takes no plan'
  );
}

/** Why the battery mode select cannot force a discharge when the reserve is unknown. */
export function noDischargeFloor(gateway: GatewayRecord): string {
  return (
    `gateway '${gateway.id}' does not report its inverter's reserve SOC, so a forced` +
    ' discharge has no floor to stop at: send a plan with a target_soc instead'
  );
}
