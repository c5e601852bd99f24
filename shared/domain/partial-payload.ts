import { StoredAggregateError } from '../errors.ts';
import { type CellKey, compareCells } from './cell.ts';
import { SortSpace } from './salaries/cents-buffer.ts';
import { ByteWriter, decodePartialPayload, writePartialPayload } from './salaries/cents-codec.ts';
import { EXACT_CHUNK_FORMAT, joinChunks, splitIntoChunks } from './salaries/chunks.ts';
import { SalaryAggregate } from './salaries/salary-aggregate.ts';
import type { CountryCode, Role, Seniority } from './taxonomy.ts';

/**
 * One stored piece of a file's partial aggregate for one cell. The ingestion protocol writes,
 * counts and deletes these items without looking inside `payload`; this module alone knows what
 * the bytes mean. A cell's partial takes as many items (`part` 0, 1, …) as its exact values need
 * to stay under the storage's item size limit (`MAX_CHUNK_BYTES`).
 */
export interface PartialItem {
  year: number;
  /** The cell within the year (`country#role#seniority`), opaque to the protocol. */
  cell: string;
  part: number;
  payload: Uint8Array;
}

/** A cell's aggregate, before encoding and after decoding. */
export interface CellPartial {
  cell: CellKey;
  aggregate: SalaryAggregate;
}

/**
 * Payload formats, told apart by their first byte (docs/data-model.md, "Partial payloads"):
 * - 2 (`EXACT_CHUNK_FORMAT`): a chunk of the cell's exact values — every salary in integer cents,
 *   sorted, delta + varint (`salaries/cents-codec.ts`), cut into integrity-checked chunks
 *   (`salaries/chunks.ts`). Written by ingestion.
 * - 1 (`SKETCH_FORMAT`): count, sums and a DDSketch, `[1][header length, u32 BE][header JSON]
 *   [DDSketch protobuf]`, one item per cell. Written before exact values; still read, as an
 *   aggregate whose quantiles come from the sketch (a report then says so), until the file is
 *   ingested again (`salary-report reingest <year>`).
 */
export const SKETCH_FORMAT = 1;
const SKETCH_HEADER_OFFSET = 5;

interface SketchHeader {
  count: number;
  sumCents: string;
  sumSquaresCents: string;
}

const SEPARATOR = '#';

/** Every cell's exact values as the items to store: one or more per cell. */
export function encodePartials(partials: readonly CellPartial[]): PartialItem[] {
  // One sort space and one writer for every cell, each as large as the largest cell needs: encoding
  // a file's partials allocates little more than the chunks it returns.
  let largest = 0;
  for (const { aggregate } of partials) largest = Math.max(largest, aggregate.count);
  const space = new SortSpace(largest);
  const writer = new ByteWriter();
  const items: PartialItem[] = [];
  for (const { cell, aggregate } of partials) {
    writer.clear();
    writePartialPayload(writer, {
      year: cell.year,
      cells: [{ cell, sortedCents: aggregate.sortedCentsIn(space) }],
    });
    const name = `${cell.country}${SEPARATOR}${cell.role}${SEPARATOR}${cell.seniority}`;
    const chunks = splitIntoChunks(writer.view());
    for (let part = 0; part < chunks.length; part++) {
      items.push({ year: cell.year, cell: name, part, payload: chunks[part] as Uint8Array });
    }
  }
  return items;
}

/**
 * Rebuilds one file's partial of one cell from the payloads of its items (any order). Exact
 * values are checked end to end: every chunk present once, the digest, and the year and cell
 * named inside the payload.
 */
export function decodePartial(
  year: number,
  cell: string,
  payloads: readonly Uint8Array[],
): CellPartial {
  const [country, role, seniority] = cell.split(SEPARATOR);
  if (!country || !role || !seniority || payloads.length === 0) {
    throw damaged(year, cell, `no partial of cell ${year}#${cell} (${payloads.length} items)`);
  }
  const key: CellKey = {
    year,
    country: country as CountryCode,
    role: role as Role,
    seniority: seniority as Seniority,
  };
  const format = payloads[0]?.[0];
  if (format === SKETCH_FORMAT) {
    if (payloads.length !== 1) {
      throw damaged(year, cell, `a sketch-format partial in ${payloads.length} items`);
    }
    return { cell: key, aggregate: decodeSketch(payloads[0] as Uint8Array, year, cell) };
  }
  if (format !== EXACT_CHUNK_FORMAT) {
    throw damaged(year, cell, `unknown partial payload format ${format}`);
  }
  const decoded = decodePartialPayload(joinChunks(payloads));
  const [only, ...others] = decoded.cells;
  if (decoded.year !== year || !only || others.length > 0 || compareCells(only.cell, key) !== 0) {
    throw damaged(year, cell, 'the payload holds another cell than its items name');
  }
  return { cell: key, aggregate: SalaryAggregate.ofSortedCents(only.sortedCents) };
}

function decodeSketch(payload: Uint8Array, year: number, cell: string): SalaryAggregate {
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  if (payload.length < SKETCH_HEADER_OFFSET) throw damaged(year, cell, 'truncated sketch payload');
  const headerEnd = SKETCH_HEADER_OFFSET + view.getUint32(1);
  const header = JSON.parse(
    new TextDecoder().decode(payload.subarray(SKETCH_HEADER_OFFSET, headerEnd)),
  ) as SketchHeader;
  return SalaryAggregate.fromStored({ ...header, sketch: payload.subarray(headerEnd) });
}

function damaged(year: number, cell: string, reason: string): StoredAggregateError {
  return new StoredAggregateError(`stored partial of ${year}#${cell} is damaged: ${reason}`, {
    year,
    cell,
    reason,
  });
}
