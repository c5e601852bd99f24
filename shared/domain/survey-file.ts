import { type CsvFormat, type CsvReadOptions, readCsvRecords } from './csv/read-csv.ts';
import { FileAggregation } from './file-aggregation.ts';
import { mapColumns } from './header-mapping.ts';
import { createRecordNormalizer, type RecordNormalizer } from './normalize.ts';
import type { MappingProfile } from './profile.ts';
import type { NormalizationRules } from './rules/index.ts';
import type { RowRejection } from './submission.ts';

/** Where rejected rows go as they are found (a file, in production), so memory stays flat. */
export interface RejectionSink {
  add(rejection: RowRejection): void;
  /** Forget everything added so far (the file is being re-read with another encoding). */
  reset(): void;
}

export interface AggregateCsvInput {
  fileName: string;
  open: () => Promise<AsyncIterable<Uint8Array>>;
  rules: NormalizationRules;
  yearFromKey?: number;
  /** The latest year a row may belong to (the current year). */
  latestYear?: number;
  rejections: RejectionSink;
  /** The mapping profile the upload names, if any. */
  profile?: MappingProfile;
  /** Told of each excluded row (a dry run shows where they are); counts are kept regardless. */
  onExcluded?: (reason: string, line: number) => void;
  /** How the file is read (tests compare the ways; the defaults are the fastest). */
  csv?: CsvReadOptions;
}

export interface AggregateCsvResult {
  aggregation: FileAggregation;
  format: CsvFormat;
}

/**
 * Streams a survey CSV into per-cell partial aggregates.
 *
 * Steps: 1. decode and parse records as they arrive (restarting if the encoding guess was wrong);
 * 2. map the header to canonical columns, through the profile when there is one (a missing
 * required column rejects the whole file); 3. normalize each record into a submission, a rejection
 * or an exclusion; 4. fold submissions into their cell's aggregate, stream rejections to the sink
 * and count exclusions by reason.
 * Throws FileRejectedError for whole-file problems.
 */
export async function aggregateCsv(input: AggregateCsvInput): Promise<AggregateCsvResult> {
  let aggregation = new FileAggregation();
  let normalize: RecordNormalizer | undefined;
  const summary = await readCsvRecords(
    input.fileName,
    input.open,
    {
      onStart() {
        aggregation = new FileAggregation();
        normalize = undefined;
        input.rejections.reset();
      },
      onHeader(header) {
        const mapping = mapColumns(header, input.fileName, input.profile);
        normalize = createRecordNormalizer(input.rules, mapping, {
          fileName: input.fileName,
          ...(input.profile ? { profile: input.profile } : {}),
          ...(input.yearFromKey !== undefined ? { yearFromKey: input.yearFromKey } : {}),
          ...(input.latestYear !== undefined ? { latestYear: input.latestYear } : {}),
        });
        return normalize.fieldsRead;
      },
      onRecord(record, line) {
        if (!normalize) return;
        const outcome = normalize.check(record, line);
        if (outcome === undefined) {
          aggregation.addAccepted(normalize.accepted);
        } else if (outcome.ok) {
          aggregation.addSubmission(outcome.submission);
        } else if (outcome.rejection) {
          aggregation.addRejection(outcome.rejection);
          input.rejections.add(outcome.rejection);
        } else {
          aggregation.addExclusion(outcome.excluded);
          input.onExcluded?.(outcome.excluded, line);
        }
      },
    },
    input.csv,
  );
  return { aggregation, format: summary.format };
}
