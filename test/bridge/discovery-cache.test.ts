import { DiscoveryCache } from '../../src/bridge/discovery-cache';
import { payloadHash } from '../../src/digest';
import { fixtureConfigs } from '../support/pipeline';

const configs = fixtureConfigs('mixed-solis-deye').map((c) => ({
  topic: c.topic,
  payload: JSON.stringify(c.payload),
}));
const GATEWAY = 'pbgw_mix777';
const SOLIS = `${GATEWAY}_1031220231190045`;

function filled(): DiscoveryCache {
  const cache = new DiscoveryCache();
  for (const { topic, payload } of configs) cache.record(topic, payload);
  return cache;
}

describe('the cache of discovery configs on the broker', () => {
  it('knows each config by a digest, and a config coming back changes nothing', () => {
    const cache = new DiscoveryCache();
    const first = configs.find((c) => c.topic.includes(`/${SOLIS}_`));
    if (!first) throw new Error('no configs');
    expect(cache.record(first.topic, first.payload)).toBe(true);
    const version = cache.version(SOLIS);
    expect(cache.record(first.topic, first.payload)).toBe(false);
    expect(cache.version(SOLIS)).toBe(version);
    expect(cache.holds(first.topic, first.payload)).toBe(true);
    expect(cache.holds(first.topic, `${first.payload} `)).toBe(false);
    expect(cache.record(first.topic, first.payload.replace('Solis', 'Solax'))).toBe(true);
    expect(cache.version(SOLIS)).toBeGreaterThan(version);
  });

  it("gives a device's topics and keys, and the devices of a gateway", () => {
    const cache = filled();
    expect(cache.size).toBe(configs.length);
    const solis = configs.filter((c) => c.topic.includes(`/${SOLIS}_`)).map((c) => c.topic);
    expect(cache.topics(SOLIS).sort()).toEqual(solis.sort());
    expect(cache.keys(SOLIS)).toContain('battery_soc');
    expect(cache.devicesOf(GATEWAY).sort()).toEqual([SOLIS, `${GATEWAY}_2306125093`]);
  });

  it('forgets a config removed with an empty payload, and a device with none left', () => {
    const cache = filled();
    const version = cache.version(SOLIS);
    const topics = cache.topics(SOLIS);
    for (const topic of topics) expect(cache.record(topic, '')).toBe(true);
    expect(cache.topics(SOLIS)).toEqual([]);
    expect(cache.version(SOLIS)).toBeGreaterThan(version);
    expect(cache.devicesOf(GATEWAY)).toEqual([`${GATEWAY}_2306125093`]);
    expect(cache.record(topics[0] ?? '', '')).toBe(false);
  });

  it('keeps configs under a discovery prefix of several levels apart', () => {
    const cache = new DiscoveryCache();
    for (const { topic, payload } of configs) cache.record(`site/ha/${topic}`, payload);
    const [first] = cache.topics(SOLIS);
    expect(first).toMatch(/^site\/ha\/homeassistant\/\w+\/predbat\//);
    expect(cache.holds(first ?? '', '{}')).toBe(false);
    expect(cache.size).toBe(configs.length);
  });

  it('records its own configs without reading them, and knows them coming back', () => {
    const cache = new DiscoveryCache();
    const own = configs.find((c) => c.topic.includes(`/${SOLIS}_`));
    if (!own) throw new Error('no configs');
    const key = own.topic.split('/')[3]?.slice(SOLIS.length + 1) ?? '';
    const topic = `predbat_bridge/${GATEWAY}/inverter/1031220231190045`;
    cache.recordPublished(own.topic, payloadHash(own.payload), {
      deviceId: SOLIS,
      gatewayId: GATEWAY,
      key,
      topic,
    });
    const version = cache.version(SOLIS);
    expect(cache.record(own.topic, own.payload)).toBe(false);
    expect(cache.version(SOLIS)).toBe(version);
    expect(cache.devicesOf(GATEWAY)).toEqual([SOLIS]);
    expect(cache.deviceTopic(SOLIS)).toBe(topic);
    expect(cache.keys(SOLIS)).toEqual([key]);
  });

  it("ignores configs that are not this bridge's", () => {
    const cache = new DiscoveryCache();
    const other = JSON.stringify({ device: { identifiers: ['zigbee2mqtt_0x01'] } });
    expect(cache.record('homeassistant/sensor/predbat/zigbee_x/config', other)).toBe(false);
    expect(cache.record('homeassistant/sensor/short', other)).toBe(false);
    expect(cache.size).toBe(0);
  });
});
