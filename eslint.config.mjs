// Lint for a TypeScript IaC codebase: typescript-eslint's recommended rules, plus a few that
// keep a generator honest (no floating promises, no unused values).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The platform model and the secure constructs stay below the services (test/architecture/imports.test.ts
// is the authoritative check, over the whole import graph): components/platform/ reaches a layer only
// through its contract.ts or schema.ts, components/base/ reaches no layer, and neither reads a policy.
// The layer folders are PLACEMENTS (components/platform/layers.ts).
const LAYER_DIR = String.raw`^(\.\./)+(components/)?(ingestion|storage|compute|ai|analytics|governance|edge|observability)`;
const POLICIES = {
  regex: String.raw`(^|/)policies(/|$)`,
  caseSensitive: true,
  message: 'The platform model and the secure constructs import nothing under policies/.',
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'build/', 'coverage/', 'jest.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['components/platform/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            POLICIES,
            {
              regex: String.raw`${LAYER_DIR}/(?!(contract|schema)$)`,
              caseSensitive: true,
              message: "The platform model imports no service: only a layer's contract.ts or schema.ts.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ['components/base/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            POLICIES,
            { regex: String.raw`${LAYER_DIR}(/|$)`, caseSensitive: true, message: 'The secure constructs import no layer.' },
          ],
        },
      ],
    },
  },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
);
