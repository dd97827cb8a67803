import { z } from 'zod';

/**
 * The compatibility check behind the event contract test (docs/messaging.md, "Changing an event"). Each
 * (type, version) has a recorded file under `recorded/`: payloads of that version as producers have sent them,
 * and the JSON Schema of its data when it was recorded. A schema may change only so that every consumer of its
 * version keeps working: it must still accept every recorded payload, keep every field, keep every required
 * field required, keep each field's type, format and values, and not tighten a bound. Anything else is a new
 * version (NewerEventVersions), published beside the old one during its window.
 */
export interface RecordedContract {
  type: string;
  version: number;
  /** The data's JSON Schema as recorded (z.toJSONSchema). */
  schema?: JsonSchema;
  examples: unknown[];
}

export interface VersionedSchema {
  type: string;
  version: number;
  data: z.ZodType;
}

export type JsonSchema = { [key: string]: unknown };

export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

const key = (c: { type: string; version: number }) => `${c.type} v${c.version}`;

/** Every way the current schemas break a recorded contract; empty when none does. */
export function contractProblems(current: VersionedSchema[], recorded: RecordedContract[]): string[] {
  const problems: string[] = [];
  const byKey = new Map(current.map((c) => [key(c), c]));
  for (const c of current) {
    if (!recorded.some((r) => key(r) === key(c))) problems.push(`${key(c)}: no recorded examples (add recorded/${c.type}.v${c.version}.json)`);
  }
  for (const r of recorded) {
    const now = byKey.get(key(r));
    if (!now) {
      problems.push(`${key(r)}: no longer defined, but consumers of it may still run (end its window first, docs/messaging.md)`);
      continue;
    }
    if (r.examples.length === 0) problems.push(`${key(r)}: records no example`);
    r.examples.forEach((example, i) => {
      const parsed = now.data.safeParse(example);
      if (!parsed.success) {
        const why = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
        problems.push(`${key(r)}: rejects recorded example ${i} (${why})`);
      }
    });
    if (r.schema) compareSchemas(r.schema, jsonSchemaOf(now.data), key(r), problems);
  }
  return problems;
}

const SAME = ['type', 'format', 'const', 'pattern', 'enum'] as const;
const LOWER_BOUNDS = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems'] as const;
const UPPER_BOUNDS = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems'] as const;

function compareSchemas(before: JsonSchema, after: JsonSchema, at: string, problems: string[]): void {
  for (const name of SAME) {
    if (JSON.stringify(before[name]) !== JSON.stringify(after[name])) {
      problems.push(`${at}: ${name} changed from ${JSON.stringify(before[name])} to ${JSON.stringify(after[name])}`);
    }
  }
  for (const name of LOWER_BOUNDS) {
    const [b, a] = [before[name], after[name]] as Array<number | undefined>;
    if (a !== undefined && (b === undefined || a > b)) problems.push(`${at}: ${name} tightened from ${b ?? 'none'} to ${a}`);
  }
  for (const name of UPPER_BOUNDS) {
    const [b, a] = [before[name], after[name]] as Array<number | undefined>;
    if (a !== undefined && (b === undefined || a < b)) problems.push(`${at}: ${name} tightened from ${b ?? 'none'} to ${a}`);
  }
  const beforeProps = (before['properties'] ?? {}) as Record<string, JsonSchema>;
  const afterProps = (after['properties'] ?? {}) as Record<string, JsonSchema>;
  const beforeRequired = new Set((before['required'] ?? []) as string[]);
  const afterRequired = new Set((after['required'] ?? []) as string[]);
  for (const [name, schema] of Object.entries(beforeProps)) {
    const next = afterProps[name];
    if (!next) {
      problems.push(`${at}: field ${name} removed`);
      continue;
    }
    if (beforeRequired.has(name) && !afterRequired.has(name)) problems.push(`${at}: field ${name} no longer required (consumers read it)`);
    compareSchemas(schema, next, `${at}.${name}`, problems);
  }
  for (const name of afterRequired) {
    if (!beforeRequired.has(name)) problems.push(`${at}: new required field ${name} (payloads of this version lack it)`);
  }
  if (before['items'] || after['items']) {
    if (!before['items'] || !after['items']) problems.push(`${at}: items changed`);
    else compareSchemas(before['items'] as JsonSchema, after['items'] as JsonSchema, `${at}[]`, problems);
  }
  const [beforeAny, afterAny] = [before['anyOf'], after['anyOf']] as Array<JsonSchema[] | undefined>;
  if (beforeAny || afterAny) {
    if (!beforeAny || !afterAny || beforeAny.length !== afterAny.length) problems.push(`${at}: its alternatives (anyOf) changed`);
    else beforeAny.forEach((b, i) => compareSchemas(b, afterAny[i] as JsonSchema, `${at}|${i}`, problems));
  }
}
