import * as z from 'zod';
import { PROFILE_NAME_PATTERN } from '../domain/profile.ts';
import { isIsoCountryCode } from '../domain/report/iso-country-codes.ts';
import { ComparisonSchema, CountryCodeSchema, ReportCountsSchema } from '../domain/report/model.ts';
import type { IngestionStatus } from '../ports/ingestion-store.ts';

/**
 * The API's own bodies, around the report model of `domain/report/model.ts`: listings, the
 * comparison view, the upload request and the problem document of every error. Types derive from
 * these schemas; the OpenAPI document (`openapi.ts`) is generated from them.
 */

/** One wrong request parameter, named so a client can point at the field. */
export const InvalidParameterSchema = z.object({ name: z.string(), reason: z.string() });
export type InvalidParameter = z.infer<typeof InvalidParameterSchema>;

/** An RFC 9457 problem document, the body of every error response. */
export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    invalidParams: z.array(InvalidParameterSchema).optional(),
  })
  .describe('RFC 9457 problem details.');
export type ProblemDocument = z.infer<typeof ProblemSchema>;

const timestamp = z.iso.datetime();

/** Public listing row of one year's current report. */
export const ReportSummarySchema = z.object({
  year: z.int(),
  version: z.string(),
  versionNumber: z
    .int()
    .min(1)
    .optional()
    .describe('Absent for versions published before versions were numbered.'),
  generatedAt: timestamp,
  counts: ReportCountsSchema,
});
export type ReportSummary = z.infer<typeof ReportSummarySchema>;

export const ReportListSchema = z.object({ reports: z.array(ReportSummarySchema) });

/** GET /reports/{year}/compare: one comparison with the report it comes from. */
export const ComparisonViewSchema = z.object({
  year: z.int(),
  version: z.string(),
  generatedAt: timestamp,
  currency: z.literal('USD'),
  comparison: ComparisonSchema,
});

/** Every ingestion status a listing can show: the compiler checks it against the store's. */
const INGESTION_STATUSES: { [Status in IngestionStatus]: Status } = {
  processing: 'processing',
  ingested: 'ingested',
  rejected: 'rejected',
  deleted: 'deleted',
  superseded: 'superseded',
};

/** Public view of one file's ingestion: counts only, never rows or where rejected rows are kept. */
export const UploadSummarySchema = z.object({
  key: z.string(),
  status: z.enum(INGESTION_STATUSES),
  accepted: z.int().min(0),
  rejected: z.int().min(0),
  rejectedByReason: z.record(z.string(), z.int()),
  years: z.array(z.int()),
  inYear: z
    .object({ accepted: z.int().min(0), rejected: z.int().min(0) })
    .optional()
    .describe(
      "This file's rows counted in the year's report; over all files they add up to the report's methodology counts.",
    ),
  rejectedWithoutYear: z
    .int()
    .min(0)
    .optional()
    .describe(
      "Rejected rows whose year could not be read (or lay outside the survey years): part of the file's rejected rows, in no year's report.",
    ),
  startedAt: timestamp,
  finishedAt: timestamp.optional(),
  message: z.string().optional(),
});
export type UploadSummary = z.infer<typeof UploadSummarySchema>;

export const UploadListSchema = z.object({
  year: z.int(),
  uploads: z.array(UploadSummarySchema),
});

/** The JSON body of POST /uploads. */
export const UploadRequestSchema = z.strictObject({
  year: z.int(),
  contentLength: z
    .int()
    .min(1)
    .describe("The file's exact size in bytes, at most the configured limit."),
  profile: z
    .string()
    .regex(PROFILE_NAME_PATTERN)
    .optional()
    .describe(
      'The name of a mapping profile in the bucket (config/profiles/<name>.json, docs/profiles.md). The grant binds it as the x-amz-meta-profile header, which the PUT must send.',
    ),
});
export type UploadRequest = z.infer<typeof UploadRequestSchema>;

/** A country code as a query value: any case, an assigned ISO 3166-1 alpha-2 code. */
export const CountryQueryValueSchema = z
  .string()
  .regex(/^[A-Za-z]{2}$/)
  .transform((code) => code.toUpperCase())
  .pipe(CountryCodeSchema.refine(isIsoCountryCode));
