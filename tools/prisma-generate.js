'use strict';
/**
 * Generates each service's Prisma client. `prisma generate` does not run the
 * native schema engine, but refuses to start without one when it cannot
 * download it (offline machines, CI); pointing PRISMA_SCHEMA_ENGINE_BINARY at
 * any existing file satisfies that check. Where a real engine is installed,
 * its path is kept.
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const schemas = fs
  .readdirSync(path.join(root, 'libs'))
  .map((scope) => path.join(root, 'libs', scope, 'data-access', 'prisma', 'schema.prisma'))
  .filter((file) => fs.existsSync(file));

const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY) env.PRISMA_SCHEMA_ENGINE_BINARY = __filename;

const prisma = path.join(root, 'node_modules', 'prisma', 'build', 'index.js');
for (const schema of schemas) {
  const r = spawnSync(process.execPath, [prisma, 'generate', '--schema', schema], { env, encoding: 'utf8' });
  if (r.status !== 0) {
    process.stderr.write(r.stdout + r.stderr);
    process.stderr.write(`generate: prisma generate failed for ${path.relative(root, schema)}\n`);
    process.exit(1);
  }
  process.stdout.write(`generate: ${path.relative(root, schema)} ok\n`);
}
