import { logLevel } from 'kafkajs';
import { kafkaLogLevel } from './kafka-client';

describe('kafkaLogLevel', () => {
  it('logs at debug what kafkajs also hands on to its caller (a broker settling, two services creating a topic)', () => {
    for (const message of [
      'Response Metadata(key: 3, version: 6)',
      'Response GroupCoordinator(key: 10, version: 2)',
      'Response CreateTopics(key: 19, version: 3)',
      'Crash: KafkaJSProtocolError: The coordinator is loading and hence can\'t process requests for this group',
      'Could not create topics',
      'The group is rebalancing, re-joining',
    ]) {
      expect({ message, level: kafkaLogLevel(logLevel.ERROR, message) }).toEqual({ message, level: 'debug' });
    }
  });

  it('keeps what nobody else reports at its level: a real failure still stands out', () => {
    expect(kafkaLogLevel(logLevel.ERROR, 'Connection error: connect ECONNREFUSED 127.0.0.1:9092')).toBe('error');
    expect(kafkaLogLevel(logLevel.ERROR, 'Offset out of range, resetting to default offset')).toBe('error');
    expect(kafkaLogLevel(logLevel.WARN, 'Consumer group received unsubscribed topics')).toBe('warn');
  });
});
