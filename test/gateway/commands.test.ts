import {
  commandJson,
  commandTopic,
  decodeCommandPayload,
  encodeCommandPayload,
  evActionJson,
  evCommandTopic,
  gatewayCommand,
  hhmm,
  scheduleTopic,
} from '../../src/gateway/commands';
import { decodeCommand } from '../../src/gateway/wire';
import type { GatewayIntent } from '../../src/site/commands';

const ID = '0f8e2a44-3c1d-4b7e-9a55-1e2f3a4b5c6d';

/** Every command the gateway reads, with the envelope the wire contract gives for it. */
const ENVELOPES: Array<[GatewayIntent, string]> = [
  [
    { command: 'set_charge_rate', serial: 'CE2341G123', power_w: 2500 },
    `{"command":"set_charge_rate","command_id":"${ID}","serial":"CE2341G123","power_w":2500}`,
  ],
  [
    { command: 'set_discharge_rate', serial: 'CE2341G123', power_w: 0 },
    `{"command":"set_discharge_rate","command_id":"${ID}","serial":"CE2341G123","power_w":0}`,
  ],
  [
    { command: 'set_reserve', serial: 'CE2341G123', target_soc: 10 },
    `{"command":"set_reserve","command_id":"${ID}","serial":"CE2341G123","target_soc":10}`,
  ],
  [
    { command: 'set_target_soc', serial: 'CE2341G123', target_soc: 100 },
    `{"command":"set_target_soc","command_id":"${ID}","serial":"CE2341G123","target_soc":100}`,
  ],
  [
    { command: 'set_charge_enable', serial: 'CE2341G123', enable: false },
    `{"command":"set_charge_enable","command_id":"${ID}","serial":"CE2341G123","enable":false}`,
  ],
  [
    { command: 'set_discharge_enable', serial: 'CE2341G123', enable: true },
    `{"command":"set_discharge_enable","command_id":"${ID}","serial":"CE2341G123","enable":true}`,
  ],
  [
    { command: 'set_charge_slot', serial: 'CE2341G123', edge: 'start', time: '01:30' },
    `{"command":"set_charge_slot","command_id":"${ID}","serial":"CE2341G123",` +
      '"schedule_json":"{\\"start\\":130}"}',
  ],
  [
    { command: 'set_discharge_slot', serial: 'CE2341G123', edge: 'end', time: '19:05' },
    `{"command":"set_discharge_slot","command_id":"${ID}","serial":"CE2341G123",` +
      '"schedule_json":"{\\"end\\":1905}"}',
  ],
  [
    { command: 'inverter_reset', serial: 'CE2341G123' },
    `{"command":"inverter_reset","command_id":"${ID}","serial":"CE2341G123"}`,
  ],
  [
    { command: 'set_read_only', enable: true },
    `{"command":"set_read_only","command_id":"${ID}","enable":true}`,
  ],
];

describe('command envelope', () => {
  it.each(ENVELOPES)('%j is the exact JSON envelope', (intent, json) => {
    expect(encodeCommandPayload(gatewayCommand(intent, ID), 'json')).toBe(json);
  });

  it.each(ENVELOPES)('%j as protobuf decodes to the same fields', (intent, json) => {
    const bytes = encodeCommandPayload(gatewayCommand(intent, ID), 'protobuf');
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(decodeCommand(bytes as Uint8Array)).toEqual(JSON.parse(json));
  });

  it('writes the protobuf GatewayCommand with the field numbers of the contract', () => {
    const bytes = encodeCommandPayload(
      gatewayCommand({ command: 'set_charge_rate', serial: 'S1', power_w: 0 }, 'c1'),
      'protobuf',
    );
    // 1: "set_charge_rate", 2: "c1", 3: "S1", 4: 0 (present: the field is optional)
    expect(Buffer.from(bytes).toString('hex')).toBe(
      '0a0f' + Buffer.from('set_charge_rate').toString('hex') + '12026331' + '1a025331' + '2000',
    );
  });

  it('decodes what a gateway stand-in receives, in either encoding', () => {
    const command = gatewayCommand({ command: 'set_reserve', serial: 'X', target_soc: 4 }, ID);
    const json = Buffer.from(commandJson(command));
    const proto = encodeCommandPayload(command, 'protobuf') as Uint8Array;
    expect(decodeCommandPayload(json, 'json')).toEqual(command);
    expect(decodeCommandPayload(proto, 'protobuf')).toEqual(command);
    expect(() => decodeCommandPayload(Buffer.from('[1]'), 'json')).toThrow('JSON object');
  });

  it('writes slot times as HHMM, a slot ending at 00:00 ending at midnight (2400)', () => {
    expect(hhmm('00:00', 'start')).toBe(0);
    expect(hhmm('00:05', 'start')).toBe(5);
    expect(hhmm('23:55', 'end')).toBe(2355);
    expect(hhmm('00:00', 'end')).toBe(2400);
  });

  it('addresses the topics of the wire contract', () => {
    expect(commandTopic('predbat/devices', 'pbgw_a1b2c3')).toBe(
      'predbat/devices/pbgw_a1b2c3/command',
    );
    expect(scheduleTopic('predbat/devices', 'pbgw_a1b2c3')).toBe(
      'predbat/devices/pbgw_a1b2c3/schedule',
    );
    expect(evCommandTopic('predbat/devices', 'pbgw_a1b2c3')).toBe(
      'predbat/devices/pbgw_a1b2c3/ev/command',
    );
  });
});

describe('EV actions', () => {
  it('spells each action exactly as the wire contract does', () => {
    expect(evActionJson({ action: 'SetChargingProfile', current_a: 16 })).toBe(
      '{"action":"SetChargingProfile","current_a":16}',
    );
    expect(evActionJson({ action: 'RemoteStartTransaction', id_tag: 'predbat' })).toBe(
      '{"action":"RemoteStartTransaction","id_tag":"predbat"}',
    );
    expect(evActionJson({ action: 'RemoteStopTransaction' })).toBe(
      '{"action":"RemoteStopTransaction"}',
    );
  });
});
