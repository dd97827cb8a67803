import { z } from 'zod';
import { ConfigError, loadConfig } from './load-config';
import { kafkaBrokersVar, portVar, postgresUrlVar } from './common-env';

const schema = z.object({
  PORT: portVar(3001),
  DATABASE_URL: postgresUrlVar,
  KAFKA_BROKERS: kafkaBrokersVar,
});

describe('loadConfig', () => {
  it('parses and applies defaults', () => {
    const cfg = loadConfig(schema, { DATABASE_URL: 'postgresql://a@h/db', KAFKA_BROKERS: 'h1:9092, h2:9092' });
    expect(cfg).toEqual({ PORT: 3001, DATABASE_URL: 'postgresql://a@h/db', KAFKA_BROKERS: ['h1:9092', 'h2:9092'] });
  });

  it('names every missing and bad variable on one line', () => {
    let error: unknown;
    try {
      loadConfig(schema, { PORT: '70000', KAFKA_BROKERS: 'nohost' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    expect(message).toContain('PORT="70000"');
    expect(message).toContain('DATABASE_URL is not set');
    expect(message).toContain('KAFKA_BROKERS="nohost": must be host:port[,host:port]');
  });

  it('refuses a URL that is not postgres', () => {
    expect(() => loadConfig(schema, { DATABASE_URL: 'mysql://x', KAFKA_BROKERS: 'a:1' })).toThrow(
      'DATABASE_URL="mysql://x": must be a postgresql:// URL',
    );
  });
});
