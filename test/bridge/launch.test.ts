// The demo's start-up line: which broker it is on, and where a Home Assistant shows it.
import { demoLine } from '../../src/bridge/launch';
import { DEFAULT_OPTIONS } from '../../src/bridge/options';

const SHOWN =
  ' (discovery prefix \'homeassistant\') shows it as the device "Predbat gateway pbgw_demo",' +
  ' whose controls act on the simulated site; stopping the bridge (Ctrl-C) removes it again';

describe('demoLine', () => {
  it('warns that the broker found on this machine may be a real Home Assistant one', () => {
    const options = { ...DEFAULT_OPTIONS, autoBroker: true, localBrokerPort: 1883 };
    expect(demoLine(options, 'pbgw_demo', false)).toBe(
      "demo gateway 'pbgw_demo' added on the broker already running on localhost:1883; a Home" +
        ` Assistant using that broker${SHOWN}`,
    );
    expect(demoLine(options, 'pbgw_demo', true)).toBe(
      "demo gateway 'pbgw_demo' added on the embedded broker on localhost:1883; a Home" +
        ` Assistant using that broker${SHOWN}`,
    );
  });

  it('names a given broker without its credentials, and both brokers when they differ', () => {
    const options = {
      ...DEFAULT_OPTIONS,
      broker: { url: 'mqtt://bridge:secret@ha.lan:1883', rejectUnauthorized: true },
      gatewayBroker: { url: 'mqtts://broker.example.com:8883', rejectUnauthorized: true },
    };
    expect(demoLine(options, 'pbgw_demo', false)).toBe(
      "demo gateway 'pbgw_demo' added on the gateway broker at mqtts://broker.example.com:8883;" +
        ` a Home Assistant using the broker at mqtt://***:***@ha.lan:1883${SHOWN}`,
    );
  });
});
