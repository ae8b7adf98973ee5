// A gateway's site as last bridged, kept as the message it came in and its energy
// counters rather than as the model. With thousands of gateways each one's model lives
// until its next message, long after V8's young generation is next collected: V8 then
// allocates models straight in the old generation, and every young collection copies
// their texts and numbers into it. The message's bytes, written over in place, and the
// counters in typed arrays leave nothing behind per message. The model is built again
// from the bytes when something between messages asks for it: a command, Home
// Assistant's birth, a rejected message, an online flag, a gateway gone stale, a plan
// window starting. It is then kept until the gateway's next message.
import { readStatus } from '../gateway/wire';
import {
  ENERGY_KEYS,
  type EnergyKey,
  type LastCounters,
  UnitCounters,
} from '../site/energy-counters';
import { siteFromStatus } from '../site/from-status';
import type { SiteModel } from '../site/model';
import { emptySite } from './empty-site';

/** Room for a message grows by this much at a time, so a slightly longer one fits. */
const BYTES_STEP = 1024;

/**
 * Units missing from the messages are forgotten after a day, when their day's counters are
 * of no more use, or past this many.
 */
const ABSENT_SECONDS = 24 * 3600;
const MAX_ABSENT_UNITS = 8;

export class KeptSite implements LastCounters {
  /** The latest time of the messages, NaN before any: a number throughout, written in place. */
  private sampleAt = Number.NaN;
  private bytes: Uint8Array | undefined;
  private size = 0;
  /** Per inverter serial, its counters as bridged and any readings held back. */
  private readonly bySerial = new Map<string, UnitCounters>();
  /** The model while its message is handled, or once built again from the bytes. */
  private model: SiteModel | undefined;

  constructor(private readonly gatewayId: string) {}

  /** The site as last bridged (empty before any good telemetry). */
  get site(): SiteModel {
    this.model ??=
      this.bytes === undefined
        ? emptySite(this.gatewayId)
        : this.rebuilt(this.bytes.subarray(0, this.size));
    return this.model;
  }

  get seconds(): number | undefined {
    return Number.isNaN(this.sampleAt) ? undefined : this.sampleAt;
  }

  set seconds(value: number | undefined) {
    this.sampleAt = value ?? Number.NaN;
  }

  unit(serial: string): UnitCounters {
    let counters = this.bySerial.get(serial);
    if (counters === undefined) {
      counters = new UnitCounters();
      this.bySerial.set(serial, counters);
    }
    return counters;
  }

  /** A message bridged, with the site made of it (its corrupted counters held). */
  keep(payload: Uint8Array, site: SiteModel): void {
    if (this.bytes === undefined || this.bytes.length < payload.length) {
      this.bytes = new Uint8Array(Math.ceil(payload.length / BYTES_STEP) * BYTES_STEP);
    }
    this.bytes.set(payload);
    this.size = payload.length;
    if (this.bySerial.size > site.inverters.length) this.forgetAbsent(site);
    this.model = site;
  }

  /** Done with the message: the model goes, and is built again if asked for. */
  release(): void {
    this.model = undefined;
  }

  /** The site made again of the message's bytes, with the counters as they were bridged. */
  private rebuilt(bytes: Uint8Array): SiteModel {
    const { site } = siteFromStatus(this.gatewayId, readStatus(bytes));
    for (const unit of site.inverters) {
      const counters = this.bySerial.get(unit.serial);
      if (counters === undefined) continue;
      for (let i = 0; i < ENERGY_KEYS.length; i++) {
        const key = ENERGY_KEYS[i] as EnergyKey;
        const good = counters.good[i] as number;
        // A reading was bridged as the last good one, or as none before there was one.
        if (unit.energy[key] !== null) unit.energy[key] = Number.isNaN(good) ? null : good;
      }
    }
    return site;
  }

  /**
   * Units missing from a message are kept a while, so that one left out once is judged as
   * before when it is back; ever-new serials cannot pile up.
   */
  private forgetAbsent(site: SiteModel): void {
    const present = new Set(site.inverters.map((unit) => unit.serial));
    const absent = [...this.bySerial].filter(([serial]) => !present.has(serial));
    absent.sort(([, a], [, b]) => (b.seenAt || 0) - (a.seenAt || 0));
    absent.forEach(([serial, counters], i) => {
      if (i >= MAX_ABSENT_UNITS || !(this.sampleAt - counters.seenAt <= ABSENT_SECONDS)) {
        this.bySerial.delete(serial);
      }
    });
  }
}
