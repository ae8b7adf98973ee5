import { Bridge } from '../../src/bridge/bridge';
import { silentLogger } from '../../src/bridge/logger';
import { DEFAULT_OPTIONS } from '../../src/bridge/options';
import { discoveryConfigs } from '../../src/homeassistant/discovery';
import { FakeBroker } from '../support/fake-broker';
import { GOOD_FIXTURES, fixtureBytes } from '../support/fixtures';
import { validateDiscovery } from '../support/ha-discovery-validator';
import { OPTIONS, TEMPLATES, fixtureDevices } from '../support/pipeline';

const EXPIRING = { ...OPTIONS, expireAfterSeconds: 480 };

describe('expire_after', () => {
  it("lets a sensor fed by the gateway's telemetry expire, and nothing else", () => {
    const configs = fixtureDevices('ev-charger').flatMap((d) =>
      discoveryConfigs(d, TEMPLATES, EXPIRING),
    );
    const expiry = new Map(configs.map((c) => [c.topic.split('/')[3], c.payload.expire_after]));
    expect(expiry.get('pbgw_evc042_CE2341G456_battery_soc')).toBe(480);
    expect(expiry.get('pbgw_evc042_CE2341G456_connected')).toBe(480);
    expect(expiry.get('pbgw_evc042_wifi_rssi')).toBe(480);
    // The bridge's own view of the gateway stays while the gateway is silent.
    expect(expiry.get('pbgw_evc042_online')).toBeUndefined();
    expect(expiry.get('pbgw_evc042_last_seen')).toBeUndefined();
    // Controls have no expire_after in Home Assistant.
    expect(expiry.get('pbgw_evc042_CE2341G456_charge_rate')).toBeUndefined();
    expect(expiry.get('pbgw_evc042_CE2341G456_charge_enabled')).toBeUndefined();
  });

  it('is the heartbeat plus the stale time, and Home Assistant takes it', () => {
    const broker = new FakeBroker();
    const options = { ...DEFAULT_OPTIONS, heartbeatSeconds: 120, staleAfterSeconds: 60 };
    const bridge = new Bridge(options, TEMPLATES, broker, silentLogger());
    for (const name of GOOD_FIXTURES) bridge.handleStatus(`gw_${name}`, fixtureBytes(name));
    const configs = [...broker.retainedUnder('homeassistant/')].map(([topic, payload]) => ({
      topic,
      payload,
    }));
    const soc = configs.find((c) => c.topic.endsWith('_battery_soc/config'));
    expect(JSON.parse(soc?.payload ?? '{}')).toMatchObject({ expire_after: 180 });
    expect(validateDiscovery(configs)).toEqual([]);
  });
});
