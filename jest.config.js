/**
 * `unit` (beside the code, no I/O), `integration` and `e2e` (real Postgres and
 * Kafka, provisioned once by the global setup), and `compose` (the compose
 * file on a Docker engine).
 */
const fs = require('node:fs');
const swcrc = JSON.parse(fs.readFileSync(`${__dirname}/.swcrc`, 'utf8'));

const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: {
    // Same compiler settings as the build, with aliases resolved by Jest itself.
    '^.+\\.ts$': ['@swc/jest', { ...swcrc, jsc: { ...swcrc.jsc, baseUrl: __dirname, paths: undefined }, swcrc: false }],
  },
  moduleNameMapper: { '^@shop/chaos$': '<rootDir>/chaos/src', '^@shop/(.*)$': '<rootDir>/libs/$1/src' },
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.local/'],
  moduleFileExtensions: ['ts', 'js', 'json'],
};

module.exports = {
  testTimeout: 120_000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,tools,bench,chaos}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs,tools}/**/*.int-spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/jest/global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/jest/global-teardown.ts',
    },
    {
      // The compiled apps as real processes, talking over HTTP and Kafka.
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/e2e/**/*.e2e-spec.ts'],
      testPathIgnorePatterns: ['<rootDir>/e2e/compose/'],
      globalSetup: '<rootDir>/libs/testing/src/jest/global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/jest/global-teardown.ts',
    },
    {
      // docker-compose.yml on a Docker engine: the images built from this repository. A project of its own:
      // it needs an engine rather than Postgres and Kafka, and `npm test` runs it after the others.
      ...common,
      displayName: 'compose',
      testMatch: ['<rootDir>/e2e/compose/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/jest/compose-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/jest/compose-teardown.ts',
    },
  ],
};
