// Plans as tests write them: a window of the bridge's own, and an ExecutionPlan entry with
// every field the wire carries, the rest given.
import type { PlanEntry } from '../../src/gateway/messages';
import { EVERY_DAY, type PlanWindow } from '../../src/site/plan';

/** Charge from 01:30 to 04:30 every day at 3 kW up to 100%. */
export const CHARGE_WINDOW: PlanWindow = {
  start: '01:30',
  end: '04:30',
  mode: 'charge',
  power_w: 3000,
  target_soc: 100,
  days: EVERY_DAY,
  enabled: true,
};

/** An entry that does nothing every day, with the fields given. */
export function planEntry(fields: Partial<PlanEntry>): PlanEntry {
  return {
    enabled: true,
    start_hour: 0,
    start_minute: 0,
    end_hour: 0,
    end_minute: 0,
    mode: 0,
    power_w: 0,
    target_soc: 0,
    days_of_week: EVERY_DAY,
    use_native: false,
    ...fields,
  };
}

/** Charge from 01:30 to 04:30 every day at 3 kW up to 90%, as a gateway is sent it. */
export const CHARGE_ENTRY: PlanEntry = planEntry({
  start_hour: 1,
  start_minute: 30,
  end_hour: 4,
  end_minute: 30,
  mode: 1,
  power_w: 3000,
  target_soc: 90,
});
