import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/**
 * Import boundaries (DESIGN.md "The parts"): the linter, not memory, keeps each part in its lane.
 * A deliberate violation is proven to fail in test/tooling/lint-boundaries.test.ts.
 */
const builtinMessage = 'Node built-ins are not available here (see DESIGN.md, "The parts").';
// Exact names, not patterns: a gitignore-style pattern `domain` would also match `../domain/x`.
const nodeBuiltins = {
  paths: builtinModules
    .filter((name) => !name.startsWith('_'))
    .map((name) => ({ name, message: builtinMessage })),
  patterns: [{ group: ['node:*'], message: builtinMessage }],
};
const electron = {
  group: ['electron', 'electron/*'],
  message: 'Only src/main and src/preload may use Electron; go through the IPC contract.',
};
const uiLibraries = {
  group: [
    'react',
    'react/*',
    'react-dom',
    'react-dom/*',
    '@mantine/*',
    'dexie',
    'dexie-react-hooks',
  ],
  message: 'src/shared is pure TypeScript: no React, DOM or browser storage.',
};
const serverLibraries = {
  group: ['ws', '@electric-sql/*', 'pg'],
  message: 'src/shared is pure TypeScript: no server libraries.',
};
const part = (name) => ({
  group: [`**/${name}`, `**/${name}/**`, `@/${name}/**`],
  message: `Importing src/${name} from here crosses a boundary (DESIGN.md, "The parts").`,
});
const restrict = (...rules) => ({
  'no-restricted-imports': [
    'error',
    {
      paths: rules.flatMap((rule) => rule.paths ?? []),
      patterns: rules.flatMap((rule) => rule.patterns ?? (rule.group ? [rule] : [])),
    },
  ],
});

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'out/**',
      'dist/**',
      'test-results/**',
      'playwright-report/**',
      'coverage/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: globals.browser },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...restrict(nodeBuiltins, electron, part('server'), part('main'), part('preload')),
    },
  },
  {
    // Dates and times go through one formatter (issue 12: screens mixed 12 h and 24 h clocks and
    // day orders, each calling toLocale*String its own way). Numbers may still use toLocaleString.
    files: ['src/renderer/**/*.{ts,tsx}'],
    ignores: ['src/renderer/src/format/dates.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...[
          "NewExpression[callee.object.name='Intl'][callee.property.name='DateTimeFormat']",
          'CallExpression[callee.property.name=/^toLocale(Date|Time)String$/]',
          "CallExpression[callee.property.name='toLocaleString'][callee.object.type='NewExpression'][callee.object.callee.name='Date']",
        ].map((selector) => ({
          selector,
          message: 'Format dates and times with src/renderer/src/format/dates.ts.',
        })),
      ],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: restrict(
      nodeBuiltins,
      electron,
      uiLibraries,
      serverLibraries,
      part('server'),
      part('main'),
      part('preload'),
      part('renderer'),
    ),
  },
  {
    files: ['src/server/**/*.ts'],
    languageOptions: { globals: globals.node },
    rules: restrict(electron, part('renderer'), part('main'), part('preload')),
  },
  {
    files: ['src/main/**/*.ts'],
    languageOptions: { globals: globals.node },
    rules: restrict(part('renderer'), part('preload')),
  },
  {
    // The preload runs sandboxed: only `electron` itself can be required there.
    files: ['src/preload/**/*.ts'],
    rules: restrict(nodeBuiltins, part('renderer'), part('server'), part('main')),
  },
  {
    files: ['test/**/*.{ts,tsx,mjs}', 'scripts/**/*.{ts,mjs,js}', '*.config.{ts,mts,js,cjs}'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
