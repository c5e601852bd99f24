import * as z from 'zod';
import { GRANTED_UPLOAD_KEY_PATTERN, UPLOAD_SUFFIX, uploadKey } from '../../bucket-layout.ts';
import { reportYearRange } from '../../domain/report/years.ts';
import { ValidationError } from '../../errors.ts';

/** Signs a one-off PUT of exactly one object, so a browser can upload without AWS credentials. */
export interface UploadUrlSigner {
  presignPut(request: {
    key: string;
    contentType: string;
    contentLength: number;
    expiresInSeconds: number;
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
 * Input: the survey year and the file's exact size in bytes. Output: a presigned PUT.
 * Steps: 1. check the year is in range and the size is 1 byte to `maxBytes`; 2. choose the key
 * `uploads/<year>/<generated-id>.csv` (the caller never picks keys, so it can neither overwrite nor
 * escape the prefix); 3. sign a PUT binding content type and content length, so S3 refuses any
 * other type or size.
 */
export async function grantUpload(
  request: { year: number; contentLength: number },
  deps: GrantUploadDependencies,
): Promise<UploadGrant> {
  const now = deps.now();
  const { min, max } = reportYearRange(now);
  if (!Number.isInteger(request.year) || request.year < min || request.year > max) {
    throw new ValidationError(`year must be a whole year from ${min} to ${max}`);
  }
  const { contentLength } = request;
  if (!Number.isInteger(contentLength) || contentLength < 1 || contentLength > deps.maxBytes) {
    throw new ValidationError(
      `contentLength must be the file's size in bytes, from 1 to ${deps.maxBytes}`,
    );
  }
  const key = uploadKey(request.year, `${deps.newUploadId()}${UPLOAD_SUFFIX}`);
  const signed = await deps.signer.presignPut({
    key,
    contentType: UPLOAD_CONTENT_TYPE,
    contentLength,
    expiresInSeconds: UPLOAD_URL_LIFETIME_SECONDS,
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
