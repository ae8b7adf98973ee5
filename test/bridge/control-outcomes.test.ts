// Every command ends in exactly one final outcome, named as the wire names it: one replaced
// by a newer value before telemetry confirmed it expires, and so does one the bridge never
// sent because it stopped.
import { REPLACED_BEFORE_CONFIRMED as REPLACED } from '../../src/bridge/dispatch';
import { observe } from '../../src/bridge/fleet';
import {
  CHARGE_RATE,
  GW,
  type Harness,
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

const CHARGER = 'pbgw_evc042/ev_charger/EVB--Pro-203XB-2e749';

/** The gateway's state with a command result, as a fellow bridge of a fleet published it. */
function fellowState(h: Harness, result: Record<string, unknown>): void {
  const topic = `predbat_bridge/${GW}/state`;
  observe(h.bridge, h.options, topic, Buffer.from(JSON.stringify({ command_result: result })));
}

describe('command outcomes', () => {
  it('ends a command replaced before it was confirmed as expired, once', () => {
    const h = started({ commandDebounceMs: 0 });
    h.set(CHARGE_RATE, '2500');
    h.set(CHARGE_RATE, '1000');
    const [first, second] = h.sent().map((s) => JSON.parse(s.payload) as Record<string, unknown>);
    expect([first?.power_w, second?.power_w]).toEqual([2500, 1000]);
    const subject = (envelope: Record<string, unknown> | undefined, value: number) => ({
      command: 'set_charge_rate',
      command_id: envelope?.command_id,
      entity: 'number.predbat_ce2341g123_charge_rate',
      device: 'CE2341G123',
      value,
    });
    expect(h.results()).toEqual([
      { ...subject(first, 2500), status: 'sent', reason: null, at: resultAt(0) },
      { ...subject(first, 2500), status: 'expired', reason: REPLACED, at: resultAt(0) },
      { ...subject(second, 1000), status: 'sent', reason: null, at: resultAt(0) },
    ]);
    h.advance(10000);
    h.bridge.handleStatus(
      GW,
      telemetry('single-givenergy', (inverter) => {
        if (inverter.control) inverter.control.charge_rate_w = 1000;
      }),
    );
    h.advance(60000);
    h.bridge.handleStatus(GW, fixtureBytes('single-givenergy'));
    h.bridge.tick();
    expect(h.results()).toEqual([
      { ...subject(second, 1000), status: 'confirmed', reason: null, at: resultAt(10000) },
    ]);
  });

  it('says what became of commands not yet sent when the bridge stops', () => {
    const h = started({ commandFreshSeconds: 60 });
    h.gateways.connected = false;
    h.set(CHARGE_RATE, '2500');
    h.advance(500);
    h.set(`${GW}/inverter/CE2341G123/reserve_soc/set`, '10');
    h.control.stop();
    h.advance(1000);
    expect(h.results().map((r) => [r.command, r.value, r.status, r.reason])).toEqual([
      ['set_reserve', 10, 'expired', 'the bridge stopped before sending it'],
      [
        'set_charge_rate',
        2500,
        'expired',
        'the bridge stopped before the gateway broker came back',
      ],
    ]);
    h.gateways.connected = true;
    h.control.onGatewayConnect();
    expect(h.sent()).toEqual([]);
  });

  it('names the current limit SetChargingProfile whether it is sent or rejected', () => {
    const h = harness({ commandDebounceMs: 0 });
    h.bridge.handleStatus('pbgw_evc042', fixtureBytes('ev-charger'));
    h.set(`${CHARGER}/current_limit/set`, '40');
    h.set(`${CHARGER}/current_limit/set`, '16');
    h.set(`${CHARGER}/charging/set`, 'maybe');
    h.bridge.handleOnline('pbgw_evc042', Buffer.from('0'));
    h.set(`${CHARGER}/charging/set`, 'OFF');
    const entity = 'number.predbat_ev_evb_pro_3xb_749_current_limit';
    expect(h.results().map((r) => [r.command, r.entity, r.value, r.status, r.reason])).toEqual([
      ['SetChargingProfile', entity, '40', 'rejected', '40 is above the maximum 32'],
      ['SetChargingProfile', entity, 16, 'sent', null],
      // Neither on nor off: no action was chosen, so none is named.
      [
        null,
        'switch.predbat_ev_evb_pro_3xb_749_charging',
        'maybe',
        'rejected',
        "'maybe' is neither ON nor OFF",
      ],
      [
        'RemoteStopTransaction',
        'switch.predbat_ev_evb_pro_3xb_749_charging',
        false,
        'rejected',
        "gateway 'pbgw_evc042' is offline",
      ],
    ]);
  });

  it("in a fleet, sends a value the telemetry shows while a fellow's command for it waits", () => {
    const h = started({ commandDebounceMs: 0, shareGroup: 'fleet' });
    const fellow = {
      command: 'set_charge_rate',
      command_id: 'fellow-1',
      entity: 'number.predbat_ce2341g123_charge_rate',
      device: 'CE2341G123',
      value: 2000,
      status: 'sent',
      reason: null,
      at: resultAt(0),
    };
    fellowState(h, fellow);
    // The telemetry shows 3600, but the fellow's 2000 is on its way to the gateway.
    h.set(CHARGE_RATE, '3600');
    expect(h.sent()).toHaveLength(1);
    expect(h.results()).toEqual([expect.objectContaining({ value: 3600, status: 'sent' })]);
    // Once the fellow says what became of its command, a value already shown is not sent.
    fellowState(h, { ...fellow, status: 'expired', reason: REPLACED });
    h.bridge.handleStatus(GW, fixtureBytes('single-givenergy'));
    h.results();
    h.set(CHARGE_RATE, '3600');
    expect(h.sent()).toEqual([]);
  });

  it('in a fleet, shows the newest result any bridge gave as the Last command', () => {
    const h = started({ commandDebounceMs: 0, shareGroup: 'fleet' });
    h.set(CHARGE_RATE, '2500');
    h.advance(1000);
    const newer = {
      command: 'set_charge_rate',
      command_id: 'fellow-9',
      entity: 'number.predbat_ce2341g123_charge_rate',
      device: 'CE2341G123',
      value: 3000,
      status: 'confirmed',
      reason: null,
      at: resultAt(1000),
    };
    fellowState(h, newer);
    fellowState(h, { ...newer, command_id: 'fellow-8', at: resultAt(-5000) });
    h.advance(9000);
    h.bridge.handleStatus(GW, fixtureBytes('single-givenergy'));
    expect(lastState(h.ha, `predbat_bridge/${GW}/state`).command_result).toEqual(newer);
  });

  it("in a fleet, takes its own earlier command coming back for no fellow's", () => {
    const h = started({ commandDebounceMs: 0, shareGroup: 'fleet' });
    const stateTopic = `predbat_bridge/${GW}/state`;
    h.set(CHARGE_RATE, '2500');
    const echo = JSON.stringify(lastState(h.ha, stateTopic));
    h.set(CHARGE_RATE, '2000');
    h.results();
    observe(h.bridge, h.options, stateTopic, Buffer.from(echo));
    expect(h.results()).toEqual([]);
  });

  it('in a fleet, ends a command a fellow replaced as expired, not as not applied', () => {
    const h = started({ commandDebounceMs: 0, shareGroup: 'fleet' });
    const stateTopic = `predbat_bridge/${GW}/state`;
    h.set(CHARGE_RATE, '2500');
    const [envelope] = h.sent().map((s) => JSON.parse(s.payload) as Record<string, unknown>);
    const ours = {
      command: 'set_charge_rate',
      command_id: envelope?.command_id,
      entity: 'number.predbat_ce2341g123_charge_rate',
      device: 'CE2341G123',
      value: 2500,
    };
    h.results();
    // This bridge's own state coming back, and a fellow's command sent before ours, replace nothing.
    observe(
      h.bridge,
      h.options,
      stateTopic,
      Buffer.from(JSON.stringify(lastState(h.ha, stateTopic))),
    );
    const older = {
      ...ours,
      command_id: 'fellow-1',
      value: 3000,
      status: 'sent',
      reason: null,
      at: resultAt(-2000),
    };
    fellowState(h, older);
    expect(h.results()).toEqual([]);
    h.advance(1000);
    const newer = { ...older, command_id: '00000000-fellow-2', value: 1000, at: resultAt(1000) };
    fellowState(h, newer);
    expect(h.results()).toEqual([
      { ...ours, status: 'expired', reason: REPLACED, at: resultAt(1000) },
    ]);
    // The telemetry that reports the fellow's value ends nothing more here.
    for (let cycle = 0; cycle < 5; cycle++) {
      h.advance(10000);
      h.bridge.handleStatus(
        GW,
        telemetry('single-givenergy', (inverter) => {
          if (inverter.control) inverter.control.charge_rate_w = 1000;
        }),
      );
    }
    h.bridge.tick();
    expect(h.results()).toEqual([]);
    // The Last command is the fellow's, sent in the second this bridge's expired.
    expect(lastState(h.ha, stateTopic).command_result).toEqual(newer);
  });
});

describe('EV chargers', () => {
  it('starts and stops charging and sets the current limit with the OCPP actions', () => {
    const h = harness({ commandDebounceMs: 0 });
    h.bridge.handleStatus('pbgw_evc042', fixtureBytes('ev-charger'));
    h.set(`${CHARGER}/charging/set`, 'ON');
    h.set(`${CHARGER}/charging/set`, 'OFF');
    h.set(`${CHARGER}/current_limit/set`, '16');
    const sent = h.sent();
    expect(sent.map((s) => [s.topic, s.payload, s.qos, s.retain])).toEqual([
      ['predbat/devices/pbgw_evc042/ev/command', '{"action":"RemoteStopTransaction"}', 1, false],
      [
        'predbat/devices/pbgw_evc042/ev/command',
        '{"action":"SetChargingProfile","current_a":16}',
        1,
        false,
      ],
    ]);
    const results = h.results();
    expect(results.map((r) => [r.command, r.entity, r.status, r.reason])).toEqual([
      [
        'RemoteStartTransaction',
        'switch.predbat_ev_evb_pro_3xb_749_charging',
        'confirmed',
        'already so: nothing was sent',
      ],
      ['RemoteStopTransaction', 'switch.predbat_ev_evb_pro_3xb_749_charging', 'sent', null],
      ['SetChargingProfile', 'number.predbat_ev_evb_pro_3xb_749_current_limit', 'sent', null],
    ]);
    // Started again before the stop showed in telemetry: sent, as the stop may be under way,
    // and the stop ends there, with one final outcome.
    h.set(`${CHARGER}/charging/set`, 'ON');
    expect(h.sent().map((s) => s.payload)).toEqual([
      '{"action":"RemoteStartTransaction","id_tag":"predbat"}',
    ]);
    const stop = results[1] ?? {};
    expect(h.results()).toEqual([
      { ...stop, status: 'expired', reason: REPLACED, at: resultAt(0) },
      {
        command: 'RemoteStartTransaction',
        command_id: expect.stringMatching(UUID),
        entity: 'switch.predbat_ev_evb_pro_3xb_749_charging',
        device: 'EVB-Pro 3XB.749',
        value: true,
        status: 'sent',
        reason: null,
        at: resultAt(0),
      },
    ]);
  });
});
