import { CatalogError } from '@shop/catalog/domain';
import { ProblemException } from '@shop/platform/http';

/** The HTTP edge's reading of domain failures. */
export function toProblem(err: unknown): unknown {
  if (err instanceof CatalogError) {
    return new ProblemException(err.code === 'INVALID_PRODUCT' ? 400 : 409, err.message);
  }
  return err;
}
