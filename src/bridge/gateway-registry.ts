// Which gateways the bridge bridges. A gateway takes a place only once it has sent valid
// telemetry, so garbage on made-up ids can neither create devices in Home Assistant nor
// use up the places real gateways need.
import { DeviceFrames } from '../homeassistant/devices';
import { BRIDGE_LEVEL } from '../homeassistant/topics';
import { encodeId } from '../site/identity';
import type { SiteModel } from '../site/model';
import type { GatewayPublished, GatewayRecord } from './bridge';
import { KeptSite } from './kept-site';
import type { Logger } from './logger';

/** Unknown gateways warned about before the rest go to the debug level. */
const UNKNOWN_WARNINGS = 20;

/** Distinct things said once each; past this many the memory is cleared and starts over. */
const ONCE_LIMIT = 1000;

export class LogOnce {
  private readonly said = new Set<string>();

  /** True the first time a key is seen (until the memory is cleared). */
  first(key: string): boolean {
    if (this.said.has(key)) return false;
    if (this.said.size >= ONCE_LIMIT) this.said.clear();
    this.said.add(key);
    return true;
  }
}

/**
 * A gateway as the registry keeps it. A class, not an object literal: a literal with a
 * getter is a dictionary to V8, so that every read of a field is a lookup and every time
 * stored a new heap number.
 */
class Gateway implements GatewayRecord {
  readonly kept: KeptSite;
  connection: GatewayPublished['connection'];
  fresh: boolean;
  rejected: number;
  lastRejection: string | null;
  readonly devices: GatewayRecord['devices'] = new Map();
  readonly problemsLogged = new LogOnce();
  readonly frames = new DeviceFrames();
  /**
   * Absent until the first good message: a field that holds a number from the start is
   * written in place, where one that started undefined takes a new heap number each time.
   */
  declare lastStatusMs?: number;

  constructor(
    readonly id: string,
    readonly enc: string,
    told: GatewayPublished | undefined,
  ) {
    this.kept = new KeptSite(id);
    this.connection = told?.connection;
    this.fresh = told?.fresh ?? false;
    this.rejected = told?.rejected ?? 0;
    this.lastRejection = told?.lastRejection ?? null;
  }

  get site(): SiteModel {
    return this.kept.site;
  }
}

export class GatewayRegistry {
  readonly gateways = new Map<string, GatewayRecord>();
  private readonly byEnc = new Map<string, GatewayRecord>();
  private readonly once = new LogOnce();
  private unknownIds = 0;
  /** Gateways known from a previous run's configs that have not reported in this one. */
  private readonly unconfirmed = new Map<string, number>();
  /** In a fleet: what fellows published of gateways this bridge has yet to meet. */
  private readonly told = new Map<string, GatewayPublished>();

  constructor(
    private readonly maxGateways: number,
    private readonly log: Logger,
  ) {}

  get(id: string): GatewayRecord | undefined {
    return this.gateways.get(id);
  }

  byEncodedId(enc: string): GatewayRecord | undefined {
    return this.byEnc.get(enc);
  }

  /** Whether a topic's id can name a gateway at all; says why not, once per id. */
  usable(id: string): boolean {
    // 'bridge' would put the gateway's state on the bridge's own availability topic.
    if (id !== '' && id !== BRIDGE_LEVEL && id.length <= 64 && !/\p{Cc}/u.test(id)) return true;
    this.warnOnce(`id:${id}`, `ignored a gateway topic with an unusable id '${id.slice(0, 80)}'`);
    return false;
  }

  /** A place for a gateway that just sent valid telemetry, unless the cap is reached. */
  admit(id: string): GatewayRecord | undefined {
    const known = this.gateways.get(id);
    if (known !== undefined) return known;
    if (this.gateways.size >= this.maxGateways) {
      this.warnOnce(
        `cap:${id}`,
        `ignored gateway '${id}': already bridging ${this.maxGateways} gateways` +
          ' (raise max-gateways if this is expected)',
      );
      return undefined;
    }
    const enc = encodeId(id);
    // A gateway a fellow has announced starts from the flags it published, so its first
    // message here sends them again only if they change.
    const told = this.told.get(enc);
    this.told.delete(enc);
    const record = new Gateway(id, enc, told);
    this.gateways.set(id, record);
    this.byEnc.set(record.enc, record);
    this.unconfirmed.delete(record.enc);
    return record;
  }

  /**
   * What the bridges published of a gateway, by encoded id: its own record, or for one not
   * met yet what a fellow published, kept until it is (as many as max_gateways).
   */
  publishedOf(enc: string): GatewayPublished {
    const known = this.byEnc.get(enc);
    if (known !== undefined) return known;
    let flags = this.told.get(enc);
    if (flags === undefined) {
      flags = { connection: undefined, fresh: false, rejected: 0, lastRejection: null };
      if (this.told.size < this.maxGateways) this.told.set(enc, flags);
    }
    return flags;
  }

  /** Gateways a previous run left configs for, by encoded id: each must report in time. */
  expect(encs: string[], now: number): void {
    for (const enc of encs) if (!this.byEnc.has(enc)) this.unconfirmed.set(enc, now);
  }

  /** Expected gateways silent for longer than `staleMs`, each returned once. */
  overdue(now: number, staleMs: number): string[] {
    const late: string[] = [];
    for (const [enc, since] of this.unconfirmed) {
      if (now - since <= staleMs) continue;
      this.unconfirmed.delete(enc);
      late.push(enc);
    }
    return late;
  }

  /**
   * A bad message from an id with no valid telemetry yet: never a device. The first few such
   * ids are warned about, the rest go to the debug level, so a flood cannot fill the log.
   */
  rejectUnknown(id: string, reason: string): void {
    if (!this.once.first(`unknown:${id}`)) return;
    this.unknownIds += 1;
    const message =
      `ignored a message on the topic of unknown gateway '${id.slice(0, 80)}': ${reason};` +
      ' a gateway appears once it sends valid telemetry';
    const about = { gateway: id.slice(0, 80) };
    if (this.unknownIds < UNKNOWN_WARNINGS) this.log.warn(about, message);
    else if (this.unknownIds === UNKNOWN_WARNINGS) {
      this.log.warn(about, `${message} (further unknown gateways are logged at debug level)`);
    } else this.log.debug(about, message);
  }

  private warnOnce(key: string, message: string): void {
    if (this.once.first(key)) this.log.warn(message);
  }
}
