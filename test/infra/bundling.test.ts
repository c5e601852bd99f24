import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT, SalaryReportFunction } from '#infra/constructs/salary-report-function.ts';
import { stageConfigFromContext } from '#infra/stage.ts';
import { buildApp, CDK_JSON_CONTEXT, logicalIdOf } from './support/synth.ts';

/**
 * The tests that run esbuild. The first bundles the real handlers, exactly as `cdk synth` does: a broken
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
      // Tree shaking kept zod's default English messages only, not its 50 locales (370 kB and
      // ~40 ms of module load: what importing zod's `z` object instead of its namespace costs).
      const { sources } = JSON.parse(readFileSync(`${bundle}.map`, 'utf8')) as {
        sources: string[];
      };
      const locales = sources.filter((source) => source.includes('zod/v4/locales/'));
      expect(locales.length, `${fn.node.id} zod locales`).toBeLessThanOrEqual(2);
    }
  });

  it('copies bundled directories into the bundle and warns about unbuilt ones', () => {
    const app = new App({ context: CDK_JSON_CONTEXT });
    const stack = new Stack(app, 'BundledDirectories');
    const fn = new SalaryReportFunction(stack, 'Fn', {
      entry: join(PROJECT_ROOT, 'test', 'infra', 'support', 'tiny-handler.ts'),
      description: 'bundles a tiny handler with two extra directories',
      stage: stageConfigFromContext(app),
      bundledDirectories: ['infra/constructs', 'web/never-built'],
    });

    const assembly = app.synth();
    const template = assembly.getStackArtifact(stack.artifactId).template;
    const assetHash = template.Resources[logicalIdOf(fn)].Properties.Code.S3Key.replace('.zip', '');
    const assetDirectory = join(assembly.directory, `asset.${assetHash}`);
    expect(existsSync(join(assetDirectory, 'infra', 'constructs', 'bucket-layout.ts'))).toBe(true);
    expect(existsSync(join(assetDirectory, 'web'))).toBe(false);
    expect(
      Annotations.fromStack(stack).findWarning(
        '/BundledDirectories/Fn',
        Match.stringLikeRegexp('web/never-built does not exist'),
      ),
    ).toHaveLength(1);
  });
});
