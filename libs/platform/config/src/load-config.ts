import { z } from 'zod';

/** A configuration problem, worded as the one line an operator needs to fix it. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Variables whose values never appear in an error line: that line ends up in logs. */
const SECRET_NAME = /SECRET|PASSWORD|PRIVATE_KEY/;

/**
 * Parses environment variables against a schema. Every problem is reported,
 * joined on one line, so a bad deployment says at once all it is missing.
 */
export function loadConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(environment)';
    const value = issue.path.length ? env[String(issue.path[0])] : undefined;
    if (value === undefined) return `${name} is not set`;
    return SECRET_NAME.test(name) ? `${name}: ${issue.message}` : `${name}=${JSON.stringify(value)}: ${issue.message}`;
  });
  throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
}

/**
 * Ends the process with one clear line instead of a stack trace. Used by every
 * app's main.ts for failures an operator fixes outside the code (bad config,
 * unreachable database, port in use).
 */
export function exitWithMessage(app: string, err: unknown): never {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`${app}: ${message.split('\n')[0]}\n`);
  process.exit(1);
}
