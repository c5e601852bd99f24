import type { CellKey } from '../cell.ts';
import { SalaryAggregate } from '../salaries/salary-aggregate.ts';
import { sortWithPayload } from '../salaries/sorted-cents.ts';
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
import {
  type CellGrouping,
  type GroupingTable,
  groupingsOf,
  suppressionOf,
} from './suppression.ts';
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
 * Likewise each level's salaries sit in one array (`LevelValues`), not in an aggregate per cell.
 */
export function buildReportCells(
  baseCells: readonly BaseCell[],
  thresholds: ReportThresholds,
): ReportCellTable {
  const levels = rollUp(baseCells);
  const exact = baseCells.every(({ aggregate }) => aggregate.exact);
  const ordered = REPORT_LEVELS.map((level) => levels.get(level) as RollupLevel);
  // (One array joined level by level: `flatMap` takes ~20 ms over a hundred thousand cells.)
  const dimensions = ([] as CellDimensions[]).concat(...ordered.map((level) => level.dimensions));
  const respondents = new Float64Array(dimensions.length);
  let levelStart = 0;
  for (const level of ordered) {
    respondents.set(level.counts, levelStart);
    levelStart += level.counts.length;
  }
  const suppressed = suppressionOf(
    respondents,
    rollupGroupingTable(levels),
    thresholds.minRespondents,
  );
  const levelCodes = new Uint8Array(dimensions.length);
  const codes = new Int32Array(3 * dimensions.length);
  let at = 0;
  for (const level of ordered) {
    levelCodes.fill(LEVEL_INDEX[level.level], at, at + level.counts.length);
    codes.set(level.codes, 3 * at);
    at += level.counts.length;
  }
  const table: ReportCellTable = {
    length: dimensions.length,
    dimensions,
    levels: levelCodes,
    codes,
    suppression: new Uint8Array(dimensions.length),
    n: respondents,
    amounts: new Float64Array(dimensions.length * AMOUNTS_PER_CELL).fill(Number.NaN),
    thresholds,
  };
  let index = 0;
  const describe = exact ? exactDescriber(baseCells, levels) : sketchDescriber(baseCells, levels);
  for (const level of ordered) {
    for (let cell = 0; cell < level.counts.length; cell++, index++) {
      if ((level.counts[cell] as number) < thresholds.minRespondents) {
        table.suppression[index] = PRIMARY;
      } else if (suppressed[index]) table.suppression[index] = COMPLEMENTARY;
      else describe(level.level, cell, table.amounts, index * AMOUNTS_PER_CELL, thresholds);
    }
  }
  return table;
}

/**
 * One level's cells in report order, each merging the cells of the level it is merged from
 * (`MERGED_FROM`; the base cells for the finest level): cell i merges source cells
 * `parts[partStart[i] … partStart[i + 1])`, ascending.
 */
export interface RollupLevel {
  level: ReportLevel;
  dimensions: CellDimensions[];
  counts: Float64Array;
  partStart: Int32Array;
  parts: Int32Array;
  /** A base cell each cell covers (its first), to read the dimensions it keeps. */
  base: Int32Array;
  /** The ranks of that base cell's country, role and seniority (3 per cell). */
  codes: Int32Array;
}

/**
 * The cells of every level: the base cells grouped by the dimensions each level keeps and put in
 * report order (`compareDimensions`, applied through each dimension's ranks: one sort of numbers).
 * Base cells are told apart by country, role and seniority (an absent value and '' alike).
 */
export function rollUp(baseCells: readonly BaseCell[]): Map<ReportLevel, RollupLevel> {
  // The base cells' keys and counts read once, into arrays: hundreds of thousands of cells lie
  // all over the heap, and every later pass reads these instead.
  const baseCount = baseCells.length;
  const baseCountries: CellDimensions['country'][] = new Array(baseCount);
  const baseRoles: CellDimensions['role'][] = new Array(baseCount);
  const baseSeniorities: CellDimensions['seniority'][] = new Array(baseCount);
  const baseRespondents = new Float64Array(baseCount);
  // Each base cell's country, role and seniority as the id of its text among the distinct ones,
  // found while the cell is at hand.
  const countryTexts = new DistinctTexts();
  const roleTexts = new DistinctTexts();
  const seniorityTexts = new DistinctTexts();
  const codes = new Float64Array(baseCount * 3);
  for (let index = 0; index < baseCount; index++) {
    const { cell, aggregate } = baseCells[index] as BaseCell;
    baseCountries[index] = cell.country;
    baseRoles[index] = cell.role;
    baseSeniorities[index] = cell.seniority;
    baseRespondents[index] = aggregate.count;
    codes[3 * index] = countryTexts.idOf(cell.country);
    codes[3 * index + 1] = roleTexts.idOf(cell.role);
    codes[3 * index + 2] = seniorityTexts.idOf(cell.seniority);
  }
  // The ids replaced by the texts' ranks in report order.
  const countryRank = countryTexts.ranks(compareText);
  const roleRank = roleTexts.ranks((a, b) => compareInList(ROLES, a, b));
  const seniorityRank = seniorityTexts.ranks((a, b) => compareInList(SENIORITIES, a, b));
  for (let index = 0; index < baseCount; index++) {
    codes[3 * index] = countryRank[codes[3 * index] as number] as number;
    codes[3 * index + 1] = roleRank[codes[3 * index + 1] as number] as number;
    codes[3 * index + 2] = seniorityRank[codes[3 * index + 2] as number] as number;
  }
  const roles = roleRank.length;
  const seniorities = seniorityRank.length;
  const levels = new Map<ReportLevel, RollupLevel>();
  for (const level of MERGE_ORDER) {
    const source = MERGED_FROM[level];
    const from = source === 'finest' ? undefined : (levels.get(source) as RollupLevel);
    const sourceCount = from ? from.counts.length : baseCells.length;
    const kept = KEPT[level];
    // Each source cell's key in this level; the parts are put in key order by a counting sort
    // (stable: ascending within a key), the keys being small integers.
    const keys = new Float64Array(sourceCount);
    let maxKey = 0;
    for (let part = 0; part < sourceCount; part++) {
      const base = from ? (from.base[part] as number) : part;
      const key =
        ((kept.country ? (codes[3 * base] as number) : 0) * roles +
          (kept.role ? (codes[3 * base + 1] as number) : 0)) *
          seniorities +
        (kept.seniority ? (codes[3 * base + 2] as number) : 0);
      keys[part] = key;
      if (key > maxKey) maxKey = key;
    }
    const parts = partsByKey(keys, maxKey);
    // At most one cell per source cell: typed arrays of that size, cut to the cells found.
    const partStart = new Int32Array(sourceCount + 1);
    const base = new Int32Array(sourceCount);
    const counts = new Float64Array(sourceCount);
    let cells = 0;
    let previousKey = -1;
    for (let at = 0; at < sourceCount; at++) {
      const part = parts[at] as number;
      const key = keys[part] as number;
      const count = from ? (from.counts[part] as number) : (baseRespondents[part] as number);
      if (key !== previousKey) {
        partStart[cells] = at;
        base[cells] = from ? (from.base[part] as number) : part;
        counts[cells] = count;
        cells += 1;
        previousKey = key;
      } else counts[cells - 1] = (counts[cells - 1] as number) + count;
    }
    partStart[cells] = sourceCount;
    const levelCodes = new Int32Array(3 * cells);
    const dimensions: CellDimensions[] = [];
    for (let cell = 0; cell < cells; cell++) {
      const index = base[cell] as number;
      levelCodes[3 * cell] = codes[3 * index] as number;
      levelCodes[3 * cell + 1] = codes[3 * index + 1] as number;
      levelCodes[3 * cell + 2] = codes[3 * index + 2] as number;
      dimensions.push(
        dimensionsAt(level, baseCountries[index], baseRoles[index], baseSeniorities[index]),
      );
    }
    levels.set(level, {
      level,
      codes: levelCodes,
      dimensions,
      counts: counts.slice(0, cells),
      partStart: partStart.slice(0, cells + 1),
      parts,
      base: base.slice(0, cells),
    });
  }
  return levels;
}

/**
 * The indexes 0 … keys.length − 1 ordered by key, ascending indexes within a key: a counting sort
 * when the keys are few enough for a counter each, else a sort of key and index packed in one number.
 */
function partsByKey(keys: Float64Array, maxKey: number): Int32Array {
  const length = keys.length;
  const parts = new Int32Array(length);
  if (maxKey <= 4 * length + 1024) {
    const next = new Int32Array(maxKey + 2);
    for (let part = 0; part < length; part++) {
      const key = keys[part] as number;
      next[key + 1] = (next[key + 1] as number) + 1;
    }
    for (let key = 1; key <= maxKey + 1; key++) {
      next[key] = (next[key] as number) + (next[key - 1] as number);
    }
    for (let part = 0; part < length; part++) {
      const key = keys[part] as number;
      const at = next[key] as number;
      parts[at] = part;
      next[key] = at + 1;
    }
    return parts;
  }
  const packed = new Float64Array(length);
  for (let part = 0; part < length; part++) packed[part] = (keys[part] as number) * length + part;
  packed.sort();
  for (let at = 0; at < length; at++) parts[at] = (packed[at] as number) % length;
  return parts;
}

/**
 * `cellGroupings` of the report's cells, read off the roll-up instead of found by dimensions: each
 * level's cells sum their parts (`PARENT_LEVELS` pairs each level with the one it is merged from),
 * and the overall cell sums the countries too. Same groupings, same order (by first child, then
 * parent level), children in report order.
 */
export function rollupGroupings(levels: ReadonlyMap<ReportLevel, RollupLevel>): CellGrouping[] {
  return groupingsOf(rollupGroupingTable(levels));
}

/** `rollupGroupings` as a `GroupingTable`. */
export function rollupGroupingTable(levels: ReadonlyMap<ReportLevel, RollupLevel>): GroupingTable {
  const offset = new Map<ReportLevel, number>();
  let cells = 0;
  for (const level of REPORT_LEVELS) {
    offset.set(level, cells);
    cells += (levels.get(level) as RollupLevel).counts.length;
  }
  const countries = (levels.get('country') as RollupLevel).counts.length;
  let count = countries > 0 ? 1 : 0;
  let childCount = countries;
  for (const level of MERGE_ORDER) {
    if (MERGED_FROM[level] === 'finest') continue;
    const rollup = levels.get(level) as RollupLevel;
    count += rollup.counts.length;
    childCount += rollup.parts.length;
  }
  // The groupings as found (children in one array, in order), then sorted by their key: first
  // child, then the parent level's place among the child level's parents.
  const parentOf = new Int32Array(count);
  const firstChildAt = new Int32Array(count + 1);
  const found = new Int32Array(childCount);
  const keys = new Float64Array(count);
  let grouping = 0;
  let filled = 0;
  const add = (parent: number, childLevel: ReportLevel, parentLevel: ReportLevel) => {
    if (filled === firstChildAt[grouping]) return;
    const position = PARENT_LEVELS[childLevel].indexOf(parentLevel);
    parentOf[grouping] = parent;
    keys[grouping] = (found[firstChildAt[grouping] as number] as number) * 2 + position;
    grouping += 1;
    firstChildAt[grouping] = filled;
  };
  for (const level of MERGE_ORDER) {
    const source = MERGED_FROM[level];
    if (source === 'finest') continue;
    const rollup = levels.get(level) as RollupLevel;
    const parentStart = offset.get(level) as number;
    const childStart = offset.get(source) as number;
    for (let cell = 0; cell < rollup.counts.length; cell++) {
      for (
        let at = rollup.partStart[cell] as number;
        at < (rollup.partStart[cell + 1] as number);
        at++
      ) {
        found[filled++] = childStart + (rollup.parts[at] as number);
      }
      add(parentStart + cell, source, level);
    }
  }
  const countryStart = offset.get('country') as number;
  for (let index = 0; index < countries; index++) found[filled++] = countryStart + index;
  add(offset.get('overall') as number, 'country', 'overall');

  const order = new Float64Array(grouping);
  for (let index = 0; index < grouping; index++) {
    order[index] = (keys[index] as number) * grouping + index;
  }
  order.sort();
  const parents = new Int32Array(grouping);
  const childStart = new Int32Array(grouping + 1);
  const children = new Int32Array(filled);
  let at = 0;
  for (let rank = 0; rank < grouping; rank++) {
    const index = (order[rank] as number) % grouping;
    parents[rank] = parentOf[index] as number;
    childStart[rank] = at;
    for (
      let from = firstChildAt[index] as number;
      from < (firstChildAt[index + 1] as number);
      from++
    ) {
      children[at++] = found[from] as number;
    }
  }
  childStart[grouping] = at;
  return { parents, childStart, children };
}

type Describer = (
  level: ReportLevel,
  cell: number,
  amounts: Float64Array,
  at: number,
  thresholds: ReportThresholds,
) => void;

/** Each level's exact sums of cents: a number while it is a safe integer, else in `bigSums`. */
interface LevelSums {
  sums: Float64Array;
  bigSums: Map<number, bigint>;
}

/**
 * Describes cells of exact aggregates. Every salary of the year is sorted once, with the base
 * cell it came from (`salariesInOrder`); a level's cells then get their sorted salaries by one
 * pass over that order, each salary going to its cell's next place (a counting sort by cell,
 * stable, so each cell's salaries stay in ascending order): no merging, no comparisons. One
 * buffer holds one level's salaries at a time, filled when the report asks for a cell of another
 * level (it asks level by level). Sums are added up level by level from the cells merged.
 */
function exactDescriber(
  baseCells: readonly BaseCell[],
  levels: Map<ReportLevel, RollupLevel>,
): Describer {
  let total = 0;
  for (const count of (levels.get('country-role-seniority') as RollupLevel).counts) total += count;
  const salaries = salariesInOrder(baseCells, total);
  const baseSums = salaries.sums;
  // Each level's cell of every base cell, and each level's sums.
  const cellOfBase = new Map<ReportLevel, Int32Array>();
  const sumsOf = new Map<ReportLevel, LevelSums>();
  for (const level of MERGE_ORDER) {
    const source = MERGED_FROM[level];
    const rollup = levels.get(level) as RollupLevel;
    const sourceSums = source === 'finest' ? baseSums : (sumsOf.get(source) as LevelSums);
    sumsOf.set(level, mergedSums(sourceSums, rollup));
    const cellOfPart = new Int32Array(rollup.parts.length);
    for (let cell = 0; cell < rollup.counts.length; cell++) {
      for (
        let at = rollup.partStart[cell] as number;
        at < (rollup.partStart[cell + 1] as number);
        at++
      ) {
        cellOfPart[rollup.parts[at] as number] = cell;
      }
    }
    if (source === 'finest') cellOfBase.set(level, cellOfPart);
    else {
      const sourceCell = cellOfBase.get(source) as Int32Array;
      const levelCell = new Int32Array(sourceCell.length);
      for (let base = 0; base < sourceCell.length; base++) {
        levelCell[base] = cellOfPart[sourceCell[base] as number] as number;
      }
      cellOfBase.set(level, levelCell);
    }
  }
  const buffer = new Float64Array(salaries.values.length);
  // The level being described: its salaries, where each of its cells' start, counts and sums.
  let filled: ReportLevel | undefined;
  let values: Float64Array = buffer;
  let start: Float64Array = new Float64Array(0);
  let counts: Float64Array = start;
  let sums: LevelSums = salaries.sums;
  return (level, cell, amounts, at, thresholds) => {
    if (level !== filled) {
      filled = level;
      const rollup = levels.get(level) as RollupLevel;
      counts = rollup.counts;
      sums = sumsOf.get(level) as LevelSums;
      if (MERGED_FROM[level] === 'finest' && rollup.parts.length === counts.length) {
        // Every cell is one base cell (no two base cells share a key): its salaries are the base
        // cell's, already in order.
        values = salaries.byBase;
        start = new Float64Array(counts.length);
        for (let cell = 0; cell < counts.length; cell++) {
          start[cell] = salaries.baseStart[rollup.parts[cell] as number] as number;
        }
      } else if (counts.length === 1) {
        // One cell of every salary (the overall cell): they are in order already.
        values = salaries.values;
        start = new Float64Array(1);
      } else {
        values = buffer;
        start = fillLevel(salaries, cellOfBase.get(level) as Int32Array, counts, buffer);
      }
    }
    const from = start[cell] as number;
    const n = counts[cell] as number;
    const sum =
      (sums.bigSums.size > 0 ? sums.bigSums.get(cell) : undefined) ?? (sums.sums[cell] as number);
    amounts[at] = meanUsd(sum, n, 1);
    amounts[at + ANNUAL] = meanUsd(sum, n, MONTHS_PER_YEAR);
    const outer = n >= thresholds.minRespondentsForOuterPercentiles;
    for (const [quantile, offset, isOuter] of QUANTILE_AT) {
      if (isOuter && !outer) continue;
      type7QuantileUsdInto(
        values,
        quantile,
        MONTHS_PER_YEAR,
        amounts,
        at + offset,
        ANNUAL,
        from,
        n,
      );
    }
  };
}

/**
 * Every salary of the base cells in ascending order (`values`), each with the index of its base
 * cell (`cells`); and in base cell order, each cell's in ascending order (`byBase`), base cell i's
 * from `baseStart[i]`.
 */
interface SalariesInOrder {
  values: Float64Array;
  cells: Int32Array;
  byBase: Float64Array;
  baseStart: Float64Array;
  /** The base cells' sums, read in the same pass over them. */
  sums: LevelSums;
}

/** `salariesInOrder` of base cells with `total` salaries in all (the roll-up counted them). */
function salariesInOrder(baseCells: readonly BaseCell[], total: number): SalariesInOrder {
  const byBase = new Float64Array(total);
  const baseStart = new Float64Array(baseCells.length + 1);
  const cells = new Int32Array(total);
  const sums: LevelSums = { sums: new Float64Array(baseCells.length), bigSums: new Map() };
  let end = 0;
  for (let cell = 0; cell < baseCells.length; cell++) {
    const aggregate = (baseCells[cell] as BaseCell).aggregate;
    const run = aggregate.sortedCents();
    const length = run.length;
    // The roll-up counts respondents; each level's cells are laid out by those counts.
    if (length !== aggregate.count) {
      throw new RangeError(`an aggregate of ${aggregate.count} respondents has ${length} values`);
    }
    baseStart[cell] = end;
    const cents = aggregate.sumCents;
    const sum = Number(cents);
    if (Number.isSafeInteger(sum)) sums.sums[cell] = sum;
    else sums.bigSums.set(cell, cents);
    // Short runs (most cells) by hand: a builtin call per cell costs more than the copy.
    if (length > 64) {
      byBase.set(run, end);
      cells.fill(cell, end, end + length);
    } else {
      for (let index = 0; index < length; index++) {
        byBase[end + index] = run[index] as number;
        cells[end + index] = cell;
      }
    }
    end += length;
  }
  baseStart[baseCells.length] = end;
  const values = byBase.slice();
  sortWithPayload(values, cells);
  return { values, cells, byBase, baseStart, sums };
}

/**
 * Puts each salary of `salaries` at its cell's next place in `values` (cell i's salaries go to
 * `[start[i] … start[i + 1])`, `counts` giving their numbers), so every cell's salaries come out
 * in ascending order; returns `start`.
 */
function fillLevel(
  salaries: SalariesInOrder,
  cellOfBase: Int32Array,
  counts: Float64Array,
  values: Float64Array,
): Float64Array {
  const cells = counts.length;
  const start = new Float64Array(cells + 1);
  const next = new Int32Array(cells);
  let end = 0;
  for (let cell = 0; cell < cells; cell++) {
    start[cell] = end;
    next[cell] = end;
    end += counts[cell] as number;
  }
  start[cells] = end;
  const sorted = salaries.values;
  const baseOf = salaries.cells;
  for (let index = 0; index < sorted.length; index++) {
    const cell = cellOfBase[baseOf[index] as number] as number;
    const at = next[cell] as number;
    values[at] = sorted[index] as number;
    next[cell] = at + 1;
  }
  return start;
}

/** A level's sums, each cell's added up from its parts' sums in `from`. */
function mergedSums(from: LevelSums, rollup: RollupLevel): LevelSums {
  const cells = rollup.counts.length;
  const sums = new Float64Array(cells);
  const bigSums = new Map<number, bigint>();
  const { partStart, parts } = rollup;
  for (let cell = 0; cell < cells; cell++) {
    let sum = 0;
    let bigSum: bigint | undefined;
    for (let at = partStart[cell] as number; at < (partStart[cell + 1] as number); at++) {
      const part = parts[at] as number;
      const partSum = from.sums[part] as number;
      const partBigSum = from.bigSums.size > 0 ? from.bigSums.get(part) : undefined;
      if (bigSum === undefined && partBigSum === undefined) {
        const next = sum + partSum;
        if (Number.isSafeInteger(next)) sum = next;
        else bigSum = BigInt(sum) + BigInt(partSum);
      } else bigSum = (bigSum ?? BigInt(sum)) + (partBigSum ?? BigInt(partSum));
    }
    sums[cell] = sum;
    if (bigSum !== undefined) bigSums.set(cell, bigSum);
  }
  return { sums, bigSums };
}

/** Describes cells of sketch aggregates (a report that cannot be exact): merged per cell. */
function sketchDescriber(
  baseCells: readonly BaseCell[],
  levels: Map<ReportLevel, RollupLevel>,
): Describer {
  const aggregatesOf = new Map<ReportLevel, SalaryAggregate[]>();
  for (const level of MERGE_ORDER) {
    const source = MERGED_FROM[level];
    const rollup = levels.get(level) as RollupLevel;
    const from =
      source === 'finest'
        ? baseCells.map(({ aggregate }) => aggregate)
        : (aggregatesOf.get(source) as SalaryAggregate[]);
    const aggregates: SalaryAggregate[] = [];
    for (let cell = 0; cell < rollup.counts.length; cell++) {
      const parts: SalaryAggregate[] = [];
      for (
        let at = rollup.partStart[cell] as number;
        at < (rollup.partStart[cell + 1] as number);
        at++
      ) {
        parts.push(from[rollup.parts[at] as number] as SalaryAggregate);
      }
      aggregates.push(
        parts.length === 1 ? (parts[0] as SalaryAggregate) : SalaryAggregate.merged(parts),
      );
    }
    aggregatesOf.set(level, aggregates);
  }
  return (level, cell, amounts, at, thresholds) =>
    describeInto(
      amounts,
      at,
      (aggregatesOf.get(level) as SalaryAggregate[])[cell] as SalaryAggregate,
      thresholds,
    );
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
  /** Each cell's level, as its index in `REPORT_LEVELS`. */
  readonly levels: Uint8Array;
  /**
   * Each cell's country, role and seniority as small codes (3 per cell), for writers that encode
   * each distinct value once: two cells that have a dimension have the same value of it exactly
   * when they have the same code (a code where a cell lacks the dimension means nothing).
   */
  readonly codes: Int32Array;
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

/** The distinct texts of one dimension (an absent value and '' alike), each with an id. */
class DistinctTexts {
  private readonly texts: string[] = [];
  private readonly ids = new Map<string, number>();

  idOf(value: string | undefined): number {
    const text = value ?? '';
    let id = this.ids.get(text);
    if (id === undefined) {
      id = this.texts.length;
      this.texts.push(text);
      this.ids.set(text, id);
    }
    return id;
  }

  /**
   * Each id's rank under `compare` (texts it finds equal share a rank), so sorting by rank orders
   * as sorting by `compare`.
   */
  ranks(compare: (a: string, b: string) => number): Int32Array {
    const byText = this.texts.map((text, id) => ({ text, id }));
    byText.sort((a, b) => compare(a.text, b.text));
    const rankOf = new Int32Array(byText.length);
    let rank = 0;
    for (const [index, { text, id }] of byText.entries()) {
      const before = byText[index - 1];
      if (before && compare(before.text, text) !== 0) rank += 1;
      rankOf[id] = rank;
    }
    return rankOf;
  }
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

function dimensionsAt(
  level: ReportLevel,
  country: CellDimensions['country'],
  role: CellDimensions['role'],
  seniority: CellDimensions['seniority'],
): CellDimensions {
  const dimensions: CellDimensions = { level };
  for (const dimension of LEVEL_DIMENSIONS[level]) {
    if (dimension === 'country') dimensions.country = country;
    else if (dimension === 'role') dimensions.role = role;
    else dimensions.seniority = seniority;
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
