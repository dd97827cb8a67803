/**
 * Errors that say a dependency cannot serve right now, not that the request
 * was wrong or the code is: the database unreachable or shutting down, out of
 * connections, a statement or lock wait cut short by its timeout, a deadlock
 * broken by the server. Answered 503 with Retry-After, which is what the
 * gateway's breaker counts; a 500 stays a bug in one request's handling.
 */
const SERVER_CODES = new Set([
  '53300', // too_many_connections
  '53400', // configuration_limit_exceeded
  '57014', // query_canceled (statement_timeout)
  '55P03', // lock_not_available (lock_timeout)
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, in recovery)
  '40001', // serialization_failure
  '40P01', // deadlock_detected
]);

const CLIENT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EPIPE', 'EAI_AGAIN']);

const CLIENT_MESSAGES = /connection terminated|timeout exceeded when trying to connect|connection timeout|client has encountered a connection error|query read timeout/i;

export function isUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown; cause?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  const code = typeof e.code === 'string' ? e.code : '';
  if (SERVER_CODES.has(code) || code.startsWith('08') || CLIENT_CODES.has(code)) return true;
  if (typeof e.message === 'string' && CLIENT_MESSAGES.test(e.message)) return true;
  return e.cause !== undefined && e.cause !== err && isUnavailable(e.cause);
}
