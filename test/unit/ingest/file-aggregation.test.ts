import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cellId } from '#shared/domain/cell.ts';
import { FileAggregation } from '#shared/domain/file-aggregation.ts';
import type { AcceptedRow } from '#shared/domain/normalize.ts';
import { SalaryAggregate } from '#shared/domain/salaries/salary-aggregate.ts';
import type { SalarySubmission } from '#shared/domain/submission.ts';
import { ROLES, SENIORITIES } from '#shared/domain/taxonomy.ts';
import { PROPERTY_TEST } from '#test/support/property.ts';

/** A small deterministic generator, so a case can hold tens of thousands of rows cheaply. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

const COUNTRIES = ['MX', 'US', 'BR', 'DE', 'AR'];

function submissionsOf(rows: number, cells: number, seed: number): SalarySubmission[] {
  const next = random(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)] as T;
  const cellKeys = Array.from({ length: cells }, () => ({
    year: 2020 + Math.floor(next() * 6),
    country: pick(COUNTRIES),
    role: pick(ROLES),
    seniority: pick(SENIORITIES),
  }));
  return Array.from({ length: rows }, () => {
    const roll = next();
    // Mostly salaries; now and then a value beyond 32 bits (the buffers' wide blocks).
    const cents =
      roll < 0.98 ? 10_000 + Math.floor(next() * 5_000_000) : Math.floor(next() * 2 ** 40);
    return { cell: { ...pick(cellKeys) }, monthlyUsdCents: cents };
  });
}

function expected(submissions: readonly SalarySubmission[]) {
  const cells = new Map<string, { first: SalarySubmission; aggregate: SalaryAggregate }>();
  const perYear = new Map<number, number>();
  for (const submission of submissions) {
    const id = cellId(submission.cell);
    let cell = cells.get(id);
    if (!cell) {
      cell = { first: submission, aggregate: new SalaryAggregate() };
      cells.set(id, cell);
    }
    cell.aggregate.add(submission.monthlyUsdCents);
    perYear.set(submission.cell.year, (perYear.get(submission.cell.year) ?? 0) + 1);
  }
  return { cells, perYear };
}

function summary(aggregate: SalaryAggregate) {
  return {
    count: aggregate.count,
    sumCents: aggregate.sumCents,
    sumSquaresCents: aggregate.sumSquaresCents,
    sorted: [...aggregate.sortedCents()],
  };
}

describe('FileAggregation', () => {
  it(
    'holds, per cell in first-seen order, what adding each salary to its cell directly holds, however often it is read while rows arrive',
    PROPERTY_TEST,
    () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 20_000 }),
          fc.integer({ min: 1, max: 40 }),
          fc.integer(),
          fc.array(fc.integer({ min: 0, max: 20_000 }), { maxLength: 3 }),
          (rows, cells, seed, readsAt) => {
            const submissions = submissionsOf(rows, cells, seed);
            const aggregation = new FileAggregation();
            // The normalizer's accepted row: one object, overwritten row after row.
            const accepted = {
              year: 0,
              country: '',
              role: 'backend',
              seniority: 'junior',
              monthlyUsdCents: 0,
            };
            submissions.forEach((submission, row) => {
              // Reading the cells or the years in the middle of a file must not lose or repeat rows.
              if (readsAt.includes(row)) expect(aggregation.cells.size).toBeGreaterThan(0);
              if (row % 3 === 0) aggregation.addSubmission(submission);
              else {
                Object.assign(accepted, submission.cell, {
                  monthlyUsdCents: submission.monthlyUsdCents,
                });
                aggregation.addAccepted(accepted as AcceptedRow);
              }
            });
            const want = expected(submissions);
            expect(aggregation.accepted).toBe(rows);
            expect([...aggregation.cells.keys()]).toEqual([...want.cells.keys()]);
            for (const [id, entry] of aggregation.cells) {
              const cell = want.cells.get(id);
              expect(entry.submission).toEqual(cell?.first);
              expect(summary(entry.aggregate)).toEqual(summary(cell?.aggregate as SalaryAggregate));
            }
            expect(
              new Map([...aggregation.perYear].map(([year, counts]) => [year, counts.accepted])),
            ).toEqual(want.perYear);
          },
        ),
        { numRuns: 40, seed: 20261202 },
      );
    },
  );

  it('counts rejections per year beside the accepted rows of the same year', () => {
    const aggregation = new FileAggregation();
    const [first] = submissionsOf(1, 1, 7) as [SalarySubmission];
    aggregation.addSubmission(first);
    aggregation.addRejection({
      line: 3,
      column: 'salary',
      value: 'x',
      reason: 'invalid_number',
      message: 'salary "x" is not an amount',
      year: first.cell.year,
    });
    expect(aggregation.perYear.get(first.cell.year)).toEqual({
      accepted: 1,
      rejected: 1,
      rejectedByReason: { invalid_number: 1 },
    });
  });
});
