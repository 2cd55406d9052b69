// typescript-eslint's recommended rules over everything we write; dist/ is generated.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'corpora/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
);
