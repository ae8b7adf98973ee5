import { StateGate } from '../../src/bridge/state-gate';
import type { Deadband } from '../../src/homeassistant/deadbands';

const POWER: Deadband = { path: ['battery', 'power_w'], band: 10, time: false };
const SEEN: Deadband = { path: ['last_seen'], band: 60, time: true };
const BANDS = [POWER, SEEN];
const TOPIC = 'predbat_bridge/gw/inverter/S1/state';
const HEARTBEAT_MS = 300_000;

function state(power: number, seen = '2026-06-01T00:00:00Z', soc = 50) {
  return { battery: { power_w: power, soc_percent: soc }, last_seen: seen };
}

const json = (power: number, seen = '2026-06-01T00:00:00Z', soc = 50): string =>
  `{"battery":{"power_w":${power},"soc_percent":${soc}},"last_seen":"${seen}"}`;

function gate(): {
  admit: (s: ReturnType<typeof state>, at?: number) => string | undefined;
  g: StateGate;
} {
  const g = new StateGate(HEARTBEAT_MS);
  return { g, admit: (s, at = 1000) => g.admit(TOPIC, s, BANDS, at, false) };
}

describe('the lean publish path', () => {
  it('publishes a first state whole, then nothing while nothing changes', () => {
    const { admit } = gate();
    expect(admit(state(1000))).toBe(json(1000));
    expect(admit(state(1000), 2000)).toBeUndefined();
  });

  it('holds a reading that moves within its deadband of the value last published', () => {
    const { admit } = gate();
    admit(state(1000));
    expect(admit(state(1006))).toBeUndefined();
    expect(admit(state(991))).toBeUndefined();
    // Another value changes: the state goes out with the held reading.
    expect(admit(state(1004, undefined, 51))).toBe(json(1000, '2026-06-01T00:00:00Z', 51));
  });

  it('measures a move from the value last published, not from the last reading', () => {
    const { admit } = gate();
    admit(state(1000));
    expect(admit(state(1008))).toBeUndefined();
    expect(admit(state(1011))).toBe(json(1011));
    expect(admit(state(1003))).toBeUndefined();
    expect(admit(state(1000))).toBe(json(1000, '2026-06-01T00:00:00Z'));
  });

  it('publishes a move of the whole deadband, a decimal step included', () => {
    const { admit } = gate();
    admit(state(1000));
    expect(admit(state(990))).toBe(json(990));
    const energy: Deadband = { path: ['energy'], band: 0.01, time: false };
    const g = new StateGate(HEARTBEAT_MS);
    const counter = (kwh: number) => g.admit(TOPIC, { energy: kwh }, [energy], 1000, false);
    counter(3.31);
    // 3.32 - 3.31 is a hair under 0.01 in floating point: still one whole step.
    expect(counter(3.32)).toBe('{"energy":3.32}');
    expect(counter(3.325)).toBeUndefined();
  });

  it('reads a deadband on a timestamp in seconds', () => {
    const { admit } = gate();
    admit(state(1000));
    expect(admit(state(1000, '2026-06-01T00:00:59Z'))).toBeUndefined();
    expect(admit(state(1000, '2026-06-01T00:01:01Z'))).toBe(json(1000, '2026-06-01T00:01:01Z'));
  });

  it('sends the readings as they are at the heartbeat, changed or not', () => {
    const { admit } = gate();
    admit(state(1000), 0);
    expect(admit(state(1005), HEARTBEAT_MS - 1)).toBeUndefined();
    expect(admit(state(1005), HEARTBEAT_MS)).toBe(json(1005));
    expect(admit(state(1005), HEARTBEAT_MS + 1)).toBeUndefined();
  });

  it('sends everything when forced, as on Home Assistant birth', () => {
    const { g, admit } = gate();
    admit(state(1000));
    expect(g.admit(TOPIC, state(1004), BANDS, 2000, true)).toBe(json(1004));
  });

  it('leaves the state it was given as the telemetry had it', () => {
    const { admit } = gate();
    admit(state(1000));
    const next = state(1005, undefined, 51);
    expect(admit(next)).toBe(json(1000, '2026-06-01T00:00:00Z', 51));
    expect(next).toEqual(state(1005, undefined, 51));
  });

  it('compares with what a fellow bridge published, once told', () => {
    const { g, admit } = gate();
    admit(state(1000));
    g.observe(TOPIC, json(1100), BANDS, 2000);
    expect(admit(state(1100), 3000)).toBeUndefined();
    expect(admit(state(1107), 4000)).toBeUndefined();
    expect(admit(state(1000), 5000)).toBe(json(1000));
    g.observe(TOPIC, '', BANDS, 6000);
    expect(g.size).toBe(0);
    expect(admit(state(1000), 7000)).toBe(json(1000));
  });

  it('takes a fellow payload that is not JSON as a change', () => {
    const { g, admit } = gate();
    g.observe(TOPIC, 'garbage', BANDS, 0);
    expect(admit(state(1000))).toBe(json(1000));
  });
});
