// In the benchmark's own process, without a broker: what translating one message costs
// next to protobufjs's bare decode, and what the lean publish path saves Home Assistant
// over a simulated day compared with publishing every message.
import { Bridge, type PublishOptions, type Publisher } from '../src/bridge/bridge';
import { silentLogger } from '../src/bridge/logger';
import { type BridgeOptions, DEFAULT_OPTIONS } from '../src/bridge/options';
import { GatewayStatusType, decodeStatus, readStatus } from '../src/gateway/wire';
import { haDevices } from '../src/homeassistant/devices';
import { stateValue } from '../src/homeassistant/discovery';
import { type Templates, loadTemplates } from '../src/homeassistant/templates';
import { siteFromStatus } from '../src/site/from-status';
import { SAMPLE_SECONDS, SITE_ZONE, fleet, fleetStream } from './telemetry';

const TOPICS = { baseTopic: 'predbat_bridge', discoveryPrefix: 'homeassistant' };

export interface CostResult {
  messages: number;
  /** Microseconds per message. */
  bareDecodeUs: number;
  decodeToObjectUs: number;
  decodeTranslateUs: number;
  handleUs: number;
}

class Discard implements Publisher {
  publish(): void {}
}

function options(extra: Partial<BridgeOptions> = {}): BridgeOptions {
  return {
    ...DEFAULT_OPTIONS,
    maxGateways: 100_000,
    logLevel: 'silent',
    timezone: SITE_ZONE,
    ...extra,
  };
}

/** Best of a few rounds of the mean, so a busy neighbour on the machine counts least. */
function microseconds(rounds: number, count: number, work: () => void): number {
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < rounds; round++) {
    const start = performance.now();
    work();
    best = Math.min(best, ((performance.now() - start) * 1000) / count);
  }
  return best;
}

export function translationCost(gateways = 100, count = 20_000): CostResult {
  const templates = loadTemplates();
  const sites = fleet(gateways);
  const messages = fleetStream(sites, count, 'predbat/devices');
  const bridge = new Bridge(options(), templates, new Discard(), silentLogger());
  // Every gateway introduced first: discovery is done once, not in what is timed.
  for (const message of messages.slice(0, gateways)) {
    bridge.handleStatus(message.gateway, message.payload);
  }
  const extras = { online: true, last_seen: null, rejected_messages: 0, last_rejection: null };
  const bare = microseconds(3, count, () => {
    for (const m of messages) GatewayStatusType.decode(m.payload);
  });
  const toObject = microseconds(3, count, () => {
    for (const m of messages) decodeStatus(m.payload);
  });
  const translate = microseconds(3, count, () => {
    for (const m of messages) {
      haDevices(siteFromStatus(m.gateway, readStatus(m.payload)).site, TOPICS, extras);
    }
  });
  // Handled once each: a message handled twice would change nothing the second time.
  const handle = microseconds(1, count, () => {
    for (const m of messages) bridge.handleStatus(m.gateway, m.payload);
  });
  return {
    messages: count,
    bareDecodeUs: bare,
    decodeToObjectUs: toObject,
    decodeTranslateUs: translate,
    handleUs: handle,
  };
}

export interface PublishVolume {
  /** Per gateway and hour of telemetry. */
  bytes: number;
  stateMessages: number;
  configBytes: number;
  /** Entity state changes: what Home Assistant's recorder writes a row for. */
  recorderRows: number;
}

export interface BytesResult {
  gateways: number;
  hours: number;
  lean: PublishVolume;
  everyMessage: PublishVolume;
}

/** Counts what reaches Home Assistant, and which entity values changed with it. */
class Meter implements Publisher {
  bytes = 0;
  stateMessages = 0;
  configBytes = 0;
  recorderRows = 0;
  private readonly shown = new Map<string, unknown[]>();

  constructor(private readonly valuesByTopic: (topic: string) => string[] | undefined) {}

  publish(topic: string, payload: string | Uint8Array, _options: PublishOptions): void {
    const size = Buffer.byteLength(topic) + Buffer.byteLength(payload as string);
    this.bytes += size;
    if (topic.startsWith('homeassistant/')) this.configBytes += size;
    if (!topic.endsWith('/state') || payload === '') return;
    this.stateMessages += 1;
    const paths = this.valuesByTopic(topic);
    if (paths === undefined) return;
    const state = JSON.parse(payload as string) as Record<string, unknown>;
    const values = paths.map((path) => stateValue(state, path));
    const before = this.shown.get(topic);
    values.forEach((value, i) => {
      if (before === undefined || before[i] !== value) this.recorderRows += 1;
    });
    this.shown.set(topic, values);
  }
}

function entityPaths(templates: Templates): (topic: string) => string[] | undefined {
  const paths = (device: keyof Templates): string[] =>
    templates[device].flatMap((e) => (e.platform === 'sensor' && e.value ? [e.value] : []));
  const byKind = {
    gateway: paths('gateway'),
    inverter: paths('inverter'),
    ev: paths('ev_charger'),
  };
  return (topic) => {
    const levels = topic.split('/');
    if (levels.length === 3) return byKind.gateway;
    if (levels.length !== 5) return undefined;
    return levels[2] === 'ev_charger' ? byKind.ev : byKind.inverter;
  };
}

/** A simulated day of telemetry through the bridge, with its clock following the samples. */
function simulateDay(
  extra: Partial<BridgeOptions>,
  gateways: number,
  hours: number,
): PublishVolume {
  const templates = loadTemplates();
  const sites = fleet(gateways);
  const meter = new Meter(entityPaths(templates));
  let nowMs = 0;
  const bridge = new Bridge(options(extra), templates, meter, silentLogger(), () => nowMs);
  const samples = (hours * 3600) / SAMPLE_SECONDS;
  for (let k = 0; k < samples; k++) {
    for (const site of sites) {
      const payload = site.nextBytes();
      nowMs = Math.max(nowMs, site.timestamp * 1000);
      bridge.handleStatus(site.id, payload);
    }
  }
  const per = gateways * hours;
  return {
    bytes: meter.bytes / per,
    stateMessages: meter.stateMessages / per,
    configBytes: meter.configBytes / per,
    recorderRows: meter.recorderRows / per,
  };
}

export function bytesPerGatewayHour(gateways = 10, hours = 24): BytesResult {
  return {
    gateways,
    hours,
    lean: simulateDay({}, gateways, hours),
    // A heartbeat of 0 s makes every message a heartbeat: every state goes out as it is.
    everyMessage: simulateDay({ heartbeatSeconds: 0 }, gateways, hours),
  };
}
