import type { MqttClient } from 'mqtt';
import { isPublishableTopic, publisherFor } from '../../src/bridge/mqtt-link';
import { captureLog } from '../support/log-capture';

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

describe('the publisher', () => {
  function client() {
    const published: string[] = [];
    const fake = {
      connected: true,
      on: () => fake,
      publish: (topic: string) => published.push(topic),
    };
    return { fake: fake as unknown as MqttClient, published };
  }

  it('logs every publish at debug level, and none at info', () => {
    for (const [level, lines] of [
      ['debug', ['published a/b']],
      ['info', []],
    ] as const) {
      const { fake, published } = client();
      const log = captureLog(level);
      publisherFor(fake, log.logger).publish('a/b', '{}', { qos: 0, retain: true });
      expect(published).toEqual(['a/b']);
      expect(log.messages()).toEqual(lines);
    }
  });

  it('refuses an illegal topic with one error per topic', () => {
    const { fake, published } = client();
    const log = captureLog('info');
    const publisher = publisherFor(fake, log.logger);
    publisher.publish('a/#', 'x', { qos: 0, retain: false });
    publisher.publish('a/#', 'x', { qos: 0, retain: false });
    expect(published).toEqual([]);
    expect(log.messages()).toEqual(['refused to publish to an illegal topic']);
  });
});
