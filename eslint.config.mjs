import nx from '@nx/eslint-plugin';

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist', '**/node_modules', '**/tmp', '**/*.js', '**/*.mjs'] },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          // Tests and the operator CLI drive the API through its bootstrap, exactly as npm start does.
          allow: ['@placement/api'],
          depConstraints: [
            // docs/architecture.md: the domain imports nothing of ours.
            { sourceTag: 'type:domain', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'type:matching', onlyDependOnLibsWithTags: ['type:domain'] },
            { sourceTag: 'type:ssda903', onlyDependOnLibsWithTags: ['type:domain'] },
            // The store knows envelopes, not the domain.
            { sourceTag: 'type:store', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'type:projections', onlyDependOnLibsWithTags: ['type:domain', 'type:store', 'type:ssda903'] },
            // The board's pages: the engine's types, and the port the API implements (never the API app).
            { sourceTag: 'type:web', onlyDependOnLibsWithTags: ['type:domain', 'type:projections'] },
            // Only apps (and black-box tests) wire adapters and Nest.
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: [
                'type:domain',
                'type:matching',
                'type:store',
                'type:projections',
                'type:ssda903',
                'type:web',
              ],
            },
            {
              sourceTag: 'type:test',
              onlyDependOnLibsWithTags: [
                'type:domain',
                'type:matching',
                'type:store',
                'type:projections',
                'type:ssda903',
              ],
            },
          ],
        },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // No Nest, no I/O, no clock in the domain (docs/architecture.md).
    files: ['libs/domain/**/*.ts', 'libs/matching/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['@nestjs/*', 'node:fs', 'fs', 'better-sqlite3', '@eventstore/*'] },
      ],
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
];
