import { DynamoConditionalStore } from '#shared/adapters/dynamo-conditional-store.ts';
import { IngestionProtocol } from '#shared/use-cases/ingestion/protocol.ts';
import { CliError, reasonOf } from '../errors.ts';
import { ingestionTable, suggestedCommand, textTable } from '../format.ts';
import type { CliIo } from '../io.ts';
import { readDeadLetters } from '../local/state.ts';
import { required, type Target } from '../target.ts';

/**
 * Prints the ingestion record of every file (or the files touching `year`): status, accepted and
 * rejected rows, where the rejected rows are. In local mode also the S3 events ingestion gave up
 * on (the local dead-letter list); a deployed stack's are in its dead-letter queue.
 */
export async function statusCommand(
  year: number | undefined,
  target: Target,
  io: CliIo,
): Promise<void> {
  const tableName = required(target, 'tableName', 'listing ingestion records');
  const store = new IngestionProtocol(new DynamoConditionalStore(await target.dynamo(), tableName));
  let records: Awaited<ReturnType<IngestionProtocol['listIngestionRecords']>>;
  try {
    records = await store.listIngestionRecords(year);
  } catch (error) {
    throw new CliError(`could not read ingestion records of ${target.label}: ${reasonOf(error)}`);
  }
  const scope = year === undefined ? '' : ` for ${year}`;
  io.stdout(
    records.length === 0
      ? `No files ingested${scope} on ${target.label}.\n`
      : `Files${scope} on ${target.label}:\n${ingestionTable(records, target.bucketName ?? '')}\n`,
  );
  // The errors files' S3 addresses open nowhere locally: the command that prints one does.
  const withRejected = records.find((record) => record.errorsKey);
  if (withRejected) {
    io.stdout(
      `Rejected rows of a file: ${suggestedCommand(['rejected', withRejected.key, ...target.commandFlags])}\n`,
    );
  }
  if (!target.local) return;
  const letters = readDeadLetters(target.local.dataDirectory);
  if (letters.length === 0) return;
  // The event parser (and its schema library) loads only when there are letters to describe.
  const { parseS3NotificationBody } = await import('#shared/adapters/s3-notification-messages.ts');
  const describeEvent = (body: string): [string, string] => {
    try {
      const events = parseS3NotificationBody(body);
      return [
        events.map((event) => event.kind).join(', '),
        events.map((event) => event.key).join(', '),
      ];
    } catch {
      return ['unreadable', body.slice(0, 80)];
    }
  };
  io.stdout(
    `\nS3 events ingestion gave up on after ${letters[0]?.receiveCount ?? ''} attempts ` +
      `(dead letters in ${target.local.dataDirectory}):\n` +
      textTable(
        ['Failed at', 'Event', 'Object'],
        letters.map((letter) => [letter.failedAt, ...describeEvent(letter.body)]),
      ) +
      '\n',
  );
}
