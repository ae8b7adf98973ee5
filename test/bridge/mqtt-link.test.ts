import { isPublishableTopic } from '../../src/bridge/mqtt-link';

describe('the publish guard', () => {
  it.each([
    ['a state topic', 'predbat_bridge/gw-20-c3-bc/inverter/CE2341G123/state', true],
    ['a discovery topic', 'homeassistant/sensor/predbat/gw_x/config', true],
    ['one level', 'one', true],
    ['65,534 bytes of UTF-8', 'ü'.repeat(32767), true],
    ['nothing', '', false],
    ['a +', 'a/+/b', false],
    ['a #', 'a/#', false],
    ['a NUL', 'a\u0000b', false],
    ['an empty first level', '/a', false],
    ['an empty last level', 'a/', false],
    ['an empty level inside', 'a//b', false],
    ['a lone /', '/', false],
    ['65,536 characters', 'x'.repeat(65536), false],
    ['65,536 bytes of UTF-8', 'ü'.repeat(32768), false],
  ])('%s', (_what, topic, publishable) => {
    expect(isPublishableTopic(topic)).toBe(publishable);
  });
});
