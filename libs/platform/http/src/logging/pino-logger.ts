import type { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';

/** JSON logs on stdout, one line per event, with the app's name on every line. */
export function createLogger(app: string, level = process.env.LOG_LEVEL || 'info'): Logger {
  return pino({ name: app, level, base: { app }, timestamp: pino.stdTimeFunctions.isoTime });
}

/** Nest's logger interface over pino, so framework and app logs share one format. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }

  private write(level: 'info' | 'error' | 'warn' | 'debug' | 'trace', message: unknown, rest: unknown[]): void {
    // Nest passes the context (class name) as the last string argument.
    const context = typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    if (message !== null && typeof message === 'object') {
      const text = typeof rest[0] === 'string' ? (rest.shift() as string) : undefined;
      this.logger[level]({ context, ...(message as object) }, text);
    } else {
      const err = rest.find((r) => typeof r === 'string' && r.includes('\n    at '));
      this.logger[level]({ context, ...(err ? { stack: err } : {}) }, String(message));
    }
  }
}

/**
 * Process warnings go to the app's JSON log instead of raw text on stderr,
 * where the one line an operator reads at a failed start belongs to the
 * failure. kafkajs 2.2.4 schedules a timer with a negative delay on its first
 * connection (tulios/kafkajs#1751); Node 23 and later warn about it and treat
 * it as 1 ms, which is what kafkajs meant, so that one is dropped.
 */
export function logProcessWarnings(logger: Logger): void {
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    if (warning.name === 'TimeoutNegativeWarning') return;
    logger.warn({ warning: warning.name }, warning.message);
  });
}
