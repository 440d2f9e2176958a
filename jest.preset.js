// Shared jest settings for every project: ts-jest transpiles only (types are checked
// by each project's `typecheck` target), and @placement/* aliases resolve to source.
const path = require('node:path');
const root = __dirname;
const libs = ['domain', 'matching', 'event-store', 'projections', 'ssda903', 'web', 'test-support'];
const moduleNameMapper = {
  '^@placement/domain/testing$': path.join(root, 'libs/domain/src/testing/index.ts'),
  '^@placement/event-store/testing$': path.join(root, 'libs/event-store/src/testing/index.ts'),
  '^@placement/projections/testing$': path.join(root, 'libs/projections/src/testing/index.ts'),
  '^@placement/api$': path.join(root, 'apps/placement-api/src/testing.ts'),
};
for (const lib of libs) moduleNameMapper[`^@placement/${lib}$`] = path.join(root, `libs/${lib}/src/index.ts`);

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(root, 'tsconfig.jest.json') }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
  testMatch: ['**/*.spec.ts'],
  // Tests never fail on a stopwatch: jest's 5 s default would fail a slow run on a busy machine.
  // Two minutes means hung; a test that needs longer says so itself.
  testTimeout: 120_000,
};
