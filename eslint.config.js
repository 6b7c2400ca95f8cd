import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Top-level folders and the "#" aliases each may import (../shared/style.md, "Direction of dependencies").
// A relative import must stay inside its own folder: everything across goes through an alias and its index.
const AREAS = [
  { dir: 'cloud-mock/protocol', aliases: [] },
  { dir: 'cloud-mock', aliases: ['#protocol'] },
  { dir: 'devices', aliases: ['#protocol'] },
  { dir: 'lab', aliases: ['#protocol', '#cloud', '#devices'] },
  { dir: 'scenarios', aliases: ['#lab'] },
  { dir: 'test', aliases: ['#protocol', '#cloud', '#devices', '#lab'] },
  { dir: 'bench', aliases: ['#protocol', '#cloud', '#devices', '#lab'] },
];
// Unit tests beside their code may also drive the lab (its clock) and share fixtures from test/support.
const TEST_ALIASES = ['#lab', '#test-support'];
const ROOT = path.dirname(fileURLToPath(import.meta.url));
const areaOf = (file) => {
  const rel = path.relative(ROOT, file).split(path.sep).join('/');
  return AREAS.find((a) => rel === a.dir || rel.startsWith(`${a.dir}/`));
};
const isTestFile = (file) => /\.test(-support)?\.ts$/.test(file);

const boundaries = {
  meta: { type: 'problem', schema: [] },
  create(context) {
    const file = context.filename;
    const area = areaOf(file);
    if (area === undefined) return {};
    const aliases = isTestFile(file) ? [...new Set([...area.aliases, ...TEST_ALIASES])] : area.aliases;
    const check = (node) => {
      const source = node.source;
      if (!source || source.type !== 'Literal' || typeof source.value !== 'string') return;
      const spec = source.value;
      if (spec.startsWith('#')) {
        const alias = spec.split('/')[0];
        const deep = spec !== alias && alias !== '#test-support';
        if (!aliases.includes(alias) || deep) {
          context.report({
            node: source,
            message: `${area.dir}/ may import only ${aliases.join(', ') || 'nothing outside itself'} (each through its index), not '${spec}'.`,
          });
        }
      } else if (spec.startsWith('.') && areaOf(path.resolve(path.dirname(file), spec)) !== area) {
        context.report({
          node: source,
          message: `'${spec}' climbs out of ${area.dir}/: import across top-level folders through ${aliases.join(', ') || 'nothing'}.`,
        });
      }
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

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
  { plugins: { local: { rules: { boundaries } } }, rules: { 'local/boundaries': 'error' } },
  // The clock is the one place allowed to touch real timers; tests and benches measure wall time.
  {
    files: ['lab/clock/**/*.ts', '**/*.test.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-restricted-globals': 'off', 'no-restricted-properties': 'off' },
  },
  // Tests read arbitrary JSON answers.
  { files: ['**/*.test.ts', 'test/**/*.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
);
