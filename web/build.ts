import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Where the API (locally and in the Lambda bundle) finds the page: see PAGE_ASSETS. */
export const WEB_DIST = fileURLToPath(new URL('./dist/', import.meta.url));
const SOURCE = fileURLToPath(new URL('./src/', import.meta.url));

/**
 * Builds the report page into `outDirectory`: `app.js` bundled and minified by esbuild (Chart.js
 * included), `index.html` and `app.css` copied. Run before deploying (`npx tsx web/build.ts`);
 * `npm start` builds it on every start.
 */
export async function buildReportPage(outDirectory: string = WEB_DIST): Promise<void> {
  const { build } = await import('esbuild');
  await mkdir(outDirectory, { recursive: true });
  await build({
    entryPoints: [join(SOURCE, 'app.ts')],
    outfile: join(outDirectory, 'app.js'),
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2020',
    legalComments: 'none',
    logLevel: 'silent',
  });
  await Promise.all(
    ['index.html', 'app.css'].map((file) => copyFile(join(SOURCE, file), join(outDirectory, file))),
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await buildReportPage();
}
