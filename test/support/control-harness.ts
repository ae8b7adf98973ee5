// A bridge with its controls and no broker: Home Assistant's side and the gateways' side
// are FakeBrokers, the gateway broker's reachability a switch, the clock a number.
import { Bridge } from '../../src/bridge/bridge';
import { Control } from '../../src/bridge/control';
import { ControlStore } from '../../src/bridge/control-store';
import { silentLogger } from '../../src/bridge/logger';
import { type BridgeOptions, DEFAULT_OPTIONS } from '../../src/bridge/options';
import type { PublishOptions } from '../../src/bridge/bridge';
import { FakeBroker, type Published } from './fake-broker';
import { fixtureBytes } from './fixtures';
import { TEMPLATES } from './pipeline';

/** Thursday 3 December 2026, 12:20:00 UTC (GMT in London). */
export const T0 = 1796300400_000;

export const GW = 'pbgw_a1b2c3';
export const INVERTER = `predbat_bridge/${GW}/inverter/CE2341G123`;
/** The inverter's charge rate control, as `Harness.set` takes a topic. */
export const CHARGE_RATE = `${GW}/inverter/CE2341G123/charge_rate/set`;
export const RESULT_TOPIC = `predbat_bridge/${GW}/command_result`;
export const COMMAND_TOPIC = `predbat/devices/${GW}/command`;
export const SCHEDULE_TOPIC = `predbat/devices/${GW}/schedule`;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export interface SentToGateway extends Published {
  /** The payload's bytes: a plan or a protobuf command is not text. */
  bytes: Uint8Array;
}

/** The gateways' broker: keeps payload bytes, and can be unreachable. */
export class FakeGatewayBroker {
  connected = true;
  readonly published: SentToGateway[] = [];

  publish(topic: string, payload: string | Uint8Array, options: PublishOptions): void {
    const bytes = typeof payload === 'string' ? Buffer.from(payload) : payload;
    const text = Buffer.from(bytes).toString('utf8');
    this.published.push({ topic, payload: text, bytes, ...options });
  }

  take(): SentToGateway[] {
    return this.published.splice(0, this.published.length);
  }
}

export interface Harness {
  options: BridgeOptions;
  bridge: Bridge;
  control: Control;
  ha: FakeBroker;
  gateways: FakeGatewayBroker;
  /** Moves the clock and fake timers on together. */
  advance(ms: number): void;
  now(): number;
  /** A command from Home Assistant, on a topic under the base topic. */
  set(topic: string, payload: string): void;
  /** Outcomes published on the gateway's result topic since the last call. */
  results(): Array<Record<string, unknown>>;
  /** What reached the gateways' broker since the last call. */
  sent(): SentToGateway[];
}

export function harness(overrides: Partial<BridgeOptions> = {}, dataDir?: string): Harness {
  const options: BridgeOptions = {
    ...DEFAULT_OPTIONS,
    timezone: 'Europe/London',
    ...overrides,
  };
  let now = T0;
  const clock = (): number => now;
  const ha = new FakeBroker();
  const gateways = new FakeGatewayBroker();
  const logger = silentLogger();
  const bridge = new Bridge(options, TEMPLATES, ha, logger, clock);
  const store = new ControlStore(dataDir, logger);
  const control = new Control(bridge, TEMPLATES, options, ha, gateways, store, logger, clock);
  bridge.extensions.push(control);
  let resultsRead = 0;
  return {
    options,
    bridge,
    control,
    ha,
    gateways,
    advance(ms: number) {
      now += ms;
      jest.advanceTimersByTime(ms);
    },
    now: clock,
    set(topic: string, payload: string) {
      control.handleSet(`predbat_bridge/${topic}`, Buffer.from(payload));
    },
    results() {
      const all = ha.published.filter((p) => p.topic.endsWith('/command_result'));
      const fresh = all.slice(resultsRead);
      resultsRead = all.length;
      return fresh.map((p) => JSON.parse(p.payload) as Record<string, unknown>);
    },
    sent() {
      return gateways.take();
    },
  };
}

/**
 * A harness once gateway GW (one GivEnergy inverter) has reported, with nothing sent yet;
 * a control's value settles after 500 ms unless told otherwise.
 */
export function started(overrides: Partial<BridgeOptions> = {}): Harness {
  const h = harness({ commandDebounceMs: 500, ...overrides });
  h.bridge.handleStatus(GW, fixtureBytes('single-givenergy'));
  h.sent();
  return h;
}

/** A result's `at` for `ms` after T0: whole seconds, in UTC. */
export function resultAt(ms: number): string {
  return new Date(Math.floor((T0 + ms) / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** The last JSON state published on a topic. */
export function lastState(ha: FakeBroker, topic: string): Record<string, unknown> {
  const found = [...ha.published].reverse().find((p) => p.topic === topic);
  if (found === undefined) throw new Error(`nothing published on ${topic}`);
  return JSON.parse(found.payload) as Record<string, unknown>;
}
