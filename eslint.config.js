import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'panel/**', '.eliza/**', 'artifacts/**', 'eslint.config.js', 'test/**/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // ElizaOS handlers are async by contract even when a given one awaits nothing.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Asymmetric matchers (expect.objectContaining, ...) are typed any; tests use them on purpose.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    // The sandboxed side of the plugin host: plain JavaScript on Node, type-checked (worker/tsconfig.json)
    // against the protocol's .d.mts. The plugins it runs are untrusted objects of no known type, so
    // the rules against using `any` would flag every touch of one; its boundary is typed instead.
    files: ['worker/**/*.mjs', 'worker/**/*.cjs'],
    languageOptions: {
      globals: Object.fromEntries(
        ['process', 'Buffer', 'console', 'setTimeout', 'clearTimeout', 'setImmediate', 'URL', 'TextDecoder', 'TextEncoder'].map((name) => [name, 'readonly']),
      ),
    },
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // The checker's startup snapshot is made and entered by CommonJS scripts (a snapshot builder may not import).
    files: ['worker/**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', globalThis: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The builder compiles TypeScript's own file with the Function constructor: Node's loader is not there for it.
    files: ['worker/checker-snapshot.cjs'],
    rules: { '@typescript-eslint/no-implied-eval': 'off' },
  },
  {
    // The example agent project is what a user copies: plain JavaScript outside the TypeScript
    // project, so it is linted without type information.
    files: ['examples/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { process: 'readonly', console: 'readonly' },
    },
  },
);
