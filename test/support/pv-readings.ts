// A gateway whose first inverter sends the PV counter readings a test gives, each message
// judged and kept as the bridge does it.
import { KeptSite } from '../../src/bridge/kept-site';
import { decodeStatus, encodeStatus, readStatus } from '../../src/gateway/wire';
import { holdCorruptedCounters } from '../../src/site/energy-counters';
import { siteFromStatus } from '../../src/site/from-status';
import type { Problem, SiteModel } from '../../src/site/model';
import { fixtureBytes } from './fixtures';

/** The fixture's sample time, 12:20 on 3 December 2026 in this zone. */
export const ZONE = 'Europe/London';

export class PvReadings {
  readonly status = decodeStatus(fixtureBytes('single-givenergy'));
  readonly kept = new KeptSite(this.status.device_id);
  /** The bridge's clock, in unix seconds: it keeps up with the messages' times. */
  clock = this.status.timestamp;

  constructor(private readonly timezone = ZONE) {}

  get unit() {
    const [unit] = this.status.inverters;
    if (unit === undefined) throw new Error('fixture changed');
    return unit;
  }

  /**
   * Sends a PV reading in Wh (null: the message has no counters) `after` seconds after the
   * last message, or at the unix time `at`; what was bridged, and what was held.
   */
  send(
    pvWh: number | null,
    when: { after?: number; at?: number } = {},
  ): { site: SiteModel; pv: number | null | undefined; problems: Problem[] } {
    const { unit, status } = this;
    status.timestamp = when.at ?? status.timestamp + (when.after ?? 10);
    if (pvWh === null) unit.energy = null;
    else {
      const energy =
        unit.energy ?? decodeStatus(fixtureBytes('single-givenergy')).inverters[0]?.energy;
      if (!energy) throw new Error('fixture changed');
      energy.pv_today_wh = pvWh;
      unit.energy = energy;
    }
    const payload = encodeStatus(status);
    const { site } = siteFromStatus(status.device_id, readStatus(payload));
    // The bridge's clock goes on as the gateway's would, but for a time no set clock gives.
    const set = Math.abs(status.timestamp - this.clock) < 366 * 24 * 3600;
    this.clock = set ? Math.max(this.clock, status.timestamp) : this.clock + 10;
    const problems = holdCorruptedCounters(this.kept, site, this.timezone, this.clock);
    this.kept.keep(payload, site);
    this.kept.release();
    return { site, pv: site.inverters[0]?.energy.pv_today_kwh, problems };
  }

  /** Sends each reading, 10 s apart; the kWh bridged for each. */
  sendAll(pvWh: Array<number | null>): Array<number | null | undefined> {
    return pvWh.map((reading) => this.send(reading).pv);
  }
}
