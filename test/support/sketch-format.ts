import { DDSketch } from '@datadog/sketches-js';
import { SKETCH_FORMAT } from '#shared/domain/partial-payload.ts';
import {
  SKETCH_RELATIVE_ACCURACY,
  type StoredAggregate,
} from '#shared/domain/salaries/salary-aggregate.ts';

/**
 * Partials as ingestion stored them before exact values: count, exact sums and a DDSketch of the
 * monthly pay in USD (format 1). Ingestion no longer writes them; tests seed them to prove that
 * such items still read (docs/data-model.md, "Partial payloads").
 */
export function storedSketchOf(cents: readonly number[]): StoredAggregate {
  const sketch = new DDSketch({ relativeAccuracy: SKETCH_RELATIVE_ACCURACY });
  let sumCents = 0n;
  let sumSquaresCents = 0n;
  for (const value of cents) {
    sketch.accept(value / 100);
    sumCents += BigInt(value);
    sumSquaresCents += BigInt(value) * BigInt(value);
  }
  return {
    count: cents.length,
    sumCents: sumCents.toString(),
    sumSquaresCents: sumSquaresCents.toString(),
    sketch: sketch.toProto(),
  };
}

/** The payload of one sketch-format item: `[1][header length, u32 BE][header JSON][protobuf]`. */
export function sketchFormatPayload(cents: readonly number[]): Uint8Array {
  const stored = storedSketchOf(cents);
  const header = new TextEncoder().encode(
    JSON.stringify({
      count: stored.count,
      sumCents: stored.sumCents,
      sumSquaresCents: stored.sumSquaresCents,
    }),
  );
  const payload = new Uint8Array(5 + header.length + stored.sketch.length);
  const view = new DataView(payload.buffer);
  view.setUint8(0, SKETCH_FORMAT);
  view.setUint32(1, header.length);
  payload.set(header, 5);
  payload.set(stored.sketch, 5 + header.length);
  return payload;
}
