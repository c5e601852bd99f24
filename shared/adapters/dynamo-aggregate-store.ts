import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { SalaryAggregate } from '../domain/aggregate.ts';
import { type CellKey, compareCells } from '../domain/cell.ts';
import type { Role, Seniority } from '../domain/taxonomy.ts';
import type {
  AggregateReader,
  CellAggregate,
  ClaimOutcome,
  CommitOutcome,
  FileIngestionResult,
  FileYearContribution,
  IngestionRecord,
  IngestionRun,
  IngestionStore,
  ObjectVersionEvent,
  YearSnapshot,
} from '../ports/ingestion-store.ts';
import {
  type BackoffPolicy,
  batchWriteAll,
  DEFAULT_BACKOFF,
  type WriteRequest,
} from './batch-write.ts';
import { queryAll } from './dynamo-query.ts';

/**
 * DynamoDB layout (docs/data-model.md):
 *   FILE#<key> / META                       ingestion record, the per-key linearization point
 *   YEAR#<y>   / FILE#<fileId>              which run of which version counts in year y (+ counts)
 *   YEAR#<y>   / PART#<fileId>#<seq>#<run>#<cell>  that run's partial aggregate for one cell
 * A cell's value is the merge of the partials whose (fileId, seq, run) the year's pointers name.
 */
const FILES_INDEX_PARTITION = 'FILES';
const META = 'META';

export function fileIdOf(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 20);
}

const fileKey = (key: string) => ({ PK: `FILE#${key}`, SK: META });
const yearPartition = (year: number) => `YEAR#${year}`;
const pointerSortKey = (fileId: string) => `FILE#${fileId}`;
const partialPrefix = (fileId: string, run?: IngestionRun) =>
  run ? `PART#${fileId}#${run.sequencer}#${run.runId}#` : `PART#${fileId}#`;
/** How often a reader re-reads a year that changed under it before giving up. */
const CONSISTENT_READ_ATTEMPTS = 5;

/** A year's pointers and partials never agreed while reading (a publish kept racing the read). */
export class InconsistentYearError extends Error {
  constructor(readonly year: number) {
    super(`aggregates of ${year} changed during every read attempt; try again`);
    this.name = 'InconsistentYearError';
  }
}

interface StoredRecord extends IngestionRecord {
  fileId: string;
  committedSequencer?: string;
  committedRunId?: string;
  committedYears?: number[];
  /** Every year any committed version of this key touched (a number set). */
  touchedYears?: Set<number>;
  perYear?: Record<
    string,
    {
      accepted: number;
      rejected: number;
      rejectedByReason: Record<string, number>;
      /** Partial items the committed run wrote for the year. */
      partials: number;
    }
  >;
}

interface PointerItem {
  key: string;
  sequencer: string;
  runId?: string;
  /** Partial items the pointed-at run has in this year: a reader must find exactly these. */
  partials: number;
  status: 'active' | 'retracted';
  accepted: number;
  rejected: number;
  rejectedByReason: Record<string, number>;
}

interface PartialItem {
  SK: string;
  sequencer: string;
  runId: string;
  country: string;
  role: string;
  seniority: string;
  count: number;
  sumCents: string;
  sumSquaresCents: string;
  sketch: Uint8Array;
}

export class DynamoAggregateStore implements IngestionStore, AggregateReader {
  private readonly documents: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
    private readonly backoff: BackoffPolicy = DEFAULT_BACKOFF,
  ) {
    this.documents = DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true },
    });
  }

  async getRecord(key: string): Promise<IngestionRecord | undefined> {
    const stored = await this.getStoredRecord(key);
    return stored ? toPublicRecord(stored) : undefined;
  }

  async claim(event: ObjectVersionEvent, startedAt: string): Promise<ClaimOutcome> {
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: fileKey(event.key),
          UpdateExpression:
            'SET #key = :key, fileId = :fileId, sequencer = :seq, #status = :processing, ' +
            'startedAt = :startedAt, accepted = :zero, rejected = :zero, rejectedByReason = :none, ' +
            'years = :noYears, GSI1PK = :files, GSI1SK = :key' +
            (event.etag ? ', etag = :etag' : '') +
            (event.versionId ? ', versionId = :versionId' : '') +
            (event.size !== undefined ? ', #size = :size' : '') +
            ' REMOVE finishedAt, message, errorsKey, excluded, profile, profileFingerprint' +
            (event.etag ? '' : ', etag') +
            (event.versionId ? '' : ', versionId'),
          ConditionExpression:
            'attribute_not_exists(PK) OR sequencer < :seq OR (sequencer = :seq AND #status = :processing)',
          ExpressionAttributeNames: {
            '#key': 'key',
            '#status': 'status',
            ...(event.size !== undefined ? { '#size': 'size' } : {}),
          },
          ExpressionAttributeValues: {
            ':key': event.key,
            ':fileId': fileIdOf(event.key),
            ':seq': event.sequencer,
            ':processing': 'processing',
            ':startedAt': startedAt,
            ':zero': 0,
            ':none': {},
            ':noYears': [],
            ':files': FILES_INDEX_PARTITION,
            ...(event.etag ? { ':etag': event.etag } : {}),
            ...(event.versionId ? { ':versionId': event.versionId } : {}),
            ...(event.size !== undefined ? { ':size': event.size } : {}),
          },
        }),
      );
      return { kind: 'claimed' };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const current = await this.getStoredRecord(event.key);
      if (!current) throw error;
      const record = toPublicRecord(current);
      return current.sequencer > event.sequencer
        ? { kind: 'stale', current: record }
        : { kind: 'done', current: record };
    }
  }

  async writePartials(run: IngestionRun, partials: CellAggregate[]): Promise<void> {
    const fileId = fileIdOf(run.key);
    const requests: WriteRequest[] = partials.map(({ cell, aggregate }) => {
      const stored = aggregate.toStored();
      return {
        PutRequest: {
          Item: {
            PK: yearPartition(cell.year),
            SK: `${partialPrefix(fileId, run)}${cell.country}#${cell.role}#${cell.seniority}`,
            key: run.key,
            sequencer: run.sequencer,
            runId: run.runId,
            country: cell.country,
            role: cell.role,
            seniority: cell.seniority,
            count: stored.count,
            sumCents: stored.sumCents,
            sumSquaresCents: stored.sumSquaresCents,
            sketch: stored.sketch,
          },
        },
      };
    });
    await batchWriteAll(this.documents, this.tableName, requests, this.backoff);
  }

  async commit(
    run: IngestionRun,
    result: FileIngestionResult,
    finishedAt: string,
  ): Promise<CommitOutcome> {
    const years = [...result.perYear.keys()].sort((a, b) => a - b);
    const committedYears = years.filter((year) => (result.perYear.get(year)?.accepted ?? 0) > 0);
    const partialsPerYear = new Map<number, number>();
    for (const { cell } of result.partials) {
      partialsPerYear.set(cell.year, (partialsPerYear.get(cell.year) ?? 0) + 1);
    }
    const perYear = Object.fromEntries(
      [...result.perYear.entries()].map(([year, counts]) => [
        String(year),
        { ...counts, partials: partialsPerYear.get(year) ?? 0 },
      ]),
    );
    const optional: Record<string, unknown> = {};
    if (result.errorsKey) optional.errorsKey = result.errorsKey;
    if (result.message) optional.message = result.message;
    if (result.encoding) optional.encoding = result.encoding;
    if (result.delimiter) optional.delimiter = result.delimiter;
    if (result.rulesFingerprint) optional.rulesFingerprint = result.rulesFingerprint;
    if (result.excluded) optional.excluded = result.excluded;
    if (result.profile) optional.profile = result.profile;
    if (result.profileFingerprint) optional.profileFingerprint = result.profileFingerprint;
    const optionalNames = Object.keys(optional);
    const committed = await this.conditionalUpdate({
      TableName: this.tableName,
      Key: fileKey(run.key),
      UpdateExpression:
        'SET #status = :status, accepted = :accepted, rejected = :rejected, ' +
        'rejectedByReason = :byReason, years = :years, perYear = :perYear, finishedAt = :finishedAt, ' +
        'committedSequencer = :seq, committedRunId = :runId, committedYears = :committedYears' +
        optionalNames.map((name) => `, #${name} = :${name}`).join('') +
        (years.length > 0 ? ' ADD touchedYears :yearSet' : ''),
      // First run to commit wins: a second run of the same event must not swap partials
      // under readers (and its own may differ, e.g. if the rules changed in between).
      ConditionExpression:
        'sequencer = :seq AND (attribute_not_exists(committedSequencer) OR committedSequencer <> :seq)',
      ExpressionAttributeNames: {
        '#status': 'status',
        ...Object.fromEntries(optionalNames.map((name) => [`#${name}`, name])),
      },
      ExpressionAttributeValues: {
        ':status': result.status,
        ':accepted': result.accepted,
        ':rejected': result.rejected,
        ':byReason': result.rejectedByReason,
        ':years': years,
        ':perYear': perYear,
        ':finishedAt': finishedAt,
        ':seq': run.sequencer,
        ':runId': run.runId,
        ':committedYears': committedYears,
        ...Object.fromEntries(optionalNames.map((name) => [`:${name}`, optional[name]])),
        ...(years.length > 0 ? { ':yearSet': new Set(years) } : {}),
      },
    });
    if (committed) return 'committed';
    // The condition fails also when this very write was applied and its answer lost (the SDK
    // retried it): the record then names this run, and the commit stands.
    const current = await this.getStoredRecord(run.key);
    if (current?.committedSequencer === run.sequencer && current.committedRunId === run.runId) {
      return 'committed';
    }
    return current?.sequencer === run.sequencer && current.committedSequencer === run.sequencer
      ? 'duplicate'
      : 'superseded';
  }

  async commitDeletion(event: ObjectVersionEvent, finishedAt: string): Promise<boolean> {
    return this.conditionalUpdate({
      TableName: this.tableName,
      Key: fileKey(event.key),
      UpdateExpression:
        'SET #key = :key, fileId = :fileId, sequencer = :seq, #status = :deleted, ' +
        'accepted = :zero, rejected = :zero, rejectedByReason = :none, years = :noYears, ' +
        'perYear = :none, committedSequencer = :seq, committedYears = :noYears, ' +
        'committedRunId = :deletion, ' +
        'startedAt = if_not_exists(startedAt, :finishedAt), finishedAt = :finishedAt, ' +
        'GSI1PK = :files, GSI1SK = :key REMOVE errorsKey, message',
      ConditionExpression: 'attribute_not_exists(PK) OR sequencer <= :seq',
      ExpressionAttributeNames: { '#key': 'key', '#status': 'status' },
      ExpressionAttributeValues: {
        ':key': event.key,
        ':fileId': fileIdOf(event.key),
        ':seq': event.sequencer,
        ':deleted': 'deleted',
        ':deletion': 'deletion',
        ':zero': 0,
        ':none': {},
        ':noYears': [],
        ':finishedAt': finishedAt,
        ':files': FILES_INDEX_PARTITION,
      },
    });
  }

  async markSuperseded(event: ObjectVersionEvent, finishedAt: string): Promise<void> {
    await this.conditionalUpdate({
      TableName: this.tableName,
      Key: fileKey(event.key),
      UpdateExpression: 'SET #status = :superseded, finishedAt = :finishedAt',
      ConditionExpression: 'sequencer = :seq',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':superseded': 'superseded',
        ':finishedAt': finishedAt,
        ':seq': event.sequencer,
      },
    });
  }

  async publish(key: string): Promise<void> {
    const record = await this.getStoredRecord(key);
    const sequencer = record?.committedSequencer;
    if (!record || !sequencer) return;
    const runId = record.committedRunId ?? '';
    const committed = new Set(record.committedYears ?? []);
    const touched = [...(record.touchedYears ?? [])].sort((a, b) => a - b);
    for (const year of touched) {
      const counts = record.perYear?.[String(year)];
      await this.conditionalUpdate({
        TableName: this.tableName,
        Key: { PK: yearPartition(year), SK: pointerSortKey(record.fileId) },
        UpdateExpression:
          'SET #key = :key, sequencer = :seq, runId = :runId, partials = :partials, ' +
          '#status = :status, accepted = :accepted, rejected = :rejected, rejectedByReason = :byReason',
        ConditionExpression: 'attribute_not_exists(sequencer) OR sequencer <= :seq',
        ExpressionAttributeNames: { '#key': 'key', '#status': 'status' },
        ExpressionAttributeValues: {
          ':key': key,
          ':seq': sequencer,
          ':runId': runId,
          ':partials': committed.has(year) ? (counts?.partials ?? 0) : 0,
          ':status': committed.has(year) ? 'active' : 'retracted',
          ':accepted': counts?.accepted ?? 0,
          ':rejected': counts?.rejected ?? 0,
          ':byReason': counts?.rejectedByReason ?? {},
        },
      });
      // Older versions, and other runs of this one (a crashed attempt, a losing duplicate);
      // never a newer version's partials, which may belong to a run still in flight.
      await this.deletePartials(
        year,
        record.fileId,
        (partial) =>
          partial.sequencer < sequencer ||
          (partial.sequencer === sequencer && partial.runId !== runId),
      );
    }
  }

  async discardPartials(run: IngestionRun, years: number[]): Promise<void> {
    const current = await this.getStoredRecord(run.key);
    if (current?.committedSequencer === run.sequencer && current.committedRunId === run.runId) {
      return;
    }
    const fileId = fileIdOf(run.key);
    for (const year of years) {
      await this.deletePartials(
        year,
        fileId,
        (partial) => partial.sequencer === run.sequencer && partial.runId === run.runId,
      );
    }
  }

  /**
   * Merges the partials of the runs the year's pointers name. A publish racing the read can move
   * a pointer and delete what it pointed at between the pages of one Query; each pointer states
   * how many partials its run has, and a read that does not find exactly those is repeated.
   */
  async readYear(year: number): Promise<YearSnapshot> {
    for (let attempt = 1; attempt <= CONSISTENT_READ_ATTEMPTS; attempt++) {
      const snapshot = await this.readYearOnce(year);
      if (snapshot) return snapshot;
      await this.backoff.sleep(this.backoff.baseDelayMs * 2 ** (attempt - 1));
    }
    throw new InconsistentYearError(year);
  }

  private async readYearOnce(year: number): Promise<YearSnapshot | undefined> {
    const pointers = new Map<string, PointerItem>();
    const partials: PartialItem[] = [];
    for await (const item of queryAll(this.documents, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': yearPartition(year) },
      ConsistentRead: true,
    })) {
      const sortKey = String(item.SK);
      if (sortKey.startsWith('FILE#')) {
        pointers.set(sortKey.slice('FILE#'.length), item as unknown as PointerItem);
      } else if (sortKey.startsWith('PART#')) {
        partials.push(item as unknown as PartialItem);
      }
    }
    const found = new Map<string, number>();
    const byCell = new Map<string, CellAggregate>();
    for (const partial of partials) {
      const fileId = partial.SK.split('#')[1] ?? '';
      const pointer = pointers.get(fileId);
      if (
        pointer?.status !== 'active' ||
        pointer.sequencer !== partial.sequencer ||
        pointer.runId !== partial.runId
      ) {
        continue;
      }
      found.set(fileId, (found.get(fileId) ?? 0) + 1);
      const cell: CellKey = {
        year,
        country: partial.country,
        role: partial.role as Role,
        seniority: partial.seniority as Seniority,
      };
      const id = `${cell.country}#${cell.role}#${cell.seniority}`;
      const aggregate = SalaryAggregate.fromStored(partial);
      const existing = byCell.get(id);
      if (existing) existing.aggregate.merge(aggregate);
      else byCell.set(id, { cell, aggregate });
    }
    for (const [fileId, pointer] of pointers) {
      if (pointer.status === 'active' && (found.get(fileId) ?? 0) !== pointer.partials) {
        return undefined;
      }
    }
    const files: FileYearContribution[] = [...pointers.values()]
      .filter((pointer) => pointer.accepted > 0 || pointer.rejected > 0)
      .map((pointer) => ({
        key: pointer.key,
        sequencer: pointer.sequencer,
        accepted: pointer.accepted,
        rejected: pointer.rejected,
        rejectedByReason: pointer.rejectedByReason,
      }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const cells = [...byCell.values()].sort((a, b) => compareCells(a.cell, b.cell));
    return { year, cells, files };
  }

  async listIngestionRecords(year?: number): Promise<IngestionRecord[]> {
    const keys: string[] = [];
    if (year === undefined) {
      for await (const item of queryAll(this.documents, {
        TableName: this.tableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :files',
        ExpressionAttributeValues: { ':files': FILES_INDEX_PARTITION },
        ProjectionExpression: '#key',
        ExpressionAttributeNames: { '#key': 'key' },
      })) {
        keys.push(String(item.key));
      }
    } else {
      for await (const item of queryAll(this.documents, {
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :files)',
        ExpressionAttributeValues: { ':pk': yearPartition(year), ':files': 'FILE#' },
        ConsistentRead: true,
      })) {
        keys.push((item as unknown as PointerItem).key);
      }
    }
    const records = await this.batchGetRecords(keys);
    return records
      .filter((record) => year === undefined || record.status !== 'deleted')
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  private async batchGetRecords(keys: string[]): Promise<IngestionRecord[]> {
    const records: IngestionRecord[] = [];
    for (let start = 0; start < keys.length; start += 100) {
      let pending: Record<string, unknown>[] = keys.slice(start, start + 100).map(fileKey);
      for (let attempt = 1; pending.length > 0; attempt++) {
        const response = await this.documents.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending } } }),
        );
        for (const item of response.Responses?.[this.tableName] ?? []) {
          records.push(toPublicRecord(item as StoredRecord));
        }
        pending = response.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
        if (pending.length > 0) {
          if (attempt >= this.backoff.maxAttempts) {
            throw new Error(`${pending.length} ingestion record read(s) still unprocessed`);
          }
          await this.backoff.sleep(this.backoff.baseDelayMs * 2 ** (attempt - 1));
        }
      }
    }
    return records;
  }

  private async getStoredRecord(key: string): Promise<StoredRecord | undefined> {
    const response = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: fileKey(key), ConsistentRead: true }),
    );
    return response.Item as StoredRecord | undefined;
  }

  private async deletePartials(
    year: number,
    fileId: string,
    shouldDelete: (partial: { sequencer: string; runId: string }) => boolean,
  ): Promise<void> {
    const requests: WriteRequest[] = [];
    for await (const item of queryAll(this.documents, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': yearPartition(year), ':prefix': partialPrefix(fileId) },
      ProjectionExpression: 'PK, SK, sequencer, runId',
      ConsistentRead: true,
    })) {
      if (shouldDelete({ sequencer: String(item.sequencer), runId: String(item.runId) })) {
        requests.push({ DeleteRequest: { Key: { PK: item.PK, SK: item.SK } } });
      }
    }
    await batchWriteAll(this.documents, this.tableName, requests, this.backoff);
  }

  /** Runs a conditional update; false when the condition did not hold (lost to a newer event). */
  private async conditionalUpdate(
    input: ConstructorParameters<typeof UpdateCommand>[0],
  ): Promise<boolean> {
    try {
      await this.documents.send(new UpdateCommand(input));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}

function toPublicRecord(stored: StoredRecord): IngestionRecord {
  const record: IngestionRecord = {
    key: stored.key,
    sequencer: stored.sequencer,
    status: stored.status,
    accepted: stored.accepted ?? 0,
    rejected: stored.rejected ?? 0,
    rejectedByReason: stored.rejectedByReason ?? {},
    years: [...(stored.years ?? [])].map(Number).sort((a, b) => a - b),
    startedAt: stored.startedAt,
  };
  const optionalFields = [
    'versionId',
    'etag',
    'size',
    'errorsKey',
    'message',
    'encoding',
    'delimiter',
    'rulesFingerprint',
    'excluded',
    'profile',
    'profileFingerprint',
    'finishedAt',
  ] as const;
  for (const field of optionalFields) {
    const value = stored[field];
    if (value !== undefined) Object.assign(record, { [field]: value });
  }
  return record;
}
