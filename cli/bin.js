#!/usr/bin/env node
// The `salary-report` command. The CLI is TypeScript run through tsx, and the local stand-in for
// S3 (s3rver) needs OpenSSL's legacy provider for paged listings, which can only be enabled when
// Node starts: so this launcher starts Node once more with both, and passes the exit code on.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));
const child = spawn(
  process.execPath,
  [
    '--openssl-legacy-provider',
    '--import',
    import.meta.resolve('tsx'),
    main,
    ...process.argv.slice(2),
  ],
  {
    stdio: 'inherit',
    // The SDK's notice about Node 20 would greet every command; the CLI runs fine on Node 20.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...process.env },
  },
);
// Ctrl-C reaches the whole process group, the child included: this one only waits for it.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => {
  process.exitCode = code ?? (signal ? 128 : 1);
});
