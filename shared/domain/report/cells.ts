import type { CellKey } from '../cell.ts';
import { SalaryAggregate } from '../salaries/salary-aggregate.ts';
import {
  PUBLISHED_QUANTILES,
  type QuantileLevel,
  type7QuantileUsdInto,
} from '../salaries/type7.ts';
import { ROLES, SENIORITIES } from '../taxonomy.ts';
import type {
  CellDimensions,
  MoneyStatistics,
  ReportCell,
  ReportLevel,
  ReportThresholds,
  SuppressionKind,
} from './model.ts';
import { REPORT_LEVELS } from './model.ts';
import { MONTHS_PER_YEAR, meanUsd } from './rounding.ts';
import { type CellGrouping, complementarySuppression } from './suppression.ts';
import { confidenceFor } from './thresholds.ts';

/** One finest-grain cell's aggregate, as the ingestion store hands it over. */
export interface BaseCell {
  cell: CellKey;
  aggregate: SalaryAggregate;
}

/** Which dimensions each level keeps; the others are merged away. */
const LEVEL_DIMENSIONS: Record<ReportLevel, readonly ('country' | 'role' | 'seniority')[]> = {
  overall: [],
  country: ['country'],
  'country-role': ['country', 'role'],
  'country-role-seniority': ['country', 'role', 'seniority'],
  'role-seniority': ['role', 'seniority'],
};

/**
 * Which finer level each level is merged from. Sorted salaries, sketch bins and integer sums merge
 * exactly, so merging the merged children gives the same numbers as merging every finest cell,
 * with far fewer merges. The overall cell comes from the role-seniority cells: a few dozen of
 * them, where a survey of many countries has hundreds of country cells.
 */
const MERGED_FROM: Record<ReportLevel, ReportLevel | 'finest'> = {
  'country-role-seniority': 'finest',
  'country-role': 'country-role-seniority',
  country: 'country-role',
  'role-seniority': 'country-role-seniority',
  overall: 'role-seniority',
};
const LEVEL_INDEX = Object.fromEntries(
  REPORT_LEVELS.map((level, index) => [level, index]),
) as Record<ReportLevel, number>;

/** `LEVEL_DIMENSIONS` as flags. */
const KEPT = Object.fromEntries(
  REPORT_LEVELS.map((level) => [
    level,
    {
      country: LEVEL_DIMENSIONS[level].includes('country'),
      role: LEVEL_DIMENSIONS[level].includes('role'),
      seniority: LEVEL_DIMENSIONS[level].includes('seniority'),
    },
  ]),
) as Record<ReportLevel, { country: boolean; role: boolean; seniority: boolean }>;

const MERGE_ORDER: readonly ReportLevel[] = [
  'country-role-seniority',
  'country-role',
  'country',
  'role-seniority',
  'overall',
];

/**
 * Every sum the report publishes, as the levels whose cells add up to a cell of each level: a
 * country's respondents are its country-role cells', a role-seniority cell's are the
 * country-role-seniority cells' of every country, the overall cell's are the countries' and also
 * the role-seniority cells'. Complementary suppression protects each of these sums.
 */
const PARENT_LEVELS: Record<ReportLevel, readonly ReportLevel[]> = {
  overall: [],
  country: ['overall'],
  'country-role': ['country'],
  'country-role-seniority': ['country-role', 'role-seniority'],
  'role-seniority': ['overall'],
};

interface MergedCell {
  dimensions: CellDimensions;
  aggregate: SalaryAggregate;
}

/**
 * Every report cell at every level, each computed by merging the finest-grain aggregates it covers
 * (counts and integer sums add exactly; sketches merge bin by bin), never from other cells' means.
 * Listed in a total order: level, then country, role (taxonomy order), seniority (taxonomy order).
 * Cells under `minRespondents` are suppressed, and so are the cells that would let a reader
 * recompute them from a published sum (`complementarySuppression`).
 *
 * The cells come as a table of numbers (`ReportCellTable`), not as one object per cell: a report
 * of many countries has hundreds of thousands of cells, and their objects (twelve amounts each)
 * made the garbage collector the generation's largest cost. `reportCellsOf` gives the objects.
 */
export function buildReportCells(
  baseCells: readonly BaseCell[],
  thresholds: ReportThresholds,
): ReportCellTable {
  const finest: MergedCell[] = baseCells.map(({ cell, aggregate }) => ({
    dimensions: { level: 'country-role-seniority', ...cell },
    aggregate,
  }));
  const merged = new Map<ReportLevel, MergedCell[]>();
  for (const level of MERGE_ORDER) {
    const source = MERGED_FROM[level];
    const parts = source === 'finest' ? finest : (merged.get(source) ?? []);
    merged.set(level, mergeInto(level, parts));
  }
  const ordered = REPORT_LEVELS.flatMap((level) => merged.get(level) ?? []);
  const dimensions = ordered.map((cell) => cell.dimensions);
  const respondents = ordered.map(({ aggregate }) => aggregate.count);
  const suppressed = complementarySuppression(
    respondents,
    cellGroupings(dimensions),
    thresholds.minRespondents,
  );
  const table: ReportCellTable = {
    length: ordered.length,
    dimensions,
    suppression: new Uint8Array(ordered.length),
    n: Float64Array.from(respondents),
    amounts: new Float64Array(ordered.length * AMOUNTS_PER_CELL).fill(Number.NaN),
    thresholds,
  };
  for (const [index, { aggregate }] of ordered.entries()) {
    if (aggregate.count < thresholds.minRespondents) table.suppression[index] = PRIMARY;
    else if (suppressed[index]) table.suppression[index] = COMPLEMENTARY;
    else describeInto(table.amounts, index * AMOUNTS_PER_CELL, aggregate, thresholds);
  }
  return table;
}

/**
 * A report's cells as numbers, in report order. Cell `i` is `dimensions[i]`; `suppression[i]` is
 * `PUBLISHED`, `PRIMARY` or `COMPLEMENTARY`; a published cell has `n[i]` respondents and its
 * amounts (USD, as published) at `amounts[12·i …]`: the monthly mean, p10, p25, median, p75, p90,
 * then the same annual (`AMOUNT_FIELDS`). Withheld p10 and p90, and every amount of a suppressed
 * cell, are NaN. Its confidence label follows from `n` and `thresholds`.
 */
export interface ReportCellTable {
  readonly length: number;
  readonly dimensions: readonly CellDimensions[];
  readonly suppression: Uint8Array;
  readonly n: Float64Array;
  readonly amounts: Float64Array;
  readonly thresholds: ReportThresholds;
}

export const PUBLISHED = 0;
export const PRIMARY = 1;
export const COMPLEMENTARY = 2;
export const SUPPRESSION_OF: readonly (SuppressionKind | undefined)[] = [
  undefined,
  'primary',
  'complementary',
];

/** The order of a cell's amounts in `ReportCellTable.amounts` (monthly, then annual). */
export const AMOUNT_FIELDS: readonly (keyof MoneyStatistics)[] = [
  'mean',
  'p10',
  'p25',
  'median',
  'p75',
  'p90',
];
export const AMOUNTS_PER_CELL = 2 * AMOUNT_FIELDS.length;
const ANNUAL = AMOUNT_FIELDS.length;
/** Where each published quantile's amount sits among a cell's six (the mean is first). */
const QUANTILE_AT: readonly [QuantileLevel, number, boolean][] = [
  [PUBLISHED_QUANTILES.p10, 1, true],
  [PUBLISHED_QUANTILES.p25, 2, false],
  [PUBLISHED_QUANTILES.median, 3, false],
  [PUBLISHED_QUANTILES.p75, 4, false],
  [PUBLISHED_QUANTILES.p90, 5, true],
];

/** The cells of a table as the report's objects, key for key as the snapshot publishes them. */
export function reportCellsOf(table: ReportCellTable): ReportCell[] {
  const cells: ReportCell[] = [];
  for (let index = 0; index < table.length; index++) {
    const dimensions = table.dimensions[index] as CellDimensions;
    const suppression = SUPPRESSION_OF[table.suppression[index] as number];
    if (suppression) {
      cells.push({ ...dimensions, suppressed: true, suppression });
      continue;
    }
    const n = table.n[index] as number;
    const statistics = (start: number): MoneyStatistics => {
      const amount = (at: number) => table.amounts[start + at] as number;
      const outer = (at: number) => (Number.isNaN(amount(at)) ? null : amount(at));
      return {
        mean: amount(0),
        p10: outer(1),
        p25: amount(2),
        median: amount(3),
        p75: amount(4),
        p90: outer(5),
      };
    };
    const start = index * AMOUNTS_PER_CELL;
    cells.push({
      ...dimensions,
      suppressed: false,
      n,
      confidence: confidenceFor(n, table.thresholds),
      monthly: statistics(start),
      annual: statistics(start + ANNUAL),
    });
  }
  return cells;
}

/**
 * The published sums (`PARENT_LEVELS`) over a list of cells, as indexes into that list; one grouping
 * per parent and child level (the overall cell heads two), in the order of their first child.
 * Cells are told apart by level, country, role and seniority (an absent value and '' alike).
 */
export function cellGroupings(cells: readonly CellDimensions[]): CellGrouping[] {
  // Cells are found by numeric ids, not by strings: a report of many countries has hundreds of
  // thousands of cells, and a string per cell and per parent made garbage collection the cost.
  const countries = new DimensionCodes();
  const roles = new DimensionCodes();
  const seniorities = new DimensionCodes();
  const codes = new Int32Array(cells.length * 3);
  for (const [index, dimensions] of cells.entries()) {
    codes[3 * index] = countries.of(dimensions.country);
    codes[3 * index + 1] = roles.of(dimensions.role);
    codes[3 * index + 2] = seniorities.of(dimensions.seniority);
  }
  const idOf = (level: ReportLevel, country: number, role: number, seniority: number) =>
    ((LEVEL_INDEX[level] * countries.size + country) * roles.size + role) * seniorities.size +
    seniority;
  const indexOf = new Map<number, number>();
  for (const [index, dimensions] of cells.entries()) {
    indexOf.set(
      idOf(
        dimensions.level,
        codes[3 * index] ?? 0,
        codes[3 * index + 1] ?? 0,
        codes[3 * index + 2] ?? 0,
      ),
      index,
    );
  }
  const groupings = new Map<number, { parent: number; children: number[] }>();
  for (const [index, dimensions] of cells.entries()) {
    const country = codes[3 * index] ?? 0;
    const role = codes[3 * index + 1] ?? 0;
    const seniority = codes[3 * index + 2] ?? 0;
    for (const parentLevel of PARENT_LEVELS[dimensions.level]) {
      const kept = KEPT[parentLevel];
      const parent = indexOf.get(
        idOf(
          parentLevel,
          kept.country ? country : 0,
          kept.role ? role : 0,
          kept.seniority ? seniority : 0,
        ),
      );
      if (parent === undefined) continue;
      const id = parent * REPORT_LEVELS.length + LEVEL_INDEX[dimensions.level];
      const grouping = groupings.get(id);
      if (grouping) grouping.children.push(index);
      else groupings.set(id, { parent, children: [index] });
    }
  }
  return [...groupings.values()];
}

/** Small integer codes for the values of one dimension; absent and '' are both 0. */
class DimensionCodes {
  private readonly codes = new Map<string, number>([['', 0]]);

  get size(): number {
    return this.codes.size;
  }

  of(value: string | undefined): number {
    const text = value ?? '';
    let code = this.codes.get(text);
    if (code === undefined) {
      code = this.codes.size;
      this.codes.set(text, code);
    }
    return code;
  }
}

/**
 * Groups finer cells by the dimensions `level` keeps and merges each group, in report order
 * (`compareDimensions`, applied through each dimension's ranks: one sort of numbers).
 */
function mergeInto(level: ReportLevel, parts: readonly MergedCell[]): MergedCell[] {
  const kept = KEPT[level];
  const countries = new DimensionCodes();
  const roles = new DimensionCodes();
  const seniorities = new DimensionCodes();
  const codes = new Int32Array(parts.length * 3);
  for (const [index, { dimensions }] of parts.entries()) {
    if (kept.country) codes[3 * index] = countries.of(dimensions.country);
    if (kept.role) codes[3 * index + 1] = roles.of(dimensions.role);
    if (kept.seniority) codes[3 * index + 2] = seniorities.of(dimensions.seniority);
  }
  const groups = new Map<
    number,
    { dimensions: CellDimensions; parts: SalaryAggregate[]; order: number }
  >();
  for (const [index, part] of parts.entries()) {
    const id =
      ((codes[3 * index] ?? 0) * roles.size + (codes[3 * index + 1] ?? 0)) * seniorities.size +
      (codes[3 * index + 2] ?? 0);
    const group = groups.get(id);
    if (group) group.parts.push(part.aggregate);
    else {
      groups.set(id, {
        dimensions: dimensionsAt(level, part.dimensions),
        parts: [part.aggregate],
        order: 0,
      });
    }
  }
  const list = [...groups.values()];
  const countryRank = ranks(
    list.map(({ dimensions }) => dimensions.country),
    (a, b) => compareText(a ?? '', b ?? ''),
  );
  const roleRank = ranks(
    list.map(({ dimensions }) => dimensions.role),
    (a, b) => compareInList(ROLES, a, b),
  );
  const seniorityRank = ranks(
    list.map(({ dimensions }) => dimensions.seniority),
    (a, b) => compareInList(SENIORITIES, a, b),
  );
  for (const group of list) {
    const { country, role, seniority } = group.dimensions;
    group.order =
      ((countryRank.get(country) ?? 0) * roleRank.size + (roleRank.get(role) ?? 0)) *
        seniorityRank.size +
      (seniorityRank.get(seniority) ?? 0);
  }
  return list
    .sort((a, b) => a.order - b.order)
    .map(({ dimensions, parts: aggregates }) => ({
      dimensions,
      // A single part is read as is: quantiles and sums do not mutate it.
      aggregate:
        aggregates.length === 1 && aggregates[0]
          ? aggregates[0]
          : collapsed(SalaryAggregate.merged(aggregates)),
    }));
}

/**
 * Each distinct value's rank under `compare` (values it finds equal share a rank), so sorting by
 * rank orders as sorting by `compare`.
 */
function ranks<T>(values: readonly T[], compare: (a: T, b: T) => number): Map<T, number> {
  const distinct = [...new Set(values)].sort(compare);
  const rankOf = new Map<T, number>();
  let rank = 0;
  for (const [index, value] of distinct.entries()) {
    const before = distinct[index - 1];
    if (index > 0 && compare(before as T, value) !== 0) rank += 1;
    rankOf.set(value, rank);
  }
  return rankOf;
}

/**
 * Sorts a merged aggregate's salaries into one run now, so the next level up merges one run per
 * part instead of every finest cell's run again (its quantiles need them sorted anyway).
 */
function collapsed(aggregate: SalaryAggregate): SalaryAggregate {
  if (aggregate.exact) aggregate.sortedCents();
  return aggregate;
}

/**
 * A published cell's amounts, written at `at` in `amounts`: the means from the exact integer sum,
 * the quantiles of p10 and p90 only from `minRespondentsForOuterPercentiles` respondents (else
 * left NaN). Each quantile's order statistics are looked up once for the monthly and annual
 * amounts (`type7QuantileUsdInto`).
 */
function describeInto(
  amounts: Float64Array,
  at: number,
  aggregate: SalaryAggregate,
  thresholds: ReportThresholds,
): void {
  const n = aggregate.count;
  const outer = n >= thresholds.minRespondentsForOuterPercentiles;
  const sumCents = aggregate.sumCents;
  amounts[at] = meanUsd(sumCents, n, 1);
  amounts[at + ANNUAL] = meanUsd(sumCents, n, MONTHS_PER_YEAR);
  const sorted = aggregate.exact ? aggregate.sortedCents() : undefined;
  for (const [level, offset, isOuter] of QUANTILE_AT) {
    if (isOuter && !outer) continue;
    if (sorted) {
      type7QuantileUsdInto(sorted, level, MONTHS_PER_YEAR, amounts, at + offset, ANNUAL);
    } else {
      amounts[at + offset] = aggregate.quantileUsd(level, 1);
      amounts[at + ANNUAL + offset] = aggregate.quantileUsd(level, MONTHS_PER_YEAR);
    }
  }
}

function dimensionsAt(level: ReportLevel, finer: CellDimensions): CellDimensions {
  const dimensions: CellDimensions = { level };
  for (const dimension of LEVEL_DIMENSIONS[level]) {
    if (dimension === 'country') dimensions.country = finer.country;
    else if (dimension === 'role') dimensions.role = finer.role;
    else dimensions.seniority = finer.seniority;
  }
  return dimensions;
}

/** Total order on cells of one level: country code, then role and seniority in taxonomy order. */
export function compareDimensions(a: CellDimensions, b: CellDimensions): number {
  return (
    REPORT_LEVELS.indexOf(a.level) - REPORT_LEVELS.indexOf(b.level) ||
    compareText(a.country ?? '', b.country ?? '') ||
    compareInList(ROLES, a.role, b.role) ||
    compareInList(SENIORITIES, a.seniority, b.seniority)
  );
}

/** Known values in list order, unknown ones after them by text, absent ones first. */
function compareInList(list: readonly string[], a?: string, b?: string): number {
  const rank = (value?: string) =>
    value === undefined ? -1 : list.includes(value) ? list.indexOf(value) : list.length;
  return rank(a) - rank(b) || compareText(a ?? '', b ?? '');
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
