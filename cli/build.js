// Builds the CLI and the local stack (cli/main.ts and everything it imports from cli/, shared/,
// functions/ and web/) into JavaScript with esbuild, so a command starts without compiling
// TypeScript. `npm ci` runs it (the `prepare` script); cli/bin.js runs it again whenever a source
// file changed since the last build. Plain JavaScript: it must run before anything is built.
import { randomBytes } from 'node:crypto';
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const PROJECT_ROOT = fileURLToPath(new URL('../', import.meta.url));
const DIST = join(PROJECT_ROOT, 'cli', 'dist');
const CURRENT = join(DIST, 'current.json');
/** Besides our bundled sources: what changes the build (dependencies change the lockfile). */
const BUILD_INPUTS = ['cli/build.js', 'package.json', 'package-lock.json'];
/**
 * Dependencies loaded from node_modules as installed, not bundled: the local servers and esbuild
 * (they read files next to their code, or native add-ons), and the packages that load others by
 * computed names at run time. The rest (the AWS SDK above all) is bundled: one file to read
 * instead of hundreds is most of a command's start-up time.
 */
const EXTERNAL = [
  'esbuild',
  's3rver',
  'dynalite',
  'protobufjs',
  '@datadog/sketches-js',
  'aws-xray-sdk-core',
];
/** Older builds are removed after this long (a running `start` may still load from one). */
const STALE_BUILD_MS = 60 * 60 * 1000;

/**
 * @typedef {{ directory: string, inputs: Record<string, number> }} CliBuild
 * `directory` under cli/dist/; `inputs` maps each source file (relative to the project root) to
 * its modification time when it was built.
 */

/** The entry module of the current build, or undefined when there is none or a source changed. */
export function freshBuildEntry() {
  /** @type {CliBuild} */
  let build;
  try {
    build = JSON.parse(readFileSync(CURRENT, 'utf8'));
  } catch {
    return undefined;
  }
  for (const [path, modified] of Object.entries(build.inputs)) {
    try {
      if (statSync(join(PROJECT_ROOT, path)).mtimeMs !== modified) return undefined;
    } catch {
      return undefined;
    }
  }
  return entryOf(build.directory);
}

/**
 * Builds into a new directory, then points cli/dist/current.json at it (written beside, renamed
 * over), so a command running meanwhile never sees half a build. Returns the entry module's URL.
 */
export async function buildCli() {
  const { build } = await import('esbuild');
  const directory = `build-${Date.now()}-${randomBytes(4).toString('hex')}`;
  const outdir = join(DIST, directory);
  const result = await build({
    absWorkingDir: PROJECT_ROOT,
    entryPoints: { main: 'cli/main.ts' },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: EXTERNAL,
    mainFields: ['module', 'main'],
    // Bundled CommonJS packages call `require` for Node's own modules.
    banner: {
      js: "import { createRequire as __cliRequire } from 'node:module'; const require = __cliRequire(import.meta.url);",
    },
    metafile: true,
    logLevel: 'warning',
    plugins: [sourceLocationPlugin(outdir)],
  });
  const inputs = {};
  const sources = Object.keys(result.metafile.inputs).filter(
    (path) => !path.startsWith('node_modules/'),
  );
  for (const path of [...sources, ...BUILD_INPUTS]) {
    inputs[path] = statSync(join(PROJECT_ROOT, path)).mtimeMs;
  }
  const temporary = `${CURRENT}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify({ directory, inputs }, null, 2)}\n`);
  renameSync(temporary, CURRENT);
  removeOldBuilds(directory);
  return entryOf(directory);
}

function entryOf(directory) {
  return pathToFileURL(join(DIST, directory, 'main.js'));
}

/**
 * Every chunk lands in one directory, so a source file's own `import.meta.url` (web/build.ts finds
 * the page's sources by it) becomes its original location, relative to the chunk.
 */
function sourceLocationPlugin(outdir) {
  return {
    name: 'source-location',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, (args) => {
        if (args.path.includes(`${join('node_modules', '')}`)) return undefined;
        const contents = readFileSync(args.path, 'utf8');
        if (!contents.includes('import.meta.url')) return undefined;
        const fromOutput = relative(outdir, args.path).split('\\').join('/');
        return {
          contents: contents.replaceAll(
            'import.meta.url',
            `new URL(${JSON.stringify(fromOutput)}, import.meta.url).href`,
          ),
          loader: 'ts',
          resolveDir: dirname(args.path),
        };
      });
    },
  };
}

function removeOldBuilds(keep) {
  let entries;
  try {
    entries = readdirSync(DIST, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name === keep || !entry.name.startsWith('build-')) continue;
    const path = join(DIST, entry.name);
    try {
      if (Date.now() - statSync(path).mtimeMs > STALE_BUILD_MS) {
        rmSync(path, { recursive: true, force: true });
      }
    } catch {
      // Another build removed it first.
    }
  }
}

/**
 * npm links the commands of dependencies into node_modules/.bin, never the project's own. Without
 * this link `npx salary-report` reads npm's whole installed tree to find the command before it
 * runs it (about a second more per command); with it npx runs cli/bin.js at once.
 */
export function linkProjectCommands(root = PROJECT_ROOT) {
  const { bin } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const binDirectory = join(root, 'node_modules', '.bin');
  for (const [name, path] of Object.entries(bin ?? {})) {
    const link = join(binDirectory, name);
    const target = relative(binDirectory, join(root, path));
    try {
      if (readlinkSync(link) === target) continue;
    } catch {
      // Missing (or not a link): made below.
    }
    mkdirSync(binDirectory, { recursive: true });
    rmSync(link, { force: true });
    symlinkSync(target, link);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const entry = await buildCli();
  linkProjectCommands();
  process.stdout.write(`Built the CLI: ${relative(PROJECT_ROOT, fileURLToPath(entry))}\n`);
}
