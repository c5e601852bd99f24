import { InvokeCommand, type InvokeCommandOutput } from '@aws-sdk/client-lambda';
import { S3ReportSnapshotStore } from '#shared/adapters/report-store-s3.ts';
import type { Report } from '#shared/domain/report/model.ts';
import type { PublishedReport } from '#shared/ports/report-store.ts';
import { CliError, reasonOf } from '../errors.ts';
import { reportHeading, reportTable } from '../format.ts';
import type { CliIo } from '../io.ts';
import { required, type Target } from '../target.ts';

export interface ReportCommandOptions {
  json: boolean;
  country?: string;
  role?: string;
}

/**
 * Generates the year's report now (invoking the generate-report function, local or deployed,
 * with `{ "year": Y }`) and prints it: a table of country × role × seniority cells, or the raw
 * report JSON with `--json`.
 */
export async function reportCommand(
  year: number,
  options: ReportCommandOptions,
  target: Target,
  io: CliIo,
): Promise<void> {
  const published = await invokeGenerateReport(target, year);
  const report = await readPublishedReport(target, published);
  if (options.json) {
    io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  io.stdout(`${reportHeading(report)}\n\n${reportTable(report, options)}\n`);
  if (target.apiUrl) io.stdout(`\nReport page: ${target.apiUrl}/\n`);
}

export async function invokeGenerateReport(target: Target, year: number): Promise<PublishedReport> {
  const functionName = required(target, 'reportFunctionName', 'generating a report');
  let answer: InvokeCommandOutput;
  try {
    answer = await (await target.lambda()).send(
      new InvokeCommand({ FunctionName: functionName, Payload: JSON.stringify({ year }) }),
    );
  } catch (error) {
    throw new CliError(`could not invoke ${functionName} on ${target.label}: ${reasonOf(error)}`);
  }
  const payload = JSON.parse(new TextDecoder().decode(answer.Payload ?? new Uint8Array())) as
    | PublishedReport
    | { errorMessage?: string };
  if (answer.FunctionError) {
    const message = 'errorMessage' in payload ? payload.errorMessage : undefined;
    throw new CliError(`the report for ${year} was not generated: ${message ?? 'unknown error'}`);
  }
  return payload as PublishedReport;
}

async function readPublishedReport(target: Target, published: PublishedReport): Promise<Report> {
  const bucketName = required(target, 'bucketName', 'reading the generated report');
  const snapshots = new S3ReportSnapshotStore(await target.s3(), bucketName);
  let json: string | undefined;
  try {
    json = await snapshots.readJson(published.jsonKey);
  } catch (error) {
    throw new CliError(
      `could not read s3://${bucketName}/${published.jsonKey}: ${reasonOf(error)}`,
    );
  }
  if (json === undefined) {
    throw new CliError(`the generated report is missing: s3://${bucketName}/${published.jsonKey}`);
  }
  return JSON.parse(json) as Report;
}
