import { PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { ProblemException } from '../problem/problem-details.filter';

/** Issues as the contract's `errors: [{ path, message }]`. */
export function toProblemErrors(error: z.ZodError): Array<{ path: string; message: string }> {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.') || '(body)';
    if (issue.code === 'unrecognized_keys') return { path, message: `unknown field(s): ${issue.keys.join(', ')}` };
    return { path, message: issue.message };
  });
}

/**
 * Validates a body or query against a contract schema; bad input is a 400
 * problem that names every field at fault, and nothing reaches the handler.
 */
export class ZodValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, z.infer<S>> {
  constructor(
    private readonly schema: S,
    private readonly what = 'request body',
  ) {}

  transform(value: unknown): z.infer<S> {
    const result = this.schema.safeParse(value ?? {});
    if (result.success) return result.data;
    const errors = toProblemErrors(result.error);
    throw new ProblemException(400, `the ${this.what} is invalid: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, {
      errors,
    });
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A path id that is not a UUID names nothing that exists: 404, not a database error. */
export class UuidParamPipe implements PipeTransform<string, string> {
  constructor(private readonly what = 'resource') {}

  transform(value: string): string {
    if (!UUID.test(value)) throw new ProblemException(404, `no ${this.what} with id ${value.slice(0, 64)}`);
    return value.toLowerCase();
  }
}
