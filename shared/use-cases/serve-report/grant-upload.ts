import * as z from 'zod';
import { GRANTED_UPLOAD_KEY_PATTERN, UPLOAD_SUFFIX, uploadKey } from '../../bucket-layout.ts';
import { isProfileName, PROFILE_METADATA_KEY } from '../../domain/profile.ts';
import { surveyYearProblem } from '../../domain/report/years.ts';
import { ValidationError } from '../../errors.ts';

/** Signs a one-off PUT of exactly one object, so a browser can upload without AWS credentials. */
export interface UploadUrlSigner {
  presignPut(request: {
    key: string;
    contentType: string;
    contentLength: number;
    expiresInSeconds: number;
    /** User metadata the PUT must carry (`x-amz-meta-<name>`), bound by the signature. */
    metadata?: Record<string, string>;
  }): Promise<{ url: string; headers: Record<string, string> }>;
}

/** What the caller needs to upload: send `method` to `url` with exactly these headers. */
export const UploadGrantSchema = z.object({
  key: z.string().regex(new RegExp(GRANTED_UPLOAD_KEY_PATTERN)),
  method: z.literal('PUT'),
  url: z.url(),
  headers: z.record(z.string(), z.string()),
  maxBytes: z.int(),
  expiresAt: z.iso.datetime(),
});
export type UploadGrant = z.infer<typeof UploadGrantSchema>;

export interface GrantUploadDependencies {
  signer: UploadUrlSigner;
  maxBytes: number;
  newUploadId: () => string;
  now: () => Date;
}

/** Surveys are CSV files; the signature binds this content type. */
export const UPLOAD_CONTENT_TYPE = 'text/csv';
/** Long enough to pick a large file on a slow link, short enough that a leaked URL soon dies. */
export const UPLOAD_URL_LIFETIME_SECONDS = 900;

/**
 * Grants one survey upload.
 *
 * Input: the survey year, the file's exact size in bytes and optionally the name of a mapping
 * profile in the bucket. Output: a presigned PUT.
 * Steps: 1. check the year is in range, the size is 1 byte to `maxBytes` and the profile a
 * profile name; 2. choose the key `uploads/<year>/<generated-id>.csv` (the caller never picks
 * keys, so it can neither overwrite nor escape the prefix); 3. sign a PUT binding content type,
 * content length and the `profile` user metadata, so S3 refuses any other type, size or profile
 * (ingestion reads the file through that profile, and rejects it whole if the bucket has none).
 */
export async function grantUpload(
  request: { year: number; contentLength: number; profile?: string },
  deps: GrantUploadDependencies,
): Promise<UploadGrant> {
  const now = deps.now();
  const yearProblem = surveyYearProblem(request.year, now);
  if (yearProblem) throw new ValidationError(`year ${yearProblem}`);
  const { contentLength } = request;
  if (!Number.isInteger(contentLength) || contentLength < 1 || contentLength > deps.maxBytes) {
    throw new ValidationError(
      `contentLength must be the file's size in bytes, from 1 to ${deps.maxBytes}`,
    );
  }
  const { profile } = request;
  if (profile !== undefined && !isProfileName(profile)) {
    throw new ValidationError(
      'profile must be the name of a profile in the bucket (letters, digits, ".", "_", "-")',
    );
  }
  const key = uploadKey(request.year, `${deps.newUploadId()}${UPLOAD_SUFFIX}`);
  const signed = await deps.signer.presignPut({
    key,
    contentType: UPLOAD_CONTENT_TYPE,
    contentLength,
    expiresInSeconds: UPLOAD_URL_LIFETIME_SECONDS,
    ...(profile === undefined ? {} : { metadata: { [PROFILE_METADATA_KEY]: profile } }),
  });
  return {
    key,
    method: 'PUT',
    url: signed.url,
    headers: signed.headers,
    maxBytes: deps.maxBytes,
    expiresAt: new Date(now.getTime() + UPLOAD_URL_LIFETIME_SECONDS * 1000).toISOString(),
  };
}
