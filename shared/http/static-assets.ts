import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HttpProblem } from './problem.ts';
import { CACHE_POLICIES, representation } from './responses.ts';
import type { Route } from './router.ts';

/**
 * The report page's files, served by the same API: the extension point for the web build
 * (`web/dist/`). Add a file here and the router serves it; nothing else changes.
 */
export const PAGE_ASSETS = [
  { path: '/', file: 'index.html', contentType: 'text/html; charset=utf-8' },
  { path: '/app.js', file: 'app.js', contentType: 'text/javascript; charset=utf-8' },
  { path: '/app.css', file: 'app.css', contentType: 'text/css; charset=utf-8' },
] as const;

/** Where the page's files come from (a directory in the bundle, memory in tests). */
export interface StaticAssetSource {
  /** The file's text, or undefined when the page was not built. */
  read(file: string): Promise<string | undefined>;
}

/** Files of a directory, read once per process (they ship with the function and never change). */
export function directoryAssetSource(directory: string): StaticAssetSource {
  const cache = new Map<string, Promise<string | undefined>>();
  return {
    read(file) {
      let content = cache.get(file);
      if (!content) {
        content = readFile(join(directory, file), 'utf8').catch((error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT') return undefined;
          throw error;
        });
        cache.set(file, content);
      }
      return content;
    },
  };
}

export function pageRoutes(source: StaticAssetSource): Route[] {
  return PAGE_ASSETS.map((asset) => ({
    method: 'GET' as const,
    path: asset.path,
    handle: async () => {
      const content = await source.read(asset.file);
      if (content === undefined) {
        throw new HttpProblem(404, `the report page is not built (${asset.file} is missing)`);
      }
      return representation(content, asset.contentType, CACHE_POLICIES.page);
    },
  }));
}
