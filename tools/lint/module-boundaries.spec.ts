import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * The boundaries in eslint.config.mjs must bite: lint deliberate violations
 * as if they were files of real projects and expect the rule to refuse them.
 */
const root = join(__dirname, '..', '..');

// ESLint runs in its own process: its flat config is an ES module, which Jest's VM cannot load.
async function lint(file: string, code: string): Promise<string[]> {
  const bin = join(root, 'node_modules', 'eslint', 'bin', 'eslint.js');
  const run = spawnSync(process.execPath, [bin, '--stdin', '--stdin-filename', join(root, file), '--format', 'json'], {
    cwd: root,
    input: code,
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false' },
  });
  if (!run.stdout) throw new Error(`eslint did not run: ${run.stderr}`);
  const [result] = JSON.parse(run.stdout) as Array<{ messages: Array<{ severity: number; ruleId: string; message: string }> }>;
  return result.messages.filter((m) => m.severity === 2).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('module boundaries', () => {
  jest.setTimeout(60_000);

  beforeAll(() => {
    // The rule reads Nx's cached project graph; any nx command brings it up to date.
    const nx = spawnSync(process.execPath, [join(root, 'node_modules', 'nx', 'dist', 'bin', 'nx.js'), 'show', 'projects'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NX_DAEMON: 'false' },
    });
    expect(nx.stdout).toContain('catalog-domain');
  });

  it('refuses a platform library that reaches into a service', async () => {
    const errors = await lint(
      'libs/platform/messaging/src/violation.ts',
      "import { ProductEntity } from '@shop/catalog/domain';\nexport const x = ProductEntity;\n",
    );
    expect(errors.join('\n')).toMatch(/@nx\/enforce-module-boundaries: A project tagged with "scope:platform" can only depend on libs tagged with "scope:shared", "scope:platform"/);
  });

  it('refuses production code that imports the test helpers', async () => {
    const errors = await lint('apps/catalog/src/violation.ts', "import { useKafka } from '@shop/testing';\nexport const x = useKafka;\n");
    expect(errors.join('\n')).toContain('test helpers are for tests only');
  });

  it('refuses a domain library that imports a framework, an ORM or a broker client', async () => {
    for (const banned of ['@nestjs/common', '@prisma/client', 'kafkajs']) {
      const errors = await lint('libs/catalog/domain/src/violation.ts', `import * as banned from '${banned}';\nexport const x = banned;\n`);
      expect(errors.join('\n')).toMatch(new RegExp(`enforce-module-boundaries: .*${banned.replace('/', '\\/')}`));
    }
  });

  it('keeps the storefront to shared contracts: no platform library, no server framework', async () => {
    const platform = await lint('apps/storefront/src/web/violation.tsx', "import { problem } from '@shop/platform/http';\nexport const x = problem;\n");
    expect(platform.join('\n')).toMatch(/A project tagged with "scope:storefront" can only depend on libs tagged with "scope:storefront", "scope:shared"/);
    const nest = await lint('apps/storefront/src/web/violation.tsx', "import { Injectable } from '@nestjs/common';\nexport const x = Injectable;\n");
    expect(nest.join('\n')).toMatch(/enforce-module-boundaries: .*@nestjs\/common/);
  });

  it('refuses the chaos harness reaching into a service, and production code importing it', async () => {
    const intoService = await lint('chaos/src/violation.ts', "import { OrderEntity } from '@shop/order/domain';\nexport const x = OrderEntity;\n");
    expect(intoService.join('\n')).toMatch(/@nx\/enforce-module-boundaries: A project tagged with "scope:shared" can only depend on libs tagged with "scope:shared", "scope:platform"/);
    const fromApp = await lint('apps/order/src/violation.ts', "import { ChaosRun } from '@shop/chaos';\nexport const x = ChaosRun;\n");
    expect(fromApp.join('\n')).toContain('test helpers are for tests only');
  });

  it('lets the end-to-end suites use the chaos harness', async () => {
    expect(await lint('e2e/chaos/fine.ts', "import { ChaosRun } from '@shop/chaos';\nexport const x = ChaosRun;\n")).toEqual([]);
  });

  it('accepts the same imports where they belong', async () => {
    expect(await lint('apps/catalog/src/fine.ts', "import { CatalogPrismaService } from '@shop/catalog/data-access';\nexport const x = CatalogPrismaService;\n")).toEqual([]);
  });
});
