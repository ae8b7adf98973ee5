import { Bridge } from '../../src/bridge/bridge';
import { ConfigError, collectOptions, resolveOptions } from '../../src/bridge/config';
import { observe, observedTopics, protocolVersion, shared } from '../../src/bridge/fleet';
import { silentLogger } from '../../src/bridge/logger';
import { type BridgeOptions, DEFAULT_OPTIONS } from '../../src/bridge/options';
import { FakeBroker } from '../support/fake-broker';
import { fixtureBytes } from '../support/fixtures';
import { TEMPLATES } from '../support/pipeline';

const FLEET: BridgeOptions = { ...DEFAULT_OPTIONS, shareGroup: 'bridges' };
const GW = 'pbgw_a1b2c3';
const GATEWAY_STATE = `predbat_bridge/${GW}/state`;
const INVERTER_STATE = `predbat_bridge/${GW}/inverter/CE2341G123/state`;

function bridgeAt(clock: { now: number }, broker = new FakeBroker()) {
  return { broker, bridge: new Bridge(FLEET, TEMPLATES, broker, silentLogger(), () => clock.now) };
}

const tell = (bridge: Bridge, topic: string, payload: string): boolean =>
  observe(bridge, FLEET, topic, Buffer.from(payload));

describe('fleet mode', () => {
  it('subscribes through a shared subscription over MQTT 5, only when a group is set', () => {
    expect(shared(FLEET, 'predbat/devices/+/status')).toBe(
      '$share/bridges/predbat/devices/+/status',
    );
    expect(shared(DEFAULT_OPTIONS, 'predbat/devices/+/status')).toBe('predbat/devices/+/status');
    expect(protocolVersion(FLEET)).toBe(5);
    expect(protocolVersion(DEFAULT_OPTIONS)).toBe(4);
    expect(observedTopics(DEFAULT_OPTIONS)).toEqual([]);
    expect(observedTopics(FLEET)).toEqual([
      'predbat_bridge/+/state',
      'predbat_bridge/+/connection',
      'predbat_bridge/+/telemetry',
      'predbat_bridge/+/+/+/state',
    ]);
  });

  it('takes the group from the options, as one topic level', () => {
    const resolve = (group: string) =>
      resolveOptions(collectOptions({}, { SHARE_GROUP: group, DATA_DIR: '/tmp/x' }));
    expect(resolve('bridges-1').shareGroup).toBe('bridges-1');
    expect(resolveOptions(collectOptions({}, {})).shareGroup).toBeUndefined();
    for (const bad of ['a/b', 'a+', '#', 'ü']) expect(() => resolve(bad)).toThrow(ConfigError);
  });

  it("publishes no state a fellow already published, and learns the gateway's last sight", () => {
    const clock = { now: 1_800_000_000_000 };
    const fellow = bridgeAt(clock);
    fellow.bridge.handleStatus(GW, fixtureBytes('single-givenergy'));
    const mine = bridgeAt(clock);
    for (const [topic, payload] of fellow.broker.retained) {
      if (topic.startsWith('homeassistant/'))
        mine.bridge.handleDiscoveryConfig(topic, Buffer.from(payload));
      else tell(mine.bridge, topic, payload);
    }
    mine.bridge.handleStatus(GW, fixtureBytes('single-givenergy'));
    // The fellow's flags were learned before this bridge met the gateway: nothing goes out,
    // no flag, no state, no config.
    expect(mine.broker.take().map((p) => p.topic)).toEqual([]);
    expect(mine.bridge.gatewayByEnc(GW)?.connection).toBe('online');

    // The fellow hears from the gateway 100 s later and says so; then 100 s of silence.
    clock.now += 100_000;
    fellow.bridge.handleStatus(GW, fixtureBytes('single-givenergy'));
    tell(mine.bridge, GATEWAY_STATE, fellow.broker.retained.get(GATEWAY_STATE) ?? '');
    clock.now += 100_000;
    mine.bridge.tick();
    // 200 s after this bridge's own message, 100 s after the fellow's: not stale.
    expect(mine.broker.take().map((p) => p.topic)).toEqual([]);
    expect(mine.bridge.gatewayByEnc(GW)?.fresh).toBe(true);
  });

  it("adds up to the fleet's count of rejected messages, and follows the flags", () => {
    const clock = { now: 1_800_000_000_000 };
    const fellow = bridgeAt(clock);
    const mine = bridgeAt(clock);
    fellow.bridge.handleStatus(GW, fixtureBytes('single-givenergy'));
    mine.bridge.handleStatus(GW, fixtureBytes('single-givenergy'));
    fellow.bridge.handleStatus(GW, fixtureBytes('bad-random'));
    fellow.bridge.handleStatus(GW, fixtureBytes('bad-truncated'));
    tell(mine.bridge, GATEWAY_STATE, fellow.broker.retained.get(GATEWAY_STATE) ?? '');
    mine.bridge.handleStatus(GW, fixtureBytes('bad-json-instead'));
    const state = JSON.parse(mine.broker.retained.get(GATEWAY_STATE) ?? '{}') as Record<
      string,
      unknown
    >;
    expect(state.rejected_messages).toBe(3);

    expect(tell(mine.bridge, `predbat_bridge/${GW}/connection`, 'offline')).toBe(true);
    expect(mine.bridge.gatewayByEnc(GW)?.connection).toBe('offline');
    expect(tell(mine.bridge, `predbat_bridge/${GW}/telemetry`, 'offline')).toBe(true);
    expect(mine.bridge.gatewayByEnc(GW)?.fresh).toBe(false);
    // The next message puts both back, and says so.
    mine.broker.take();
    mine.bridge.handleStatus(GW, fixtureBytes('single-givenergy'));
    expect(mine.broker.retained.get(`predbat_bridge/${GW}/connection`)).toBe('online');
    expect(mine.broker.retained.get(`predbat_bridge/${GW}/telemetry`)).toBe('online');
  });

  it("starts from the fleet's count of rejected messages for a gateway it meets late", () => {
    const clock = { now: 1_800_000_000_000 };
    const fellow = bridgeAt(clock);
    const mine = bridgeAt(clock);
    fellow.bridge.handleStatus(GW, fixtureBytes('single-givenergy'));
    fellow.bridge.handleStatus(GW, fixtureBytes('bad-random'));
    // A bridge just started finds the fellow's retained state before it meets the gateway.
    tell(mine.bridge, GATEWAY_STATE, fellow.broker.retained.get(GATEWAY_STATE) ?? '');
    mine.bridge.handleStatus(GW, fixtureBytes('single-givenergy'));
    // What the fellow published stands: this bridge's state is the same, and not sent again.
    expect(mine.broker.retained.get(GATEWAY_STATE)).toBeUndefined();
    mine.bridge.handleStatus(GW, fixtureBytes('bad-json-instead'));
    const state = JSON.parse(mine.broker.retained.get(GATEWAY_STATE) ?? '{}') as Record<
      string,
      unknown
    >;
    expect(state.rejected_messages).toBe(2);
  });

  it('says a gateway is back when a fellow last said it was stale, before this bridge met it', () => {
    const { bridge, broker } = bridgeAt({ now: 1_800_000_000_000 });
    tell(bridge, `predbat_bridge/${GW}/connection`, 'online');
    tell(bridge, `predbat_bridge/${GW}/telemetry`, 'offline');
    bridge.handleStatus(GW, fixtureBytes('single-givenergy'));
    const flags = broker
      .take()
      .filter((p) => !p.topic.endsWith('/config') && !p.topic.endsWith('/state'));
    // Only the flag that changes goes out: the connection was online already.
    expect(flags).toEqual([
      { topic: `predbat_bridge/${GW}/telemetry`, payload: 'online', qos: 1, retain: true },
    ]);
  });

  it('sends the flags again after a fellow cleared them, met or not', () => {
    const { bridge, broker } = bridgeAt({ now: 1_800_000_000_000 });
    const flags = [`predbat_bridge/${GW}/connection`, `predbat_bridge/${GW}/telemetry`];
    for (const met of [false, true]) {
      for (const topic of flags) tell(bridge, topic, 'online');
      // A fellow retires the gateway: its flags are emptied on the broker.
      for (const topic of flags) tell(bridge, topic, '');
      broker.take();
      bridge.handleStatus(GW, fixtureBytes('single-givenergy'));
      const sent = broker.take().filter((p) => flags.includes(p.topic));
      expect({ met, sent: sent.map((p) => [p.topic, p.payload]) }).toEqual({
        met,
        sent: flags.map((topic) => [topic, 'online']),
      });
    }
  });

  it("leaves alone what is not a fellow's state", () => {
    const { bridge } = bridgeAt({ now: 0 });
    expect(tell(bridge, 'predbat_bridge/bridge/state', 'offline')).toBe(false);
    expect(tell(bridge, `predbat_bridge/${GW}/plan/state`, '{}')).toBe(false);
    expect(tell(bridge, `predbat_bridge/${GW}/inverter/X/charge_rate/set`, '1')).toBe(false);
    expect(tell(bridge, 'homeassistant/status', 'online')).toBe(false);
    expect(tell(bridge, INVERTER_STATE, '{"not":"known yet"}')).toBe(true);
  });
});
