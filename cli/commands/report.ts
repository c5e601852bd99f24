import { InvokeCommand, type InvokeCommandOutput } from '@aws-sdk/client-lambda';
import { S3ReportSnapshotStore } from '#shared/adapters/report-store-s3.ts';
import { filterCells, type ReportFilter } from '#shared/domain/report/filter.ts';
import type { Report, SuppressionKind } from '#shared/domain/report/model.ts';
import { REPORT_QUERY, reportFilterOf } from '#shared/http/api-operations.ts';
import { HttpProblem } from '#shared/http/problem.ts';
import { parameterLists, readQueryParameters } from '#shared/http/query.ts';
import type { PublishedReport } from '#shared/ports/report-store.ts';
import { CliError, reasonOf } from '../errors.ts';
import { count, reportHeading, textTable, usd } from '../format.ts';
import type { CliIo } from '../io.ts';
import { required, type Target } from '../target.ts';

export interface ReportCommandOptions {
  json: boolean;
  regenerate: boolean;
  /** Filters, as the API's query parameters take them: one value or a comma list. */
  country?: string;
  role?: string;
  seniority?: string;
}

/** What the generate-report function answers (functions/generate-report.ts). */
interface GenerationAnswer extends PublishedReport {
  current: boolean;
  generated: boolean;
}

/**
 * Prints the year's published report: a table of country × role × seniority cells, or the raw
 * report JSON with `--json`. It asks the generate-report function (local or deployed) for the
 * year first, which publishes a new version only when the year's data, rules or settings changed
 * since the current one (or none exists); `--regenerate` publishes one anyway. Looking twice
 * publishes nothing.
 */
export async function reportCommand(
  year: number,
  options: ReportCommandOptions,
  target: Target,
  io: CliIo,
): Promise<void> {
  // Checked before anything is generated, with the API's own rules and messages.
  const filter = filterOfOptions(options);
  const answer = await invokeGenerateReport(target, year, options.regenerate);
  const report = await readPublishedReport(target, answer);
  const status = `${publicationStatus(answer, options.regenerate)}\n`;
  if (options.json) {
    io.stderr(status);
    io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  io.stdout(`${reportHeading(report)}\n${status}\n${reportTable(report, filter)}\n`);
  if (target.apiUrl) io.stdout(`\nReport page: ${target.apiUrl}/?year=${year}\n`);
}

/** The options as the API reads its query: a bad value fails with the API's 400 message. */
export function filterOfOptions(options: ReportCommandOptions): ReportFilter {
  const search = new URLSearchParams();
  for (const name of ['country', 'role', 'seniority'] as const) {
    const value = options[name];
    if (value !== undefined) search.append(name, value);
  }
  try {
    return reportFilterOf(readQueryParameters(REPORT_QUERY, parameterLists(search)));
  } catch (error) {
    if (error instanceof HttpProblem) throw new CliError(error.message);
    throw error;
  }
}

/** One line on what this look at the report did: published a version, or nothing. */
function publicationStatus(answer: GenerationAnswer, regenerate: boolean): string {
  const number = answer.versionNumber;
  const named = number === undefined ? 'the current version' : `version ${number}`;
  if (!answer.generated) {
    return `Unchanged since ${named} was published: no new data, rules or settings.`;
  }
  const published = regenerate
    ? `Published ${named}, regenerated on request.`
    : number === 1
      ? `Published ${named}, the first for ${answer.year}.`
      : `Published ${named}: the year's data, rules or settings changed since the last one.`;
  return answer.current
    ? published
    : `${published} A later version was published meanwhile and stays current.`;
}

export async function invokeGenerateReport(
  target: Target,
  year: number,
  regenerate = false,
): Promise<GenerationAnswer> {
  const functionName = required(target, 'reportFunctionName', 'generating a report');
  const event = regenerate ? { year, regenerate } : { year };
  let answer: InvokeCommandOutput;
  try {
    answer = await (await target.lambda()).send(
      new InvokeCommand({ FunctionName: functionName, Payload: JSON.stringify(event) }),
    );
  } catch (error) {
    throw new CliError(`could not invoke ${functionName} on ${target.label}: ${reasonOf(error)}`);
  }
  const payload = JSON.parse(new TextDecoder().decode(answer.Payload ?? new Uint8Array())) as
    | GenerationAnswer
    | { errorMessage?: string };
  if (answer.FunctionError) {
    const message = 'errorMessage' in payload ? payload.errorMessage : undefined;
    throw new CliError(`the report for ${year} was not generated: ${message ?? 'unknown error'}`);
  }
  return payload as GenerationAnswer;
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

/** The country × role × seniority cells as a table: n, median, p25–p75, confidence. */
export function reportTable(report: Report, filter: ReportFilter = {}) {
  const cells = filterCells(report.cells, {
    ...filter,
    levels: new Set(['country-role-seniority'] as const),
  });
  const minimum = report.methodology.thresholds.minRespondents;
  const rows = cells.map((cell) => [
    cell.country ?? '',
    cell.role ?? '',
    cell.seniority ?? '',
    ...(cell.suppressed
      ? ['', '', '', `suppressed: ${suppressionReason(cell.suppression, minimum)}`]
      : [
          count(cell.n),
          usd(cell.monthly.median),
          `${usd(cell.monthly.p25)}–${usd(cell.monthly.p75)}`,
          cell.confidence,
        ]),
  ]);
  return textTable(['Country', 'Role', 'Seniority', 'n', 'Median', 'P25–P75', 'Confidence'], rows);
}

/** Why a cell is not shown, in words: the same on the page. */
export function suppressionReason(kind: SuppressionKind, minRespondents: number): string {
  return kind === 'primary'
    ? `fewer than ${minRespondents} respondents`
    : 'hidden to protect another figure';
}
