import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

/**
 * The architecture's dependency arrows, enforced: core <- directory-provider <- provider-*;
 * core <- sync-engine, bitwarden-api, state, secure-storage; all <- connector <- ui <- apps.
 */
const depConstraints = [
  { sourceTag: 'type:core', onlyDependOnLibsWithTags: ['type:core'] },
  { sourceTag: 'type:provider-contract', onlyDependOnLibsWithTags: ['type:core'] },
  { sourceTag: 'type:provider', onlyDependOnLibsWithTags: ['type:core', 'type:provider-contract'] },
  { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:core'] },
  // The engine applies the shared filter language, so it may see the provider contract, never a provider.
  { sourceTag: 'type:engine', onlyDependOnLibsWithTags: ['type:core', 'type:provider-contract'] },
  {
    sourceTag: 'type:composition',
    onlyDependOnLibsWithTags: ['type:core', 'type:provider-contract', 'type:provider', 'type:service', 'type:engine'],
  },
  // The UI (renderer, bridge backend, browser-mode server) sits on the facade, below both apps.
  { sourceTag: 'type:ui', onlyDependOnLibsWithTags: ['type:composition', 'type:core', 'type:provider-contract'] },
  {
    sourceTag: 'type:app',
    onlyDependOnLibsWithTags: ['type:ui', 'type:composition', 'type:core', 'type:provider-contract'],
  },
  {
    sourceTag: 'type:tool',
    onlyDependOnLibsWithTags: [
      'type:core',
      'type:provider-contract',
      'type:provider',
      'type:service',
      'type:engine',
      'type:composition',
      'type:tool',
    ],
  },
];

// Tests may also use the emulators and test servers under tools/, which production code never may.
const testDepConstraints = depConstraints.map((c) => ({
  ...c,
  onlyDependOnLibsWithTags: [...new Set([...c.onlyDependOnLibsWithTags, 'type:tool'])],
}));

export default [
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.nx/**', '**/coverage/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': ['error', { allow: [], depConstraints, enforceBuildableLibDependency: false }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.spec.tsx', '**/test/**/*.ts', '**/__fixtures__/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { allow: [], depConstraints: testDepConstraints, enforceBuildableLibDependency: false },
      ],
    },
  },
  prettier,
];
