// ESLint flat config: eslint + typescript-eslint (syntax-only rules, no type information, so a run
// stays quick; `npm run typecheck` does the type checking) + eslint-plugin-vue, with
// eslint-config-prettier last so that no rule argues with the formatter.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import pluginVue from 'eslint-plugin-vue';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

export default defineConfig(
  // .gitignore's build output and local data; node_modules/ is always ignored.
  { ignores: ['out/', 'dist/', 'test-results/', 'lab-data/', '.tmp/'] },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  pluginVue.configs['flat/recommended'],
  {
    // <script lang="ts"> in single-file components.
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    // Node code is ES modules: Node's globals, but not CommonJS's require, module or __dirname.
    files: ['**/*.{js,mjs,ts}'],
    ignores: ['src-renderer/**'],
    languageOptions: { globals: globals.nodeBuiltin },
  },
  {
    // The renderer runs in the browser (Electron's sandboxed renderer or a plain browser tab).
    files: ['src-renderer/**'],
    languageOptions: { globals: globals.browser },
  },
  {
    // CommonJS on purpose (see the comment at the top of the bin script).
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    rules: {
      // The same exemptions as tsc's noUnusedLocals/noUnusedParameters: a leading underscore marks
      // a deliberately unused name, and `const { [key]: _gone, ...rest } = o` drops a key.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  prettier,
);
