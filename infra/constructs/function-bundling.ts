/**
 * How every Lambda handler is bundled, in one place: the CDK construct passes these settings to
 * esbuild through `NodejsFunction`, and `npm run bench` (bench/cold-start.ts) builds the same
 * bundles with them to measure their size and module-load time.
 */
export const FUNCTION_BUNDLING = {
  format: 'esm',
  platform: 'node',
  target: 'node22',
  /** ESM entry points first, so esbuild can drop what a handler never imports (tree shaking). */
  mainFields: ['module', 'main'],
  minify: true,
  /** CommonJS dependencies inside the ESM bundle still call `require`. */
  banner:
    "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
} as const;
