import { basename, resolve } from 'node:path';
import type { ReportSummary } from '#shared/http/api-schemas.ts';
import { buildReportPage, WEB_DIST } from '#web/build.ts';
import { CliError, reasonOf } from '../errors.ts';
import { count, counted, headlineLines, suggestedCommand } from '../format.ts';
import type { CliIo } from '../io.ts';
import { type LocalStack, startLocalStack } from '../local/local-stack.ts';
import { isEmptyStack, type SeedOutcome, seedSample } from '../local/sample-seed.ts';
import { DEFAULT_DATA_DIR } from '../local/state.ts';

export interface ServeCommandOptions {
  port: number;
  dataDir: string;
  /** `start` seeds an empty stack with a sample survey; `serve` never does. */
  sample: boolean;
  /** An external DynamoDB endpoint instead of the in-process dynalite. */
  dynamodbEndpoint?: string;
}

/**
 * Runs the local stack until interrupted: builds the report page, starts the stand-ins and the
 * handlers, on a first start (when `sample`) ingests a sample survey and generates its report,
 * prints where everything is, then stops cleanly on Ctrl-C.
 */
export async function serveCommand(options: ServeCommandOptions, io: CliIo): Promise<void> {
  const dataDirectory = resolve(io.cwd, options.dataDir);
  try {
    await buildReportPage(WEB_DIST);
  } catch (error) {
    throw new CliError(`could not build the report page: ${reasonOf(error)}`);
  }
  const stack = await startLocalStack({
    dataDirectory,
    pageDirectory: WEB_DIST,
    apiPort: options.port,
    ...(options.dynamodbEndpoint ? { dynamoEndpoint: options.dynamodbEndpoint } : {}),
  });
  try {
    if (options.sample && (await isEmptyStack(stack))) {
      io.stdout('First start: generating a sample survey, ingesting it, generating its report…\n');
      const flags = options.dataDir === DEFAULT_DATA_DIR ? [] : ['--data-dir', options.dataDir];
      printSeedSummary(await seedSample(stack), flags, io);
    } else {
      await printPublishedReports(stack, io);
    }
    printUrls(stack, dataDirectory, io);
    await io.untilInterrupted();
    io.stdout('Stopping…\n');
  } finally {
    await stack.stop();
  }
  io.stdout('Stopped.\n');
}

function printSeedSummary(outcome: SeedOutcome, flags: readonly string[], io: CliIo): void {
  const lines = outcome.files.map(
    (record) =>
      `  ${record.key}: ${count(record.accepted)} accepted, ${count(record.rejected)} rejected` +
      (record.errorsKey
        ? `\n    see them: ${suggestedCommand(['rejected', basename(record.key), ...flags])}`
        : ''),
  );
  const { counts } = outcome.published;
  io.stdout(
    `Ingested ${counted(outcome.files.length, 'file')}:\n${lines.join('\n')}\n` +
      `Report ${outcome.report.year}: ${counted(counts.respondents, 'respondent')}, ` +
      `${counted(counts.publishedCells, 'cell')} published, ${count(counts.suppressedCells)} suppressed.\n` +
      `${headlineLines(outcome.report)}\n`,
  );
}

async function printPublishedReports(stack: LocalStack, io: CliIo): Promise<void> {
  const response = await fetch(`${stack.state.apiUrl}/reports`);
  const { reports } = (await response.json()) as { reports: ReportSummary[] };
  io.stdout(
    reports.length === 0
      ? 'No report published yet: upload files, then run `salary-report report <year>`.\n'
      : `Published reports: ${reports
          .map((report) => `${report.year} (${counted(report.counts.respondents, 'respondent')})`)
          .join(', ')}\n`,
  );
}

function printUrls(stack: LocalStack, dataDirectory: string, io: CliIo): void {
  const { apiUrl } = stack.state;
  io.stdout(
    `\nReport page   ${apiUrl}/\n` +
      `API           ${apiUrl}/reports  (OpenAPI: ${apiUrl}/openapi.json)\n` +
      `Data          ${dataDirectory} (kept across restarts)\n` +
      (stack.state.dynamoEndpointExternal
        ? `DynamoDB      ${stack.state.dynamoEndpoint} (external, table ${stack.state.tableName})\n`
        : '') +
      'Upload more with `npx salary-report upload <files…>`; Ctrl-C stops.\n',
  );
}
