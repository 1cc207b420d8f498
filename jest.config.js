// One Jest run, four kinds of suite, chosen by file suffix (see CONVENTIONS.md):
//   *.unit.spec.ts   pure code, no I/O
//   *.int.spec.ts    real PostgreSQL (embedded) and the development broker over TCP
//   *.e2e.spec.ts    a whole service or the whole pipeline from its public interfaces
//   *.containers.spec.ts  Apache Kafka + PostgreSQL in Docker (testcontainers); skipped without Docker
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [`^${alias.replace('/', '\\/')}$`, `<rootDir>/${target}`]),
);

const transform = { '^.+\\.ts$': ['@swc/jest', require('./tools/swc-options.cjs')] };

const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform,
  moduleNameMapper,
  moduleFileExtensions: ['ts', 'js', 'json'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.data/'],
};

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/**/*.unit.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/**/*.int.spec.ts'],
      slowTestThreshold: 30,
      globalSetup: '<rootDir>/tools/jest/postgres.global-setup.mjs',
      globalTeardown: '<rootDir>/tools/jest/postgres.global-teardown.mjs',
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/**/*.e2e.spec.ts'],
      globalSetup: '<rootDir>/tools/jest/postgres.global-setup.mjs',
      globalTeardown: '<rootDir>/tools/jest/postgres.global-teardown.mjs',
    },
    { ...common, displayName: 'containers', testMatch: ['<rootDir>/**/*.containers.spec.ts'] },
  ],
};
