import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript without declarations: it runs before anything is built.
import { linkProjectCommands } from '#cli/build.js';

let root: string | undefined;

afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
});

/** A project with one command, installed (node_modules/.bin exists) as npm leaves it. */
function project(): string {
  root = mkdtempSync(join(tmpdir(), 'salary-report-link-'));
  mkdirSync(join(root, 'cli'));
  mkdirSync(join(root, 'node_modules', '.bin'), { recursive: true });
  writeFileSync(
    join(root, 'package.json'),
    JSON.stringify({ name: 'linked', bin: { 'salary-report': 'cli/bin.js' } }),
  );
  writeFileSync(join(root, 'cli', 'bin.js'), '#!/usr/bin/env node\nconsole.log("ran");\n');
  chmodSync(join(root, 'cli', 'bin.js'), 0o755);
  return root;
}

describe('the install step (prepare) links the project command for npx', () => {
  it('links node_modules/.bin/<name> to the bin, and it runs', () => {
    const dir = project();

    linkProjectCommands(dir);

    const link = join(dir, 'node_modules', '.bin', 'salary-report');
    expect(readlinkSync(link)).toBe('../../cli/bin.js');
    expect(execFileSync(link, { encoding: 'utf8' })).toBe('ran\n');
  });

  it('is safe to repeat, and replaces a link to something else', () => {
    const dir = project();
    const link = join(dir, 'node_modules', '.bin', 'salary-report');
    symlinkSync('../elsewhere.js', link);

    linkProjectCommands(dir);
    linkProjectCommands(dir);

    expect(readlinkSync(link)).toBe('../../cli/bin.js');
  });
});
