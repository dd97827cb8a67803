/**
 * The targets every project gets, inferred from what it is (its project.json
 * tags and type) and what it holds, so that each is written once and a new
 * project has them as soon as it exists (`nx show project order` lists them):
 *   build        a library: its TypeScript compiled into dist/ (tools/build/swc-compile.ts); an app: that,
 *                then its own deployable output, dist/deploy/<app> (tools/build/app-package.ts), after the
 *                builds of the libraries it uses
 *   generate     a data-access library: its Prisma client and migration list (tools/prisma-generate.ts)
 *   serve        an app: it alone, in watch mode, on the infrastructure npm start provisions (tools/serve.ts)
 *   test         the project's unit tests (`*.spec.ts`, no I/O), cached
 *   integration  its integration tests (`*.int-spec.ts`, real Postgres and Kafka), never cached
 *   e2e          the end-to-end suites against the compiled apps, never cached
 * `lint` comes from @nx/eslint's plugin, which gives the workspace itself (the root project) none: its `lint`,
 * ESLint over tools/, is made here. The root project holds the tooling and the deployment files; its tests read
 * those files, which belong to no project, so they are never cached.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CreateNodesV2, createNodesFromFiles, TargetConfiguration } from '@nx/devkit';

const JEST = 'node node_modules/jest/bin/jest.js';
/** The tools as tools/run.sh compiled them; every command that runs Nx compiled them first. */
const TOOLS = 'node dist/tools';
/** Where each project's unit test results go (Jest's --json), for npm test to count. */
export const UNIT_RESULTS = 'dist/test-results/unit';

function filesMatching(dir: string, pattern: RegExp, skip = new Set(['node_modules', 'dist', 'generated', '.local'])): boolean {
  if (!fs.existsSync(dir)) return false;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!skip.has(entry.name) && filesMatching(path.join(dir, entry.name), pattern, skip)) return true;
    } else if (pattern.test(entry.name)) return true;
  }
  return false;
}

/** Unit tests need the Prisma clients of the project and of what it uses (a repository's types, a test schema). */
const needsClients = ['generate', '^generate'];

/** What the plugin reads of a project.json. */
interface ProjectFile {
  name: string;
  tags?: string[];
}

function targetsFor(projectRoot: string, project: ProjectFile, workspaceRoot: string): Record<string, TargetConfiguration> {
  const dir = path.join(workspaceRoot, projectRoot);
  const tags = new Set(project.tags ?? []);
  const isRoot = projectRoot === '.';
  // The root project's files are the tooling's: its tests are the workspace's tests under tools/.
  const testRoot = isRoot ? 'tools' : projectRoot;
  // Jest matches this against absolute paths: anchored at the workspace, so a checkout under a folder called
  // tools/ still selects only this project's files.
  const testPaths = `^${path.join(workspaceRoot, testRoot).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/`;
  const targets: Record<string, TargetConfiguration> = {};

  if (fs.existsSync(path.join(dir, 'prisma', 'schema.prisma'))) {
    targets.generate = {
      command: `${TOOLS}/prisma-generate.js ${projectRoot}`,
      cache: true,
      inputs: ['{projectRoot}/prisma/**/*', '{workspaceRoot}/tools/prisma-generate.ts', { externalDependencies: ['prisma', '@prisma/client'] }],
      outputs: ['{projectRoot}/src/generated'],
      metadata: { description: 'Generates the Prisma client and the migration list' },
    };
  }

  if (tags.has('type:app')) {
    targets.build = {
      command: `${TOOLS}/build/build-app.js ${project.name}`,
      cache: true,
      dependsOn: ['^build'],
      inputs: ['production', '^production', 'compiler', '{workspaceRoot}/package-lock.json', '{workspaceRoot}/Dockerfile', '{workspaceRoot}/deploy/docker/**/*'],
      outputs: [`{workspaceRoot}/dist/${projectRoot}`, `{workspaceRoot}/dist/deploy/${project.name}`],
      metadata: { description: 'Compiles the app and writes its deployable output (dist/deploy/<app>: code, package.json, pruned lock, VERSION)' },
    };
    targets.serve = {
      command: `${TOOLS}/serve.js ${project.name}`,
      continuous: true,
      metadata: { description: 'Runs the app alone in watch mode (rebuilt and restarted on a change) on the infrastructure npm start provisions' },
    };
  } else if (!isRoot && !tags.has('type:e2e') && filesMatching(path.join(dir, 'src'), /\.ts$/)) {
    targets.build = {
      command: `${TOOLS}/build/swc-compile.js ${projectRoot}`,
      cache: true,
      // The libraries it uses are built too, so `nx build <app>` builds everything the app's code reaches.
      dependsOn: targets.generate ? ['generate', '^build'] : ['^build'],
      inputs: ['production', 'compiler'],
      outputs: [`{workspaceRoot}/dist/${projectRoot}`],
      metadata: { description: 'Compiles the TypeScript into dist/' },
    };
  }
  if (project.name === 'bench' || project.name === 'chaos') {
    // Run from dist/ by npm run bench and npm run chaos.
    targets.build = {
      command: `${TOOLS}/build/swc-compile.js ${projectRoot}`,
      cache: true,
      dependsOn: ['^build'],
      inputs: ['production', '^production', 'compiler'],
      outputs: [`{workspaceRoot}/dist/${projectRoot}`],
      metadata: { description: 'Compiles the TypeScript into dist/' },
    };
  }

  if (filesMatching(path.join(workspaceRoot, testRoot), /\.spec\.ts$/)) {
    targets.test = {
      // The results as JSON too, kept with the cache, so npm test counts cached runs as well (tools/test.ts).
      command: `mkdir -p ${UNIT_RESULTS} && ${JEST} --selectProjects unit --passWithNoTests --testPathPattern '${testPaths}' --json --outputFile=${UNIT_RESULTS}/${project.name}.json`,
      cache: !isRoot,
      dependsOn: needsClients,
      inputs: ['default', '^production', 'jest'],
      outputs: [`{workspaceRoot}/${UNIT_RESULTS}/${project.name}.json`],
      metadata: { description: 'Runs the unit tests (*.spec.ts)' },
    };
  }
  if (filesMatching(path.join(workspaceRoot, testRoot), /\.int-spec\.ts$/)) {
    targets.integration = {
      command: `${JEST} --selectProjects integration --testPathPattern '${testPaths}'`,
      cache: false,
      dependsOn: [...needsClients, '^build'],
      metadata: { description: 'Runs the integration tests (*.int-spec.ts) against real Postgres and Kafka, provisioned as npm start does' },
    };
  }
  if (isRoot) {
    targets.lint = {
      command: 'eslint tools',
      cache: true,
      inputs: ['{workspaceRoot}/tools/**/*', '{workspaceRoot}/eslint.config.mjs', { externalDependencies: ['eslint'] }],
      metadata: { description: 'Runs ESLint on the tooling (tools/)' },
    };
  }
  if (project.name === 'e2e') {
    targets.e2e = {
      command: `${JEST} --selectProjects e2e`,
      cache: false,
      dependsOn: [{ projects: ['tag:type:app'], target: 'build' }, { projects: ['bench', 'chaos'], target: 'build' }],
      metadata: { description: 'Runs the end-to-end suites against the compiled apps as processes' },
    };
  }
  return targets;
}

export const createNodesV2: CreateNodesV2 = [
  '**/project.json',
  (files, _options, context) =>
    createNodesFromFiles(
      (file) => {
        const projectRoot = path.dirname(file);
        const project = JSON.parse(fs.readFileSync(path.join(context.workspaceRoot, file), 'utf8')) as ProjectFile;
        return { projects: { [projectRoot]: { targets: targetsFor(projectRoot, project, context.workspaceRoot) } } };
      },
      files,
      _options,
      context,
    ),
];
