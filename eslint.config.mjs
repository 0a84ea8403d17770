// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      '.sample-dist/**',
      'docs/api/**',
      'bench/results/**',
      '.bench-dist/**',
      'test/.artifacts/**',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // The protocol layers (clients in lib/core, provider side in lib/server) are framework-agnostic: nothing from Nest, rxjs or an HTTP framework.
    files: ['lib/core/**/*.ts', 'lib/server/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['@nestjs/*', 'rxjs', 'rxjs/*', 'express', 'fastify', 'reflect-metadata'] },
      ],
    },
  },
);
