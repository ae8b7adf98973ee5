import { commandResult, resultMessage } from '../../src/bridge/command-results';

const AT = 1796300400_000;

function message(command: string, value: unknown): string {
  const subject = {
    command,
    command_id: 'c1',
    entity: 'button.predbat_ce2341g123_reset',
    device: 'CE2341G123',
    value,
  };
  return resultMessage('pbgw_a1b2c3', commandResult(subject, 'sent', null, AT));
}

describe('resultMessage', () => {
  it('names the command and its value, and a button command without one', () => {
    expect(message('set_charge_rate', 2500)).toBe(
      "sent set_charge_rate 2500 for 'CE2341G123' to gateway 'pbgw_a1b2c3'",
    );
    expect(message('inverter_reset', null)).toBe(
      "sent inverter_reset for 'CE2341G123' to gateway 'pbgw_a1b2c3'",
    );
  });
});
