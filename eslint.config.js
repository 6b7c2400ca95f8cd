import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// Top-level folders and what each may import (../shared/style.md, "Direction of dependencies").
const climbOut = (patterns) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: patterns.map((group) => ({
        group,
        message: 'Import across top-level folders only through the package.json "#" aliases allowed for this folder.',
      })),
    },
  ],
});

export default tseslint.config(
  { ignores: ['node_modules/**', '.lab/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // Lines stay within 120 columns; string and template literals stay whole so a message can be grepped.
      'max-len': [
        'error',
        { code: 120, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'Time flows from the lab clock.' },
        { name: 'setInterval', message: 'Time flows from the lab clock.' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Time flows from the lab clock: use clock.now().' },
      ],
    },
  },
  { files: ['cloud-mock/protocol/**/*.ts'], rules: climbOut([['../../*', '#cloud', '#devices', '#lab/*']]) },
  {
    files: ['cloud-mock/**/*.ts'],
    ignores: ['cloud-mock/protocol/**'],
    rules: climbOut([['../../*', '../../../*', '#devices', '#lab/*']]),
  },
  { files: ['devices/**/*.ts'], rules: climbOut([['../../*', '../../../*', '#cloud', '#lab/*']]) },
  { files: ['lab/**/*.ts'], rules: climbOut([['../../*', '../../../*']]) },
  // The clock is the one place allowed to touch real timers; tests and benches measure wall time.
  {
    files: ['lab/clock/**/*.ts', '**/*.test.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-restricted-globals': 'off', 'no-restricted-properties': 'off' },
  },
  // Tests read arbitrary JSON answers.
  { files: ['**/*.test.ts', 'test/**/*.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
);
