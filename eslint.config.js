// Lint rules: TypeScript's recommended checks, plus the project's architecture rules.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'scratch/', 'test-results/', 'dist/', '.dist-*/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-control-regex': 'off',
    },
  },
  {
    // Migrations take Kysely<any>: they are frozen in time and must not depend on today's table types.
    files: ['src/db/migrations/**', 'src/db/migrate.ts', 'src/db/dialect.ts', 'src/db/schema-snapshot.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Only db/dialect.ts may ask which engine is in use.
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    ignores: ['src/db/**', 'src/config.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'pg' }, { name: 'better-sqlite3' }] }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[property.name='engine']",
          message: 'Ask db/dialect.ts instead of branching on the engine.',
        },
      ],
    },
  },
);
