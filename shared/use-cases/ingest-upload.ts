import {
  BUCKET_PREFIXES,
  rejectedRowsKey,
  UPLOAD_SUFFIX,
  yearOfUploadKey,
} from '../bucket-layout.ts';
import { encodePartials } from '../domain/partial-payload.ts';
import { DEFAULT_RULES, type NormalizationRules, rulesFingerprint } from '../domain/rules/index.ts';
import type { ObjectEvent } from '../domain/s3-event.ts';
import { aggregateCsv } from '../domain/survey-file.ts';
import { FileRejectedError, SalaryReportError } from '../errors.ts';
import type {
  FileIngestionResult,
  IngestionRun,
  IngestionStore,
  ObjectVersionEvent,
} from '../ports/ingestion-store.ts';
import { ObjectChangedError, type ObjectStore, type ObjectVersion } from '../ports/object-store.ts';
import type { RejectionLog } from '../ports/rejection-log.ts';
import { loadUploadProfile } from './load-profile.ts';
import { loadNormalizationRules } from './load-rules.ts';

export interface IngestDependencies {
  objects: ObjectStore;
  store: IngestionStore;
  newRejectionLog: () => RejectionLog;
  /** A fresh id per ingestion attempt (retries of one event get different ids). */
  newRunId: () => string;
  now: () => Date;
  log: (message: string, context: Record<string, unknown>) => void;
}

export type IngestOutcome =
  | { kind: 'ignored'; key: string; reason: string }
  | { kind: 'stale'; key: string }
  | { kind: 'duplicate'; key: string }
  | { kind: 'superseded'; key: string }
  | { kind: 'ingested' | 'rejected'; key: string; accepted: number; rejected: number }
  | { kind: 'deleted'; key: string };

/**
 * Applies one S3 event to the aggregates so they always equal the accepted rows of exactly the
 * files now in the bucket, whatever the number, order or concurrency of deliveries.
 *
 * Created: 1. ignore keys outside `uploads/` and non-CSV objects; 2. claim the key for this
 * event's sequencer (stop if a newer event was seen; if this one was fully applied, only
 * re-publish); 3. load the mapping profile the version's metadata names, if any (missing or
 * invalid: the whole file is rejected), and stream the object's exact version through it into
 * per-cell partials, rejected rows into a temporary errors file, excluded rows into counts; 4. store the errors file next to the upload (or remove a stale one)
 * and, side by side, 5. write the partials under keys derived from (file, sequencer, run, cell); 6. commit the run
 * on the ingestion record, conditional on no newer claim and no other committed run of this
 * event; 7. publish: point each year at the committed run and delete every other partial;
 * 8. if publishing found the committed run's partials damaged, ingest the object again.
 * Removed: 1. if the key still has a current object (a versioned bucket lost a noncurrent
 * version, or an older version became current again), ingest that object instead; 2. otherwise
 * commit the deletion unless a newer event was seen; 3. publish (retracts every year);
 * 4. remove the errors file.
 */
export async function ingestObjectEvent(
  event: ObjectEvent,
  deps: IngestDependencies,
): Promise<IngestOutcome> {
  const { key } = event;
  if (!key.startsWith(BUCKET_PREFIXES.uploads)) {
    return ignore(deps, key, `outside ${BUCKET_PREFIXES.uploads}`);
  }
  if (!key.toLowerCase().endsWith(UPLOAD_SUFFIX)) {
    return ignore(deps, key, `not a ${UPLOAD_SUFFIX} object`);
  }
  const version: ObjectVersionEvent = {
    key,
    sequencer: event.sequencer,
    ...(event.kind === 'created' && event.versionId ? { versionId: event.versionId } : {}),
    ...(event.kind === 'created' && event.etag ? { etag: event.etag } : {}),
    ...(event.kind === 'created' && event.size !== undefined ? { size: event.size } : {}),
  };
  return event.kind === 'removed' ? removeFile(version, deps) : ingestFile(version, deps);
}

async function ingestFile(
  version: ObjectVersionEvent,
  deps: IngestDependencies,
): Promise<IngestOutcome> {
  const { key } = version;
  const claim = await deps.store.claim(version, deps.now().toISOString());
  if (claim.kind === 'stale') {
    deps.log('event older than the last one seen for this key; skipped', {
      key,
      sequencer: version.sequencer,
      current: claim.current.sequencer,
    });
    return { kind: 'stale', key };
  }
  if (claim.kind === 'done') {
    return (
      (await publishOrRepair(key, deps, { mayRepair: true })).repair ?? { kind: 'duplicate', key }
    );
  }

  const rules = await loadNormalizationRules(deps.objects);
  const rejections = deps.newRejectionLog();
  let source: OpenedVersion | undefined;
  try {
    let result: FileIngestionResult;
    try {
      source = await openVersion(deps.objects, version);
      const profile = await loadUploadProfile(version, source.metadata, deps.objects, rules);
      const { aggregation, format } = await aggregateCsv({
        fileName: key,
        open: source.open,
        rules,
        ...(profile ? { profile } : {}),
        yearFromKey: yearOfUploadKey(key),
        latestYear: deps.now().getUTCFullYear(),
        rejections,
      });
      result = {
        status: 'ingested',
        accepted: aggregation.accepted,
        rejected: aggregation.rejected,
        rejectedByReason: { ...aggregation.rejectedByReason },
        partials: encodePartials(
          [...aggregation.cells.values()].map(({ submission, aggregate }) => ({
            cell: submission.cell,
            aggregate,
          })),
        ),
        perYear: aggregation.perYear,
        encoding: format.encoding,
        delimiter: format.delimiter,
        rulesFingerprint: fingerprintOf(rules),
        ...(aggregation.excludedTotal > 0 ? { excluded: { ...aggregation.excluded } } : {}),
        ...(profile ? { profile: profile.name, profileFingerprint: profile.fingerprint } : {}),
      };
    } catch (error) {
      if (error instanceof ObjectChangedError) {
        await deps.store.markSuperseded(version, deps.now().toISOString());
        deps.log('object changed or vanished before it was read; a later event covers it', { key });
        return { kind: 'superseded', key };
      }
      if (!(error instanceof FileRejectedError)) throw error;
      rejections.reset();
      rejections.addFileError(error.message);
      // A rejected new version still replaces the old one: its numbers must leave the aggregates.
      // Listed under its key's year, so the year's uploads show the file and why it was refused.
      const keyYear = yearOfUploadKey(key);
      result = {
        status: 'rejected',
        accepted: 0,
        rejected: 0,
        rejectedByReason: {},
        partials: [],
        perYear: new Map(
          keyYear === undefined
            ? []
            : [[keyYear, { accepted: 0, rejected: 0, rejectedByReason: {} }]],
        ),
        message: error.message,
        rulesFingerprint: fingerprintOf(rules),
        ...(typeof error.context.profile === 'string' ? { profile: error.context.profile } : {}),
      };
    }

    const errorsKey = rejectedRowsKey(key);
    if (rejections.count > 0) result.errorsKey = errorsKey;
    const run: IngestionRun = { ...version, runId: deps.newRunId() };
    // The errors file and the partials are independent of each other and both precede the
    // commit: written side by side, and both ended (written or failed) before going on.
    await allEnded([
      rejections.count > 0 ? rejections.saveTo(errorsKey) : deps.objects.delete(errorsKey),
      deps.store.writePartials(run, result.partials),
    ]);
    const outcome = await deps.store.commit(run, result, deps.now().toISOString());
    if (outcome !== 'committed') {
      await deps.store.discardPartials(run, [...result.perYear.keys()]);
      deps.log('another run won while the file was read; this run was discarded', { key, outcome });
      if (outcome === 'duplicate') {
        return (
          (await publishOrRepair(key, deps, { mayRepair: true })).repair ?? { kind: outcome, key }
        );
      }
      return { kind: outcome, key };
    }
    // Partials this run has just written are all there unless something else deleted them:
    // another ingestion would not do better, so that fails the message (SQS retries it).
    await publishOrRepair(key, deps, { mayRepair: false });
    return { kind: result.status, key, accepted: result.accepted, rejected: result.rejected };
  } finally {
    rejections.dispose();
    await source?.close();
  }
}

interface OpenedVersion {
  /** The version's user metadata (the mapping profile it names, if any). */
  metadata: Readonly<Record<string, string>>;
  /** The version's bytes: the stream already opened first, then the version opened again. */
  open: () => Promise<AsyncIterable<Uint8Array>>;
  /** Ends the first stream if nothing read it (the file was rejected before reading). */
  close: () => Promise<void>;
}

/**
 * Opens the exact version once for its metadata and its bytes together (one `GetObject`, no
 * separate `HeadObject`). A second read of the bytes (the CSV reader's other encoding) opens the
 * same version again.
 */
async function openVersion(objects: ObjectStore, version: ObjectVersion): Promise<OpenedVersion> {
  const opened = await objects.openRead(version);
  let unread: AsyncIterable<Uint8Array> | undefined = opened.body;
  return {
    metadata: opened.metadata,
    open: async () => {
      const body = unread ?? (await objects.openRead(version)).body;
      unread = undefined;
      return body;
    },
    close: async () => {
      const body = unread;
      unread = undefined;
      await body?.[Symbol.asyncIterator]().return?.();
    },
  };
}

/**
 * Rules fingerprints by rules object. The shipped rules' is computed once per process, at module
 * load (Lambda's INIT): an event whose bucket has no overrides reuses it. Rules with overrides are
 * loaded afresh for every event, so theirs is computed per event.
 */
const fingerprints = new WeakMap<NormalizationRules, string>([
  [DEFAULT_RULES, rulesFingerprint(DEFAULT_RULES)],
]);

function fingerprintOf(rules: NormalizationRules): string {
  let fingerprint = fingerprints.get(rules);
  if (fingerprint === undefined) {
    fingerprint = rulesFingerprint(rules);
    fingerprints.set(rules, fingerprint);
  }
  return fingerprint;
}

/** Waits for every promise to settle, then throws the first failure, if any. */
async function allEnded(work: readonly Promise<unknown>[]): Promise<void> {
  for (const outcome of await Promise.allSettled(work)) {
    if (outcome.status === 'rejected') throw outcome.reason;
  }
}

/** The committed run's partials of a file are damaged, and ingesting it again did not help. */
export class DamagedPartialsError extends SalaryReportError {}

/**
 * Publishes the key's committed version. If some of its partial items are missing (damage from
 * outside the protocol), the object is ingested again as a repair of that version: under the
 * sequencer `<sequencer>R0001` (then R0002, …), which sorts after the version it repairs and
 * before any later S3 event of the key, so the repair commits as a new version and its publish
 * replaces the damaged run.
 */
export async function publishOrRepair(
  key: string,
  deps: IngestDependencies,
  options: { mayRepair: boolean },
): Promise<{ pointersWritten: number; repair?: IngestOutcome }> {
  const { incompleteYears, pointersWritten } = await deps.store.publish(key);
  if (incompleteYears.length === 0) return { pointersWritten };
  const record = await deps.store.getRecord(key);
  if (!options.mayRepair || !record) {
    throw new DamagedPartialsError(
      `the partials of ${key} in ${incompleteYears.join(', ')} vanished right after they were written`,
      { key, years: incompleteYears },
    );
  }
  // A newer event is being processed: its own publish replaces the damaged version.
  if (record.status === 'processing') return { pointersWritten };
  deps.log('partials of the committed version are incomplete; ingesting the object again', {
    key,
    sequencer: record.sequencer,
    years: incompleteYears,
  });
  const repair = await ingestFile(
    {
      key,
      sequencer: repairSequencer(record.sequencer),
      ...(record.versionId ? { versionId: record.versionId } : {}),
      ...(record.etag ? { etag: record.etag } : {}),
      ...(record.size !== undefined ? { size: record.size } : {}),
    },
    deps,
  );
  return { pointersWritten, repair };
}

/** `…A0` → `…A0R0001`, `…A0R0001` → `…A0R0002`: after the repaired version, before any later one. */
export function repairSequencer(sequencer: string): string {
  const match = /^(.*)R(\d{4})$/.exec(sequencer);
  const base = match?.[1] ?? sequencer;
  const next = Number(match?.[2] ?? 0) + 1;
  return `${base}R${String(next).padStart(4, '0')}`;
}

async function removeFile(
  version: ObjectVersionEvent,
  deps: IngestDependencies,
): Promise<IngestOutcome> {
  const current = await deps.objects.headCurrent(version.key);
  if (current) {
    deps.log('removal event, but the key still has a current object; ingesting it', {
      key: version.key,
      sequencer: version.sequencer,
    });
    return ingestFile({ ...version, ...current }, deps);
  }
  const committed = await deps.store.commitDeletion(version, deps.now().toISOString());
  if (!committed) return { kind: 'stale', key: version.key };
  await deps.store.publish(version.key);
  await deps.objects.delete(rejectedRowsKey(version.key));
  return { kind: 'deleted', key: version.key };
}

function ignore(deps: IngestDependencies, key: string, reason: string): IngestOutcome {
  deps.log('object ignored', { key, reason });
  return { kind: 'ignored', key, reason };
}
