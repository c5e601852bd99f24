import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApp, logicalIdOf } from './support/synth.ts';

/**
 * The one test that runs esbuild on the real handlers, exactly as `cdk synth` does: a broken
 * import, a missing dependency or a type-only import used as a value fails here, not at deploy.
 */
describe('function bundles', () => {
  it('builds every handler into a minified ESM bundle with a source map', () => {
    const { app, stateless } = buildApp('dev', { bundle: true });
    const assembly = app.synth();
    const template = assembly.getStackArtifact(stateless.artifactId).template;
    const functions = [stateless.ingestFunction, stateless.reportFunction, stateless.apiFunction];

    for (const fn of functions) {
      const assetHash = template.Resources[logicalIdOf(fn)].Properties.Code.S3Key.replace(
        '.zip',
        '',
      );
      const bundle = join(assembly.directory, `asset.${assetHash}`, 'index.mjs');
      expect(existsSync(bundle), `${fn.node.id} bundle`).toBe(true);
      expect(existsSync(`${bundle}.map`), `${fn.node.id} source map`).toBe(true);
      expect(readFileSync(bundle, 'utf8')).toMatch(/createRequire/);
    }
  });
});
