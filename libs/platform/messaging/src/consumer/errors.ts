import { ContractViolation } from '@shop/shared/contracts';

/**
 * A failure that retrying cannot fix (a business rule, bad data). The record
 * goes straight to the dead-letter topic.
 */
export class NonRetryableError extends Error {
  override readonly name: string = 'NonRetryableError';
  constructor(
    message: string,
    readonly code = 'NON_RETRYABLE',
  ) {
    super(message);
  }
}

export function isRetryable(err: unknown): boolean {
  if (err instanceof ContractViolation || err instanceof NonRetryableError || err instanceof SyntaxError) return false;
  return (err as { retryable?: boolean })?.retryable !== false;
}
