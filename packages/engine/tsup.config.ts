import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared.js';

export default defineConfig({
  ...packageBuild,
  // The inline-function analysis (acorn, eslint-scope, globals) is an entry of its own, so
  // that the ESM build keeps it in a file apart: a bundle that uses only the engine leaves
  // it, and its parser, out.
  entry: { index: 'src/index.ts', 'inline-function': 'src/inline-function/index.ts' },
});
