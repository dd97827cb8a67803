import type { FastifyInstance } from 'fastify';
import { problem } from '../problem/problem-details.filter';

/** Where input holds text Postgres cannot store, and why. */
export interface UnstorableText {
  path: string;
  message: string;
}

// A NUL, or half of a surrogate pair: Postgres refuses the first in text and jsonb, the second in jsonb.
// eslint-disable-next-line no-control-regex -- finding that control character is the point
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function why(text: string): string | undefined {
  const found = UNSTORABLE.exec(text);
  if (!found) return undefined;
  return found[0] === '\u0000' ? 'must not contain a NUL character' : 'must not contain an unpaired UTF-16 surrogate';
}

/**
 * Every string (keys included) of a parsed body, query or path that no
 * database of the platform could store. Found at the edge, such input is a
 * 400 that changes nothing; let through, it failed deep in Postgres as a 500.
 */
export function unstorableText(value: unknown, path: string, found: UnstorableText[] = [], depth = 0): UnstorableText[] {
  if (found.length >= 20 || depth > 64) return found;
  if (typeof value === 'string') {
    const message = why(value);
    if (message) found.push({ path, message });
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => unstorableText(item, `${path}.${i}`, found, depth + 1));
  } else if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) {
    // (A Buffer is an image body's bytes, not text: Postgres stores those as they are.)
    for (const [key, item] of Object.entries(value)) {
      const message = why(key);
      const at = `${path}.${message ? JSON.stringify(key) : key}`;
      if (message) found.push({ path: at, message: `a field name ${message}` });
      unstorableText(item, at, found, depth + 1);
    }
  }
  return found;
}

/**
 * Refuses, before any handler (the gateway's proxy or a service's), a request
 * whose path, query or body holds text no database could store: 400
 * problem+json naming each place. Runs once the body is parsed.
 */
export function refuseUnstorableInput(fastify: FastifyInstance): void {
  fastify.addHook('preValidation', (request, reply, done) => {
    const found = [
      ...unstorableText(request.params, 'path'),
      ...unstorableText(request.query, 'query'),
      ...unstorableText(request.body, 'body'),
    ];
    if (found.length === 0) return done();
    void reply
      .code(400)
      .header('content-type', 'application/problem+json')
      .send(
        problem(400, `the request holds text that cannot be stored: ${found.map((f) => `${f.path}: ${f.message}`).join('; ')}`, {
          instance: request.url,
          errors: found,
        }),
      );
  });
}
