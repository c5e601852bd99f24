import type { CellKey } from '../cell.ts';
import { SalaryAggregate } from '../salaries/salary-aggregate.ts';
import { PUBLISHED_QUANTILES } from '../salaries/type7.ts';
import { ROLES, SENIORITIES } from '../taxonomy.ts';
import type {
  CellDimensions,
  MoneyStatistics,
  PublishedCell,
  ReportCell,
  ReportLevel,
  ReportThresholds,
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
 */
export function buildReportCells(
  baseCells: readonly BaseCell[],
  thresholds: ReportThresholds,
): ReportCell[] {
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
  const suppressed = complementarySuppression(
    ordered.map(({ aggregate }) => aggregate.count),
    cellGroupings(ordered.map(({ dimensions }) => dimensions)),
    thresholds.minRespondents,
  );
  return ordered.map(({ dimensions, aggregate }, index) => {
    if (!suppressed[index]) return describeCell(dimensions, aggregate, thresholds);
    const primary = aggregate.count < thresholds.minRespondents;
    return { ...dimensions, suppressed: true, suppression: primary ? 'primary' : 'complementary' };
  });
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

/** Applies the privacy thresholds to one merged aggregate (primary suppression only). */
export function describeCell(
  dimensions: CellDimensions,
  aggregate: SalaryAggregate,
  thresholds: ReportThresholds,
): ReportCell {
  const n = aggregate.count;
  if (n < thresholds.minRespondents) {
    return { ...dimensions, suppressed: true, suppression: 'primary' };
  }
  const outer = n >= thresholds.minRespondentsForOuterPercentiles;
  const statistics = (factor: number): MoneyStatistics => ({
    mean: meanUsd(aggregate.sumCents, n, factor),
    p10: outer ? aggregate.quantileUsd(PUBLISHED_QUANTILES.p10, factor) : null,
    p25: aggregate.quantileUsd(PUBLISHED_QUANTILES.p25, factor),
    median: aggregate.quantileUsd(PUBLISHED_QUANTILES.median, factor),
    p75: aggregate.quantileUsd(PUBLISHED_QUANTILES.p75, factor),
    p90: outer ? aggregate.quantileUsd(PUBLISHED_QUANTILES.p90, factor) : null,
  });
  const published: PublishedCell = {
    ...dimensions,
    suppressed: false,
    n,
    confidence: confidenceFor(n, thresholds),
    monthly: statistics(1),
    annual: statistics(MONTHS_PER_YEAR),
  };
  return published;
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
