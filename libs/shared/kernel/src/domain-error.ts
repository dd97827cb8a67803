/**
 * What kind of refusal a domain error is. The domain says what went wrong;
 * each edge decides once what that means there: the HTTP filter a status
 * (problem+json), the event consumer a dead letter (retrying cannot fix it).
 */
export type DomainErrorKind =
  /** The input breaks a rule of its own (a negative quantity). */
  | 'invalid'
  /** Well-formed, but it cannot be processed as it stands (an unknown product). */
  | 'unprocessable'
  /** The caller may not do this to this thing. */
  | 'forbidden'
  /** No such thing, or none the caller may see. */
  | 'not-found'
  /** It contradicts the thing's current state (cancel a delivered order). */
  | 'conflict';

export interface FieldProblem {
  path: string;
  message: string;
}

/**
 * The expected failures of every domain: a stable code, a kind, and a message
 * worded for the person who caused it. Use cases throw them; only the edges
 * translate them.
 */
export abstract class DomainError<C extends string = string> extends Error {
  abstract readonly kind: DomainErrorKind;

  constructor(
    readonly code: C,
    message: string,
    /** Which fields were wrong, when the error is about input. */
    readonly errors?: FieldProblem[],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export function isDomainError(err: unknown): err is DomainError {
  return err instanceof DomainError;
}
