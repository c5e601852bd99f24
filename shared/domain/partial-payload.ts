import { SalaryAggregate } from './aggregate.ts';
import type { CellKey } from './cell.ts';
import type { CountryCode, Role, Seniority } from './taxonomy.ts';

/**
 * One stored piece of a file's partial aggregate for one cell. The ingestion protocol writes,
 * counts and deletes these items without looking inside `payload`; this module alone knows what
 * the bytes mean. A cell's partial may take several items (`part` 0, 1, …) so that a large
 * payload can stay under the storage's item size limit; today every partial fits in one.
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

/** Payload layout version 1: [1][header length, u32 BE][header JSON][DDSketch protobuf]. */
const FORMAT_VERSION = 1;
const HEADER_OFFSET = 5;

interface PayloadHeader {
  count: number;
  sumCents: string;
  sumSquaresCents: string;
}

const SEPARATOR = '#';

export function encodePartials(partials: readonly CellPartial[]): PartialItem[] {
  return partials.map(({ cell, aggregate }) => ({
    year: cell.year,
    cell: [cell.country, cell.role, cell.seniority].join(SEPARATOR),
    part: 0,
    payload: encodeAggregate(aggregate),
  }));
}

/** Rebuilds one file's partial of one cell from its items' payloads, in part order. */
export function decodePartial(
  year: number,
  cell: string,
  payloads: readonly Uint8Array[],
): CellPartial {
  const [country, role, seniority] = cell.split(SEPARATOR);
  if (!country || !role || !seniority || payloads.length !== 1 || !payloads[0]) {
    throw new RangeError(`partial of cell ${year}#${cell} is malformed (${payloads.length} parts)`);
  }
  return {
    cell: {
      year,
      country: country as CountryCode,
      role: role as Role,
      seniority: seniority as Seniority,
    },
    aggregate: decodeAggregate(payloads[0]),
  };
}

function encodeAggregate(aggregate: SalaryAggregate): Uint8Array {
  const stored = aggregate.toStored();
  const header: PayloadHeader = {
    count: stored.count,
    sumCents: stored.sumCents,
    sumSquaresCents: stored.sumSquaresCents,
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const payload = new Uint8Array(HEADER_OFFSET + headerBytes.length + stored.sketch.length);
  const view = new DataView(payload.buffer);
  view.setUint8(0, FORMAT_VERSION);
  view.setUint32(1, headerBytes.length);
  payload.set(headerBytes, HEADER_OFFSET);
  payload.set(stored.sketch, HEADER_OFFSET + headerBytes.length);
  return payload;
}

function decodeAggregate(payload: Uint8Array): SalaryAggregate {
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  if (payload.length < HEADER_OFFSET || view.getUint8(0) !== FORMAT_VERSION) {
    throw new RangeError(`unknown partial payload format ${payload[0]}`);
  }
  const headerEnd = HEADER_OFFSET + view.getUint32(1);
  const header = JSON.parse(
    new TextDecoder().decode(payload.subarray(HEADER_OFFSET, headerEnd)),
  ) as PayloadHeader;
  return SalaryAggregate.fromStored({ ...header, sketch: payload.subarray(headerEnd) });
}
