#!/usr/bin/env node
// The `salary-report` command. It runs the CLI as JavaScript built by cli/build.js (at install,
// and again here when a source file changed since), so no TypeScript is compiled per command.
// `start` and `serve` run the local stand-in for S3 (s3rver), which needs OpenSSL's legacy
// provider for paged listings; that can only be enabled when Node starts, so for those two this
// launcher starts Node once more with it and passes the exit code on. Every other command runs
// in this process.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freshBuildEntry } from './build.js';

const SERVER_COMMANDS = new Set(['start', 'serve']);

const entry = freshBuildEntry() ?? (await (await import('./build.js')).buildCli());
// The SDK's notice about Node 20 would greet every command; the CLI runs fine on Node 20.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const argv = process.argv.slice(2);
if (SERVER_COMMANDS.has(argv[0] ?? '') && !process.execArgv.includes('--openssl-legacy-provider')) {
  const child = spawn(
    process.execPath,
    ['--openssl-legacy-provider', fileURLToPath(entry), ...argv],
    { stdio: 'inherit' },
  );
  // A terminal's Ctrl-C reaches the whole process group, the child included; a SIGINT sent to
  // this process alone (a process manager, `kill -INT`) does not. So the first one is passed on
  // as SIGTERM, which stops the child but never counts as the second Ctrl-C that makes it exit
  // at once; later ones are passed on as they are.
  let interrupts = 0;
  process.on('SIGINT', () => child.kill(++interrupts === 1 ? 'SIGTERM' : 'SIGINT'));
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal ? 128 : 1);
  });
} else {
  await import(entry.href);
}
