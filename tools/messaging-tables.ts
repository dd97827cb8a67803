/**
 * The outbox, inbox and dead-letter-replay tables are defined once, in
 * libs/platform/messaging (migrations/ and prisma/messaging.prisma). This puts
 * them into every service: each platform migration is copied into the
 * service's prisma/migrations (never over an existing one: an applied
 * migration must not change), and the models replace the marked block of its
 * schema.prisma. `--check` changes nothing and lists what differs (a unit test
 * runs it). Run it after adding a service or a platform migration.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { root } from './lib/workspace';

const platform = path.join(root, 'libs', 'platform', 'messaging');
const BEGIN = '// messaging-tables:begin';
const END = '// messaging-tables:end';
const MODELS = ['Outbox', 'Inbox', 'DeadLetterReplay'];

function services(): string[] {
  return fs
    .readdirSync(path.join(root, 'libs'))
    .filter((scope) => fs.existsSync(path.join(root, 'libs', scope, 'data-access', 'prisma', 'schema.prisma')))
    .sort();
}

function platformMigrations() {
  const dir = path.join(platform, 'migrations');
  return fs
    .readdirSync(dir)
    .sort()
    .map((name) => ({ name, sql: fs.readFileSync(path.join(dir, name, 'migration.sql'), 'utf8') }));
}

/** The schema with the messaging block put in place (an older schema's hand-written models are replaced). */
function withModels(schema: string, block: string): string {
  const start = schema.indexOf(BEGIN);
  if (start >= 0) {
    const end = schema.indexOf(END, start);
    return `${schema.slice(0, start)}${block.trimEnd()}${schema.slice(end + END.length)}`;
  }
  let rest = schema;
  for (const model of MODELS) {
    // The model and the /// comment lines right above it.
    rest = rest.replace(new RegExp(`(?:^///.*\\n)*^model ${model} \\{[\\s\\S]*?^\\}\\n?`, 'm'), '');
  }
  return `${rest.trimEnd()}\n\n${block.trimEnd()}\n`;
}

/** What differs between the platform's definition and each service's copy; with `write`, fixes what it may. */
function sync({ write }: { write: boolean }): string[] {
  const problems: string[] = [];
  const block = fs.readFileSync(path.join(platform, 'prisma', 'messaging.prisma'), 'utf8');
  for (const service of services()) {
    const prismaDir = path.join(root, 'libs', service, 'data-access', 'prisma');
    for (const migration of platformMigrations()) {
      const file = path.join(prismaDir, 'migrations', migration.name, 'migration.sql');
      if (!fs.existsSync(file)) {
        if (write) {
          fs.mkdirSync(path.dirname(file), { recursive: true });
          fs.writeFileSync(file, migration.sql);
        } else problems.push(`${service}: migration ${migration.name} is missing`);
      } else if (fs.readFileSync(file, 'utf8') !== migration.sql) {
        problems.push(`${service}: migration ${migration.name} differs from the platform's (an applied migration cannot change: add a new one)`);
      }
    }
    const schemaFile = path.join(prismaDir, 'schema.prisma');
    const schema = fs.readFileSync(schemaFile, 'utf8');
    const wanted = withModels(schema, block);
    if (wanted !== schema) {
      if (write) fs.writeFileSync(schemaFile, wanted);
      else problems.push(`${service}: the messaging models in schema.prisma differ from libs/platform/messaging/prisma/messaging.prisma`);
    }
  }
  return problems;
}

export { sync, services };

if (require.main === module) {
  const check = process.argv.includes('--check');
  const problems = sync({ write: !check });
  for (const p of problems) process.stderr.write(`messaging-tables: ${p}\n`);
  if (problems.length) process.exit(1);
  process.stdout.write(`messaging-tables: ${services().length} services ${check ? 'agree with' : 'now carry'} the platform's tables\n`);
}
