import { ContractViolation } from '@shop/shared/contracts';
import { isDomainError } from '@shop/shared/kernel';

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

/** A broken rule breaks the same way on every retry: domain errors and contract violations go to the dead-letter topic at once. */
export function isRetryable(err: unknown): boolean {
  if (err instanceof ContractViolation || err instanceof NonRetryableError || err instanceof SyntaxError || isDomainError(err)) return false;
  return (err as { retryable?: boolean })?.retryable !== false;
}
