import nx from '@nx/eslint-plugin';

/**
 * What each layer may import. `type:test` (libs/test-support, test/*) is for tests only: with
 * `forTests`, the rule as it stands for spec files, testing helpers and the demo seeds, which build
 * request bodies as a test does; production code of an app or lib never imports it. The domain and
 * matching never do, even in their specs (they are pure, and the support library imports the domain).
 */
function moduleBoundaries(forTests) {
  const testing = forTests ? ['type:test'] : [];
  const engine = ['type:domain', 'type:matching', 'type:store', 'type:projections', 'type:ssda903'];
  return {
    enforceBuildableLibDependency: true,
    // Tests and the operator CLI drive the API through its bootstrap, exactly as npm start does.
    allow: ['@placement/api'],
    depConstraints: [
      // docs/architecture.md: the domain imports nothing of ours.
      { sourceTag: 'type:domain', onlyDependOnLibsWithTags: [] },
      { sourceTag: 'type:matching', onlyDependOnLibsWithTags: ['type:domain'] },
      { sourceTag: 'type:ssda903', onlyDependOnLibsWithTags: ['type:domain', ...testing] },
      // The store knows envelopes, not the domain.
      { sourceTag: 'type:store', onlyDependOnLibsWithTags: [...testing] },
      {
        sourceTag: 'type:projections',
        onlyDependOnLibsWithTags: ['type:domain', 'type:store', 'type:ssda903', ...testing],
      },
      // The board's pages: the engine's types, and the port the API implements (never the API app).
      { sourceTag: 'type:web', onlyDependOnLibsWithTags: ['type:domain', 'type:projections', ...testing] },
      // Only apps (and black-box tests) wire adapters and Nest.
      { sourceTag: 'type:app', onlyDependOnLibsWithTags: [...engine, 'type:web', ...testing] },
      { sourceTag: 'type:test', onlyDependOnLibsWithTags: [...engine, 'type:test'] },
    ],
  };
}

/**
 * The only files that may import a library's `/testing` entry point: specs, their testing helpers, the tests'
 * request bodies (libs/test-support), the demo seeds and the benches (they replay the projections' synthetic log).
 */
const testFiles = [
  '**/*.spec.ts',
  'libs/*/src/testing/**/*.ts',
  'libs/test-support/src/**/*.ts',
  'test/bench/src/**/*.ts',
  'apps/placement-api/src/seed/**/*.ts',
  'apps/placement-cli/src/commands/seed*.ts',
];
const testingEntryPoints = {
  group: ['@placement/*/testing'],
  message: "A library's testing entry point (builders, given/when/then) is for specs and testing helpers only.",
};
/** No Nest, no I/O in the domain and matching, their specs included. */
const pureEngine = { group: ['@nestjs/*', 'node:fs', 'fs', 'better-sqlite3', '@eventstore/*'] };

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist', '**/node_modules', '**/tmp', '**/*.js', '**/*.mjs'] },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', moduleBoundaries(false)],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { patterns: [testingEntryPoints] }],
    },
  },
  {
    // No Nest, no I/O, no clock in the domain (docs/architecture.md).
    files: ['libs/domain/**/*.ts', 'libs/matching/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [pureEngine, testingEntryPoints] }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Time arrives in the command; the domain has no clock.',
        },
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'Time arrives in the command; the domain has no clock.',
        },
      ],
    },
  },
  {
    // Tests, testing helpers and the demo seeds may use libs/test-support (see moduleBoundaries).
    files: [
      '**/*.spec.ts',
      'libs/*/src/testing/**/*.ts',
      'apps/placement-api/src/seed/**/*.ts',
      'apps/placement-cli/src/commands/seed*.ts',
    ],
    rules: { '@nx/enforce-module-boundaries': ['error', moduleBoundaries(true)] },
  },
  { files: testFiles, rules: { 'no-restricted-imports': 'off' } },
  {
    files: ['libs/{domain,matching}/**/*.spec.ts', 'libs/{domain,matching}/src/testing/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [pureEngine] }] },
  },
];
