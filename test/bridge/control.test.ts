import { decodeCommand } from '../../src/gateway/wire';
import {
  CHARGE_RATE,
  COMMAND_TOPIC,
  GW,
  INVERTER,
  RESULT_TOPIC,
  UUID,
  harness,
  lastState,
  resultAt,
  started,
} from '../support/control-harness';
import { fixtureBytes } from '../support/fixtures';
import { telemetry } from '../support/telemetry';

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

describe('commands from Home Assistant', () => {
  it('sends a charge rate once as the JSON envelope, and confirms it from telemetry', () => {
    const h = started();
    h.set(CHARGE_RATE, '2500');
    expect(h.sent()).toEqual([]);
    h.advance(500);
    const [sent, ...more] = h.sent();
    expect(more).toEqual([]);
    expect(sent).toMatchObject({ topic: COMMAND_TOPIC, qos: 1, retain: false });
    const envelope = JSON.parse(sent?.payload ?? '') as Record<string, unknown>;
    expect(envelope).toEqual({
      command: 'set_charge_rate',
      command_id: expect.stringMatching(UUID),
      serial: 'CE2341G123',
      power_w: 2500,
    });
    const subject = {
      command: 'set_charge_rate',
      command_id: envelope.command_id,
      entity: 'number.predbat_ce2341g123_charge_rate',
      device: 'CE2341G123',
      value: 2500,
    };
    expect(h.results()).toEqual([{ ...subject, status: 'sent', reason: null, at: resultAt(500) }]);

    h.advance(10000);
    h.bridge.handleStatus(
      GW,
      telemetry('single-givenergy', (inverter) => {
        if (inverter.control) inverter.control.charge_rate_w = 2500;
      }),
    );
    expect(h.results()).toEqual([
      { ...subject, status: 'confirmed', reason: null, at: resultAt(10500) },
    ]);
    expect(lastState(h.ha, `predbat_bridge/${GW}/state`).command_result).toEqual({
      ...subject,
      status: 'confirmed',
      reason: null,
      at: resultAt(10500),
    });
    expect(lastState(h.ha, `${INVERTER}/state`)).toMatchObject({
      control: expect.objectContaining({ charge_rate_w: 2500 }),
    });
  });

  it('sends only the last value of a control moved several times in a row', () => {
    const h = started();
    h.set(CHARGE_RATE, '1000');
    h.advance(200);
    h.set(CHARGE_RATE, '1500');
    h.advance(200);
    h.set(CHARGE_RATE, '2000');
    h.advance(499);
    expect(h.sent()).toEqual([]);
    h.advance(1);
    const sent = h.sent();
    expect(sent.map((s) => JSON.parse(s.payload).power_w)).toEqual([2000]);
    expect(h.results().map((r) => [r.status, r.value])).toEqual([['sent', 2000]]);
  });

  it('keeps controls apart: each sends its own last value', () => {
    const h = started();
    h.set(CHARGE_RATE, '1000');
    h.set(`${GW}/inverter/CE2341G123/reserve_soc/set`, '10');
    h.advance(500);
    expect(h.sent().map((s) => JSON.parse(s.payload).command)).toEqual([
      'set_charge_rate',
      'set_reserve',
    ]);
  });

  it('does not send a value the inverter already reports', () => {
    const h = started();
    h.set(CHARGE_RATE, '3600');
    h.advance(500);
    expect(h.sent()).toEqual([]);
    expect(h.results()).toEqual([
      {
        command: 'set_charge_rate',
        command_id: null,
        entity: 'number.predbat_ce2341g123_charge_rate',
        device: 'CE2341G123',
        value: 3600,
        status: 'confirmed',
        reason: 'already so: nothing was sent',
        at: resultAt(500),
      },
    ]);
  });

  it('reports not_applied after the confirmation cycles, and snaps Home Assistant back', () => {
    const h = started({ confirmCycles: 3 });
    h.set(CHARGE_RATE, '2500');
    h.advance(500);
    expect(h.results().map((r) => r.status)).toEqual(['sent']);
    for (let cycle = 1; cycle <= 2; cycle++) {
      h.advance(10000);
      h.bridge.handleStatus(GW, fixtureBytes('single-givenergy'));
      expect(h.results()).toEqual([]);
    }
    const before = h.ha.published.length;
    h.advance(10000);
    h.bridge.handleStatus(GW, fixtureBytes('single-givenergy'));
    expect(h.results()).toEqual([
      expect.objectContaining({
        status: 'not_applied',
        value: 2500,
        reason: 'telemetry still reports 3600 after 3 cycles',
      }),
    ]);
    const republished = h.ha.published.slice(before).map((p) => p.topic);
    expect(republished).toContain(`${INVERTER}/state`);
    expect(lastState(h.ha, `${INVERTER}/state`)).toMatchObject({
      control: expect.objectContaining({ charge_rate_w: 3600 }),
    });
  });

  it('reports not_applied when no telemetry comes at all', () => {
    const h = started({ staleAfterSeconds: 60 });
    h.set(CHARGE_RATE, '2500');
    h.advance(500);
    h.results();
    h.advance(60001);
    h.bridge.tick();
    expect(h.results()).toEqual([
      expect.objectContaining({
        status: 'not_applied',
        reason: 'no telemetry confirmed it within 60 s',
      }),
    ]);
  });

  it('rejects a value off the range, sends nothing, and snaps the entity back', () => {
    const h = started();
    const before = h.ha.published.length;
    h.set(CHARGE_RATE, '9000');
    h.advance(500);
    expect(h.sent()).toEqual([]);
    expect(h.results()).toEqual([
      {
        command: 'set_charge_rate',
        command_id: null,
        entity: 'number.predbat_ce2341g123_charge_rate',
        device: 'CE2341G123',
        value: '9000',
        status: 'rejected',
        reason: '9000 is above the maximum 3600',
        at: resultAt(0),
      },
    ]);
    const republished = h.ha.published.slice(before).map((p) => p.topic);
    expect(republished).toEqual([RESULT_TOPIC, `predbat_bridge/${GW}/state`, `${INVERTER}/state`]);
  });

  it.each([
    ['not a number', 'lots', "'lots' is not a finite number"],
    ['off the step', '2550', '2550 is not on a step of 100 from 0'],
  ])('rejects a value %s', (_what, payload, reason) => {
    const h = started();
    h.set(CHARGE_RATE, payload);
    expect(h.results()).toEqual([expect.objectContaining({ status: 'rejected', reason })]);
  });

  it('rejects commands for a read-only unit and an unknown one', () => {
    const h = harness();
    h.bridge.handleStatus('pbgw_mix777', fixtureBytes('mixed-solis-deye'));
    h.set('pbgw_mix777/inverter/2306125093/charge_rate/set', '1000');
    h.set('pbgw_mix777/inverter/NOPE/charge_rate/set', '1000');
    h.set('pbgw_elsewhere/inverter/X/charge_rate/set', '1000');
    h.set('x y/inverter/X/charge_rate/set', '1000');
    h.set('pbgw--x/charge_enabled/set', 'ON');
    expect(h.sent()).toEqual([]);
    expect(h.results().map((r) => [r.status, r.reason])).toEqual([
      [
        'rejected',
        "'Deye/Sunsynk 2306125093' is read-only: its gateway reports that it does not accept commands",
      ],
      ['rejected', "gateway 'pbgw_mix777' reports no unit there"],
      ['rejected', "no telemetry from a gateway 'pbgw_elsewhere' yet"],
      ['rejected', "no telemetry from a gateway 'x y' yet"],
      ['rejected', "no telemetry from a gateway 'pbgw-x' yet"],
    ]);
    expect(
      h.ha.published.filter((p) => p.topic.endsWith('command_result')).map((p) => p.topic),
    ).toEqual([
      'predbat_bridge/pbgw_mix777/command_result',
      'predbat_bridge/pbgw_mix777/command_result',
      'predbat_bridge/pbgw_elsewhere/command_result',
      // A level that is no id's encoding is encoded itself: never a raw level in a topic.
      'predbat_bridge/x-20y/command_result',
      'predbat_bridge/pbgw--x/command_result',
    ]);
  });

  it('lets no command leave in read-only mode', () => {
    const h = started({ readOnly: true });
    h.set(CHARGE_RATE, '2500');
    h.set(`${GW}/battery_mode/set`, 'Charge');
    h.set(`${GW}/plan/set`, '[]');
    h.advance(500);
    h.bridge.tick();
    expect(h.sent()).toEqual([]);
    const reason = 'the bridge is in read-only mode (option read_only): no command leaves it';
    expect(h.results().map((r) => [r.status, r.reason])).toEqual([
      ['rejected', reason],
      ['rejected', reason],
      ['rejected', reason],
    ]);
  });

  it("sends the gateway's read-only switch, then holds other commands until it is off", () => {
    const h = started();
    h.set(`${GW}/read_only/set`, 'ON');
    h.advance(500);
    const [sent] = h.sent();
    expect(JSON.parse(sent?.payload ?? '')).toEqual({
      command: 'set_read_only',
      command_id: expect.stringMatching(UUID),
      enable: true,
    });
    expect(lastState(h.ha, `predbat_bridge/${GW}/state`).read_only).toBe('ON');
    // The result reads the same in the state as on the result topic: true, not ON.
    const [result] = h.results();
    expect(result).toMatchObject({ command: 'set_read_only', value: true, status: 'sent' });
    expect(lastState(h.ha, `predbat_bridge/${GW}/state`).command_result).toEqual(result);
    h.set(CHARGE_RATE, '2500');
    expect(h.results().map((r) => [r.status, r.reason])).toEqual([
      ['rejected', "gateway 'pbgw_a1b2c3' is read-only: turn its Read-only switch off first"],
    ]);
    h.set(`${GW}/read_only/set`, 'OFF');
    h.advance(500);
    h.set(CHARGE_RATE, '2500');
    h.advance(500);
    expect(h.sent().map((s) => JSON.parse(s.payload).command)).toEqual([
      'set_read_only',
      'set_charge_rate',
    ]);
  });

  it('ignores a retained command, which would replay at every start', () => {
    const h = started();
    h.control.handleSet(`predbat_bridge/${CHARGE_RATE}`, Buffer.from('2500'), true);
    h.advance(500);
    expect(h.sent()).toEqual([]);
    expect(h.results()).toEqual([]);
  });

  it('refuses a command for a gateway that went offline', () => {
    const h = started();
    h.bridge.handleOnline(GW, Buffer.from('0'));
    h.set(CHARGE_RATE, '2500');
    expect(h.results().map((r) => r.reason)).toEqual(["gateway 'pbgw_a1b2c3' is offline"]);
  });

  it('checks a command again when it has settled, and refuses what became refused', () => {
    const h = started();
    h.set(CHARGE_RATE, '2500');
    h.advance(200);
    h.bridge.handleOnline(GW, Buffer.from('0'));
    h.advance(300);
    expect(h.sent()).toEqual([]);
    expect(h.results().map((r) => [r.status, r.reason])).toEqual([
      ['rejected', "gateway 'pbgw_a1b2c3' is offline"],
    ]);
  });

  it('sends protobuf GatewayCommand when asked to', () => {
    const h = started({ commandEncoding: 'protobuf' });
    h.set(`${GW}/inverter/CE2341G123/charge_slot_1_end/set`, '05:00');
    h.advance(500);
    const [sent] = h.sent();
    expect(decodeCommand(sent?.bytes ?? new Uint8Array())).toEqual({
      command: 'set_charge_slot',
      command_id: expect.stringMatching(UUID),
      serial: 'CE2341G123',
      schedule_json: '{"end":500}',
    });
  });

  it('sends the reset button press, with nothing to confirm', () => {
    const h = started();
    h.set(`${GW}/inverter/CE2341G123/reset/set`, 'PRESS');
    h.advance(500);
    expect(JSON.parse(h.sent()[0]?.payload ?? '')).toEqual({
      command: 'inverter_reset',
      command_id: expect.stringMatching(UUID),
      serial: 'CE2341G123',
    });
    h.advance(30000);
    h.bridge.handleStatus(GW, fixtureBytes('single-givenergy'));
    expect(h.results().map((r) => r.status)).toEqual(['sent']);
  });
});

describe('while the gateway broker is unreachable', () => {
  it('sends a fresh command on reconnect, once', () => {
    const h = started({ commandFreshSeconds: 60 });
    h.gateways.connected = false;
    h.set(CHARGE_RATE, '2500');
    h.advance(500);
    h.advance(20000);
    h.bridge.tick();
    expect(h.sent()).toEqual([]);
    expect(h.results()).toEqual([]);
    h.gateways.connected = true;
    h.control.onGatewayConnect();
    expect(h.sent().map((s) => JSON.parse(s.payload).power_w)).toEqual([2500]);
    expect(h.results().map((r) => r.status)).toEqual(['sent']);
    h.control.onGatewayConnect();
    expect(h.sent()).toEqual([]);
  });

  it('reports a command expired once it is no longer fresh, and never sends it', () => {
    const h = started({ commandFreshSeconds: 60 });
    h.gateways.connected = false;
    h.set(CHARGE_RATE, '2500');
    h.advance(500);
    h.advance(60000);
    h.bridge.tick();
    expect(h.results()).toEqual([
      expect.objectContaining({
        status: 'expired',
        value: 2500,
        reason: 'the gateway broker was unreachable for more than 60 s',
      }),
    ]);
    h.gateways.connected = true;
    h.control.onGatewayConnect();
    expect(h.sent()).toEqual([]);
  });

  it('keeps only the newest value per control, saying the older one expired', () => {
    const h = started({ commandDebounceMs: 0 });
    h.gateways.connected = false;
    h.set(CHARGE_RATE, '1000');
    h.set(CHARGE_RATE, '2000');
    expect(h.results().map((r) => [r.status, r.value])).toEqual([['expired', 1000]]);
    h.gateways.connected = true;
    h.control.onGatewayConnect();
    expect(h.sent().map((s) => JSON.parse(s.payload).power_w)).toEqual([2000]);
  });
});
