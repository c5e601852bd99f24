import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // s3rver answers paged ListObjectsV2 with a 500 without the legacy OpenSSL provider.
    execArgv: ['--openssl-legacy-provider'],
    // Handlers log structured JSON; tests assert on behaviour, so keep their output readable.
    env: {
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_DEV: 'false',
      POWERTOOLS_METRICS_DISABLED: 'true',
      POWERTOOLS_TRACE_ENABLED: 'false',
      // Node 20 is what this machine runs; the SDK's reminder about Node 22 is noise in test output.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          // No test may depend on wall-clock speed: a busy 2-core machine runs the suite several
          // times slower than a quiet one. A unit test that needs a minute is stuck, not slow.
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      {
        extends: true,
        test: {
          // Faults injected into the real pipeline, exact totals asserted (short here; the long
          // version is `npm run test:stress`).
          name: 'stress',
          include: ['test/stress/**/*.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 300_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
      {
        extends: true,
        // The real `salary-report start` under load; its own timeout follows SOAK_SECONDS.
        test: { name: 'soak', include: ['test/soak/**/*.test.ts'] },
      },
    ],
  },
});
