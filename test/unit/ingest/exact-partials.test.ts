import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CellPartial,
  decodePartial,
  encodePartials,
  type PartialItem,
} from '#shared/domain/partial-payload.ts';
import { buildReport } from '#shared/domain/report/build-report.ts';
import type { Report } from '#shared/domain/report/model.ts';
import { DEFAULT_THRESHOLDS } from '#shared/domain/report/thresholds.ts';
import { MAX_CHUNK_BYTES } from '#shared/domain/salaries/chunks.ts';
import { SalaryAggregate } from '#shared/domain/salaries/salary-aggregate.ts';
import { StoredAggregateError } from '#shared/errors.ts';
import type { AggregateReader } from '#shared/ports/ingestion-store.ts';
import { IngestionProtocol } from '#shared/use-cases/ingestion/protocol.ts';
import { InconsistentYearError } from '#shared/use-cases/ingestion/year-reads.ts';
import { MemoryConditionalStore } from '#test/support/memory-conditional-store.ts';
import { naiveType7Usd, QUANTILES } from '#test/support/naive-quantile.ts';
import { PROPERTY_TEST } from '#test/support/property.ts';
import {
  type FileVersion,
  runDeletion,
  runIngestion,
  sequencer,
} from '#test/support/protocol-driver.ts';
import { sketchFormatPayload } from '#test/support/sketch-format.ts';
import { baseCellsOf, type RawRow } from '#test/unit/report/raw-rows.ts';

const YEAR = 2025;
const NO_WAIT = { attempts: 2, baseDelayMs: 0, sleep: async () => {} };

/** `count` distinct salaries in one cell, far enough apart that the payload needs two bytes each. */
function bigCell(count: number): RawRow[] {
  return Array.from({ length: count }, (_, index) => ({
    country: 'US',
    role: 'backend' as const,
    seniority: 'senior' as const,
    monthlyUsdCents: 100_000 + index * 131,
  }));
}

function fileVersion(key: string, seq: number, rows: readonly RawRow[], sketchFormat = false) {
  return {
    key,
    sequencer: sequencer(seq),
    rowsByYear: new Map([[YEAR, rows]]),
    ...(sketchFormat ? { sketchFormat } : {}),
  } satisfies FileVersion;
}

function decodeAll(items: readonly PartialItem[]): CellPartial[] {
  const byCell = new Map<string, Uint8Array[]>();
  for (const item of items) byCell.set(item.cell, [...(byCell.get(item.cell) ?? []), item.payload]);
  return [...byCell].map(([cell, payloads]) => decodePartial(YEAR, cell, payloads));
}

async function reportOf(reader: AggregateReader): Promise<Report> {
  const snapshot = await reader.readYear(YEAR);
  return buildReport({
    year: YEAR,
    versionNumber: 1,
    cells: snapshot.cells,
    files: snapshot.files,
    normalization: { exchangeRates: { USD: 1 }, seniorityRules: {} },
    baseCountry: 'US',
    thresholds: DEFAULT_THRESHOLDS,
    generatedAt: new Date('2026-01-05T06:00:00Z'),
  });
}

/** Every published quantile of every level equals the type-7 value of the rows it covers. */
function expectExact(report: Report, rows: readonly RawRow[]): void {
  expect(report.methodology.quantiles).toMatchObject({ exact: true, relativeAccuracy: 0 });
  for (const cell of report.cells) {
    if (cell.suppressed) continue;
    const cents = rows
      .filter(
        (row) =>
          (cell.country === undefined || row.country === cell.country) &&
          (cell.role === undefined || row.role === cell.role) &&
          (cell.seniority === undefined || row.seniority === cell.seniority),
      )
      .map((row) => row.monthlyUsdCents);
    expect(cell.n).toBe(cents.length);
    for (const [name, q] of QUANTILES) {
      if (cell.monthly[name] === null) continue;
      expect(cell.monthly[name], `${JSON.stringify(cell)} ${name}`).toBe(naiveType7Usd(cents, q));
      expect(cell.annual[name]).toBe(naiveType7Usd(cents, q, 12));
    }
  }
}

describe('partial payloads of exact values', () => {
  it('round-trip every cell exactly, the items of a cell in any order', PROPERTY_TEST, () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            country: fc.constantFrom('US', 'MX'),
            role: fc.constantFrom('backend', 'qa'),
            seniority: fc.constantFrom('junior', 'senior'),
            monthlyUsdCents: fc.integer({ min: 10_000, max: 10_000_000 }),
          }),
          { minLength: 1, maxLength: 200 },
        ) as fc.Arbitrary<RawRow[]>,
        (rows) => {
          const cells = baseCellsOf(rows, YEAR);
          const decoded = decodeAll(encodePartials(cells).reverse());
          expect(
            decoded.map(({ cell, aggregate }) => [cell, [...aggregate.sortedCents()]]),
          ).toEqual(
            expect.arrayContaining(
              cells.map(({ cell, aggregate }) => [cell, [...aggregate.sortedCents()]]),
            ),
          );
          expect(decoded).toHaveLength(cells.length);
        },
      ),
      { seed: 1001, numRuns: 100 },
    );
  });

  it('split a cell too large for one item into items that each fit, and join them back', () => {
    const cells = baseCellsOf(bigCell(400_000), YEAR);
    const items = encodePartials(cells);
    expect(items.length).toBeGreaterThanOrEqual(2);
    expect(items.map((item) => item.part)).toEqual(items.map((_, index) => index));
    for (const item of items) expect(item.payload.length).toBeLessThanOrEqual(MAX_CHUNK_BYTES);
    const [decoded] = decodeAll([...items].reverse());
    expect(decoded?.aggregate.count).toBe(400_000);
    expect(decoded?.aggregate.sumCents).toBe(cells[0]?.aggregate.sumCents);
    expect(decoded?.aggregate.exact).toBe(true);
  });

  it('refuse a cell with a chunk missing or repeated, or with another cell’s items', () => {
    const items = encodePartials(baseCellsOf(bigCell(400_000), YEAR));
    const payloads = items.map((item) => item.payload);
    const cell = items[0]?.cell ?? '';
    expect(() => decodePartial(YEAR, cell, payloads.slice(1))).toThrow(/missing/);
    expect(() => decodePartial(YEAR, cell, [...payloads, payloads[0] as Uint8Array])).toThrow(
      /repeated/,
    );
    const [other] = encodePartials(
      baseCellsOf([{ country: 'MX', role: 'qa', seniority: 'mid', monthlyUsdCents: 100_000 }]),
    );
    expect(() => decodePartial(YEAR, cell, [other?.payload as Uint8Array])).toThrow(
      StoredAggregateError,
    );
    expect(() => decodePartial(YEAR, cell, [Uint8Array.of(9, 0, 0)])).toThrow(/unknown partial/);
  });

  it('still read a partial of the sketch format: exact counts and sums, sketch quantiles', () => {
    const cents = [300_000, 310_000, 320_000, 450_000, 1_000_000];
    const decoded = decodePartial(YEAR, 'US#backend#senior', [sketchFormatPayload(cents)]);
    expect(decoded.aggregate.exact).toBe(false);
    expect(decoded.aggregate.count).toBe(5);
    expect(decoded.aggregate.sumCents).toBe(2_380_000n);
    const merged = SalaryAggregate.merged([decoded.aggregate]);
    expect(merged.exact).toBe(false);
  });
});

describe('exact partials through the ingestion protocol (in memory)', () => {
  it('counts the items of a split cell in the pointer and detects one that is missing', async () => {
    const store = new MemoryConditionalStore();
    const protocol = new IngestionProtocol(store, NO_WAIT);
    const rows = [...bigCell(400_000), ...bigCell(3).map((row) => ({ ...row, country: 'MX' }))];
    expect(await runIngestion(protocol, fileVersion('uploads/2025/big.csv', 1, rows), 'r1')).toBe(
      'committed',
    );
    const partials = store.items().filter((item) => item.sort.startsWith('PART#'));
    // Three chunks of the large cell, each a packed item of its own; the small cell packed
    // beside the last chunk.
    expect(partials).toHaveLength(3);
    expectExact(await reportOf(protocol), rows);

    const [, chunk] = partials;
    await store.deleteAll([{ partition: chunk?.partition ?? '', sort: chunk?.sort ?? '' }]);
    await expect(protocol.readYear(YEAR)).rejects.toBeInstanceOf(InconsistentYearError);
  });

  it('replaces a split cell on re-upload and takes every item out on delete', async () => {
    const store = new MemoryConditionalStore();
    const protocol = new IngestionProtocol(store, NO_WAIT);
    const key = 'uploads/2025/big.csv';
    await runIngestion(protocol, fileVersion(key, 1, bigCell(400_000)), 'r1');
    const smaller = bigCell(20);
    await runIngestion(protocol, fileVersion(key, 2, smaller), 'r2');
    expectExact(await reportOf(protocol), smaller);
    expect(store.items().filter((item) => item.sort.startsWith('PART#'))).toHaveLength(1);
    expect(await runDeletion(protocol, key, sequencer(3))).toBe('deleted');
    expect(store.items().filter((item) => item.sort.startsWith('PART#'))).toHaveLength(0);
    expect((await protocol.readYear(YEAR)).cells).toEqual([]);
  });

  it('reads files stored as sketches, says so in the report, and is exact once they are re-ingested', async () => {
    const protocol = new IngestionProtocol(new MemoryConditionalStore(), NO_WAIT);
    const exactRows = bigCell(30).map((row) => ({ ...row, country: 'MX' }));
    const oldRows = bigCell(40);
    await runIngestion(protocol, fileVersion('uploads/2025/new.csv', 1, exactRows), 'r1');
    await runIngestion(protocol, fileVersion('uploads/2025/old.csv', 2, oldRows, true), 'r2');

    const before = await reportOf(protocol);
    expect(before.methodology.quantiles).toMatchObject({
      exact: false,
      sketchReason: 'sketch-format-partials',
    });
    expect(before.cells.find((cell) => cell.level === 'overall')).toMatchObject({ n: 70 });

    // What `salary-report reingest 2025` does: a newer event for the same object.
    await runIngestion(protocol, fileVersion('uploads/2025/old.csv', 3, oldRows), 'r3');
    expectExact(await reportOf(protocol), [...exactRows, ...oldRows]);
  });

  it(
    'publishes exact quantiles after any sequence of uploads, re-uploads, redeliveries and deletes',
    PROPERTY_TEST,
    async () => {
      const rowArbitrary = fc.record({
        country: fc.constantFrom('US', 'MX', 'AR'),
        role: fc.constantFrom('backend', 'qa'),
        seniority: fc.constantFrom('junior', 'senior'),
        monthlyUsdCents: fc.oneof(
          fc.integer({ min: 10_000, max: 10_000_000 }),
          fc.constantFrom(200_000, 450_000),
        ),
      }) as fc.Arbitrary<RawRow>;
      const stepArbitrary = fc.record({
        file: fc.nat({ max: 3 }),
        rows: fc.option(fc.array(rowArbitrary, { minLength: 1, maxLength: 30 }), {
          freq: 5,
          nil: undefined,
        }),
        deliveries: fc.integer({ min: 1, max: 2 }),
      });
      await fc.assert(
        fc.asyncProperty(
          fc.array(stepArbitrary, { minLength: 1, maxLength: 10 }),
          async (steps) => {
            const protocol = new IngestionProtocol(new MemoryConditionalStore(), NO_WAIT);
            const bucket = new Map<string, RawRow[]>();
            let seq = 0;
            let run = 0;
            for (const step of steps) {
              const key = `uploads/2025/file-${step.file}.csv`;
              seq += 1;
              if (step.rows) {
                bucket.set(key, step.rows);
                const version = fileVersion(key, seq, step.rows);
                for (let delivery = 0; delivery < step.deliveries; delivery++) {
                  await runIngestion(protocol, version, `r${++run}`);
                }
              } else if (bucket.delete(key)) {
                await runDeletion(protocol, key, sequencer(seq));
              }
            }
            const rows = [...bucket.values()].flat();
            if (rows.length < DEFAULT_THRESHOLDS.minRespondents) return;
            expectExact(await reportOf(protocol), rows);
          },
        ),
        { seed: 1002, numRuns: 150 },
      );
    },
  );
});
