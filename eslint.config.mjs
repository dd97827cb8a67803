import nx from '@nx/eslint-plugin';

/**
 * Module boundaries are enforced, not just tagged:
 * a service scope may use only itself, shared and platform; domain code
 * may not import a framework, an ORM or a broker client.
 */
export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist', '**/node_modules', '**/generated', '.local/**', '**/*.js', '**/*.cjs', '**/*.mjs'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared', 'scope:platform'] },
            { sourceTag: 'scope:platform', onlyDependOnLibsWithTags: ['scope:shared', 'scope:platform'] },
            { sourceTag: 'scope:catalog', onlyDependOnLibsWithTags: ['scope:catalog', 'scope:shared', 'scope:platform'] },
            { sourceTag: 'scope:order', onlyDependOnLibsWithTags: ['scope:order', 'scope:shared', 'scope:platform'] },
            { sourceTag: 'scope:payment', onlyDependOnLibsWithTags: ['scope:payment', 'scope:shared', 'scope:platform'] },
            { sourceTag: 'scope:delivery', onlyDependOnLibsWithTags: ['scope:delivery', 'scope:shared', 'scope:platform'] },
            { sourceTag: 'scope:review', onlyDependOnLibsWithTags: ['scope:review', 'scope:shared', 'scope:platform'] },
            { sourceTag: 'scope:gateway', onlyDependOnLibsWithTags: ['scope:gateway', 'scope:shared', 'scope:platform'] },
            // The storefront talks to the gateway over HTTP only; nothing server-side may reach its browser bundle.
            {
              sourceTag: 'scope:storefront',
              onlyDependOnLibsWithTags: ['scope:storefront', 'scope:shared'],
              bannedExternalImports: ['@nestjs/*', '@prisma/*', 'kafkajs', 'pg', 'fastify'],
            },
            // End-to-end tests reach the services only over HTTP and Kafka, like any client.
            { sourceTag: 'scope:e2e', onlyDependOnLibsWithTags: ['scope:shared', 'scope:platform'] },
            { sourceTag: 'type:kernel', onlyDependOnLibsWithTags: [], bannedExternalImports: ['@nestjs/*', '@prisma/*', 'kafkajs', 'pg', 'fastify'] },
            {
              sourceTag: 'type:domain',
              onlyDependOnLibsWithTags: ['type:domain', 'type:contracts', 'type:kernel'],
              bannedExternalImports: ['@nestjs/*', '@prisma/*', 'kafkajs', 'pg', 'fastify'],
            },
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'], bannedExternalImports: ['@nestjs/*', '@prisma/*', 'kafkajs', 'pg'] },
            { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:domain', 'type:contracts', 'type:kernel', 'type:platform', 'type:testing'] },
            { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:platform', 'type:contracts', 'type:kernel', 'type:testing'] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:platform', 'type:contracts', 'type:testing'] },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:testing', 'type:contracts', 'type:platform'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:domain', 'type:data-access', 'type:contracts', 'type:kernel', 'type:platform', 'type:testing'] },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests may reach the testing helpers (allowed by the tags above); production code may not.
    files: ['**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', '**/test/**', 'libs/testing/**', 'e2e/**', 'bench/**', 'chaos/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@shop/testing', '@shop/chaos'], message: 'test helpers are for tests only' }] }],
    },
  },
];
