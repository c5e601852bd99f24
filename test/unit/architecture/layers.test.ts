import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The layering the code promises (docs/architecture.md), checked on the import graph as the
 * TypeScript compiler reads it: type-only imports count, because a cycle or a wrong-way
 * dependency of types is as much a knot for a reader as one of values.
 */
const ROOT = path.resolve(import.meta.dirname, '../../..');
const ALIASES: Record<string, string> = {
  '#shared/': 'shared/',
  '#functions/': 'functions/',
  '#infra/': 'infra/',
  '#test/': 'test/',
  '#cli/': 'cli/',
  '#web/': 'web/',
};

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.ts$/.test(entry.name) && !entry.name.endsWith('.d.ts'))
    .map((entry) =>
      path.relative(ROOT, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'),
    )
    .filter((file) => !file.includes('/dist/'));
}

/** Each import of a file: a repo path (`shared/…`) for our modules, the bare name for packages. */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(path.join(ROOT, file), 'utf8'), true, true);
  return info.importedFiles.map(({ fileName: spec }) => {
    const alias = Object.keys(ALIASES).find((prefix) => spec.startsWith(prefix));
    if (alias) return `${ALIASES[alias]}${spec.slice(alias.length)}`;
    if (spec.startsWith('.'))
      return path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
    return spec;
  });
}

const GRAPH = new Map(
  ['shared', 'functions', 'cli', 'infra']
    .flatMap(sourceFiles)
    .map((file) => [file, importsOf(file)]),
);

function violations(filesUnder: string, forbidden: (target: string) => boolean): string[] {
  return [...GRAPH]
    .filter(([file]) => file.startsWith(filesUnder))
    .flatMap(([file, targets]) => targets.filter(forbidden).map((target) => `${file} → ${target}`));
}

const isAwsSdk = (target: string) =>
  target.startsWith('@aws-sdk/') || target.startsWith('@smithy/');

describe('layers', () => {
  it('sees the code it checks', () => {
    expect(GRAPH.has('shared/domain/normalize.ts')).toBe(true);
    expect(GRAPH.get('shared/use-cases/ingest-upload.ts')?.length).toBeGreaterThan(3);
  });

  it('keeps the domain free of AWS, Lambda plumbing and the layers above it', () => {
    const outward =
      /^(shared\/(adapters|use-cases|http|observability)|functions|cli|infra|test|bench)\b/;
    const runtime = /^(@aws-lambda-powertools|@middy|aws-cdk-lib|constructs)\b/;
    expect(
      violations('shared/domain/', (t) => isAwsSdk(t) || outward.test(t) || runtime.test(t)),
    ).toEqual([]);
  });

  it('keeps use cases on ports: no SDK, no adapter, no HTTP', () => {
    expect(
      violations('shared/use-cases/', (t) => isAwsSdk(t) || /^shared\/(adapters|http)\//.test(t)),
    ).toEqual([]);
  });

  it('ships in shared/ only what the functions run: nothing from the CLI, tests, local stand-ins or the sample', () => {
    const notShipped = /^(cli|test|bench|infra|web)\//;
    const standIns = /^(s3rver|dynalite|classic-level|@datadog\/sketches-js\/.*test)$/;
    expect(violations('shared/', (t) => notShipped.test(t) || standIns.test(t))).toEqual([]);
  });

  it('lets handlers reach the CLI, tests and infra never', () => {
    expect(violations('functions/', (t) => /^(cli|test|bench|infra)\//.test(t))).toEqual([]);
  });

  it('has no import cycle in shared/, type-only imports included', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, trail: readonly string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...trail.slice(trail.indexOf(file)), file].join(' → '));
        return;
      }
      state.set(file, 'open');
      for (const target of GRAPH.get(file) ?? []) {
        if (target.startsWith('shared/')) visit(target, [...trail, file]);
      }
      state.set(file, 'done');
    };
    for (const file of GRAPH.keys()) if (file.startsWith('shared/')) visit(file, []);
    expect(cycles).toEqual([]);
  });
});
