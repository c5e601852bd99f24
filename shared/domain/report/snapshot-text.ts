import type { CountryCode } from '../taxonomy.ts';
import {
  AMOUNTS_PER_CELL,
  compareDimensions,
  PUBLISHED,
  type ReportCellTable,
  SUPPRESSION_OF,
} from './cells.ts';
import type { PreviousReport } from './comparisons.ts';
import type { CellDimensions, ReportCell, UnavailableReason } from './model.ts';
import { roundRatio } from './rounding.ts';
import { confidenceFor } from './thresholds.ts';

/**
 * The snapshot's text of the cells and comparisons, written straight from the cell table: exactly
 * `JSON.stringify` of `reportCellsOf(table)` and of `buildComparisons(reportCellsOf(table), …)`,
 * key for key and digit for digit (the unit tests hold them to it), without building those
 * objects first. Items are joined a block at a time, as the CSV's rows are.
 */

const ITEMS_PER_BLOCK = 1024;
const MEAN = 0;
const MEDIAN = 3;

/** `JSON.stringify(cellsOf(table))`: the report's `cells` array. */
export function cellsJson(table: ReportCellTable): string {
  const text = new JsonStrings();
  const blocks: string[] = [];
  let items: string[] = [];
  const { amounts, thresholds } = table;
  for (let index = 0; index < table.length; index++) {
    const dimensions = table.dimensions[index] as CellDimensions;
    let item = `{"level":${text.of(dimensions.level)}`;
    if (dimensions.country !== undefined) item += `,"country":${text.of(dimensions.country)}`;
    if (dimensions.role !== undefined) item += `,"role":${text.of(dimensions.role)}`;
    if (dimensions.seniority !== undefined) item += `,"seniority":${text.of(dimensions.seniority)}`;
    const suppression = SUPPRESSION_OF[table.suppression[index] as number];
    if (suppression) item += `,"suppressed":true,"suppression":"${suppression}"}`;
    else {
      const n = table.n[index] as number;
      const at = index * AMOUNTS_PER_CELL;
      item += `,"suppressed":false,"n":${n},"confidence":"${confidenceFor(n, thresholds)}","monthly":${statisticsJson(amounts, at)},"annual":${statisticsJson(amounts, at + 6)}}`;
    }
    items.push(item);
    if (items.length === ITEMS_PER_BLOCK) {
      blocks.push(items.join(','));
      items = [];
    }
  }
  if (items.length > 0) blocks.push(items.join(','));
  return `[${blocks.join(',')}]`;
}

function statisticsJson(amounts: Float64Array, at: number): string {
  return `{"mean":${amountJson(amounts[at] as number)},"p10":${amountJson(amounts[at + 1] as number)},"p25":${amountJson(amounts[at + 2] as number)},"median":${amountJson(amounts[at + 3] as number)},"p75":${amountJson(amounts[at + 4] as number)},"p90":${amountJson(amounts[at + 5] as number)}}`;
}

/** Whole cents up to here are written from their digits (far above any salary). */
const MAX_PRINTED_CENTS = 2 ** 50;

/**
 * A number as `JSON.stringify` writes it (NaN and infinities as `null`). Published amounts are
 * whole cents over 100, whose shortest text is the cents' digits with trailing zeros dropped:
 * written from them, faster than the engine's general conversion.
 */
export function amountJson(value: number): string {
  if (value >= 0) {
    const cents = Math.round(value * 100);
    if (cents <= MAX_PRINTED_CENTS && cents / 100 === value) {
      const remainder = cents % 100;
      const whole = (cents - remainder) / 100;
      if (remainder === 0) return `${whole}`;
      if (remainder % 10 === 0) return `${whole}.${remainder / 10}`;
      return `${whole}${remainder < 10 ? '.0' : '.'}${remainder}`;
    }
  }
  return numberJson(value);
}

function numberJson(value: number): string {
  return Number.isFinite(value) ? `${value}` : 'null';
}

/** `JSON.stringify` of each distinct string, once. */
class JsonStrings {
  private readonly texts = new Map<string, string>();

  of(value: string): string {
    let text = this.texts.get(value);
    if (text === undefined) {
      text = JSON.stringify(value);
      this.texts.set(value, text);
    }
    return text;
  }
}

/**
 * `JSON.stringify(buildComparisons(cellsOf(table), baseCountry, previous))`: for every role ×
 * seniority with country-role-seniority cells, each country against the base country and against
 * the previous year's report (comparisons.ts says what each field means).
 */
export function comparisonsJson(
  table: ReportCellTable,
  baseCountry: CountryCode,
  previous: PreviousReport | undefined,
): string {
  const text = new JsonStrings();
  const previousCells = new Map<string, Map<string, Map<string, ReportCell>>>();
  for (const cell of previous?.cells ?? []) {
    if (cell.level !== 'country-role-seniority') continue;
    const byRole = nested(nested(previousCells, cell.country ?? ''), cell.role ?? '');
    byRole.set(cell.seniority ?? '', cell);
  }
  // Country-role-seniority cells by role and seniority, in report order (by country within each).
  const groups = new Map<string, Map<string, number[]>>();
  const ordered: { role: string; seniority: string; cells: number[] }[] = [];
  for (let index = 0; index < table.length; index++) {
    const { level, role, seniority } = table.dimensions[index] as CellDimensions;
    if (level !== 'country-role-seniority' || !role || !seniority) continue;
    const bySeniority = nested(groups, role);
    let cells = bySeniority.get(seniority);
    if (!cells) {
      cells = [];
      bySeniority.set(seniority, cells);
      ordered.push({ role, seniority, cells });
    }
    cells.push(index);
  }
  ordered.sort((a, b) =>
    compareDimensions(
      {
        level: 'role-seniority',
        role: a.role as CellDimensions['role'],
        seniority: a.seniority as CellDimensions['seniority'],
      },
      {
        level: 'role-seniority',
        role: b.role as CellDimensions['role'],
        seniority: b.seniority as CellDimensions['seniority'],
      },
    ),
  );
  const { amounts } = table;
  const baseText = text.of(baseCountry);
  const previousHead = previous
    ? `"change":{"previousYear":${numberJson(previous.year)},"previousVersion":${JSON.stringify(previous.version)},"previousMedian":`
    : '';
  const blocks: string[] = [];
  let items: string[] = [];
  for (const group of ordered) {
    let baseAt = -1;
    const suppressedCountries: string[] = [];
    const suppressedCountryDetails: string[] = [];
    let baseSuppressed = false;
    for (const index of group.cells) {
      const country = table.dimensions[index]?.country;
      if (!country) continue;
      const suppression = SUPPRESSION_OF[table.suppression[index] as number];
      if (suppression) {
        const countryText = text.of(country);
        suppressedCountries.push(countryText);
        suppressedCountryDetails.push(`{"country":${countryText},"suppression":"${suppression}"}`);
        if (country === baseCountry) baseSuppressed = true;
      } else if (baseAt < 0 && country === baseCountry) baseAt = index * AMOUNTS_PER_CELL;
    }
    const reason: UnavailableReason | undefined =
      baseAt >= 0 ? undefined : baseSuppressed ? 'base-suppressed' : 'base-missing';
    const baseMedian = baseAt >= 0 ? (amounts[baseAt + MEDIAN] as number) : Number.NaN;
    const baseMean = baseAt >= 0 ? (amounts[baseAt + MEAN] as number) : Number.NaN;
    const ratioEnd = reason ? `,"ratioUnavailableReason":"${reason}"}` : '}';
    const countries: string[] = [];
    for (const index of group.cells) {
      const country = table.dimensions[index]?.country;
      if (!country || table.suppression[index] !== PUBLISHED) continue;
      const at = index * AMOUNTS_PER_CELL;
      const median = amounts[at + MEDIAN] as number;
      const mean = amounts[at + MEAN] as number;
      const ratios =
        baseAt >= 0
          ? `${numberJson(roundRatio(median / baseMedian))},"meanRatio":${numberJson(roundRatio(mean / baseMean))}`
          : 'null,"meanRatio":null';
      let change: string;
      if (!previous) change = '"change":null,"changeUnavailableReason":"no-previous-report"';
      else {
        const before = previousCells.get(country)?.get(group.role)?.get(group.seniority);
        if (!before) change = '"change":null,"changeUnavailableReason":"previous-missing"';
        else if (before.suppressed) {
          change = '"change":null,"changeUnavailableReason":"previous-suppressed"';
        } else {
          const previousMedian = before.monthly.median;
          const previousMean = before.monthly.mean;
          change = `${previousHead}${numberJson(previousMedian)},"previousMean":${numberJson(previousMean)},"medianChange":${numberJson(roundRatio(median / previousMedian - 1))},"meanChange":${numberJson(roundRatio(mean / previousMean - 1))}}`;
        }
      }
      countries.push(
        `{"country":${text.of(country)},"n":${table.n[index]},"median":${amountJson(median)},"mean":${amountJson(mean)},"medianRatio":${ratios},${change}${ratioEnd}`,
      );
    }
    const base =
      baseAt >= 0 ? `{"median":${amountJson(baseMedian)},"mean":${amountJson(baseMean)}}` : 'null';
    items.push(
      `{"role":${text.of(group.role)},"seniority":${text.of(group.seniority)},"baseCountry":${baseText},"base":${base},"countries":[${countries.join(',')}],"suppressedCountries":[${suppressedCountries.join(',')}],"suppressedCountryDetails":[${suppressedCountryDetails.join(',')}]${reason ? `,"baseUnavailableReason":"${reason}"` : ''}}`,
    );
    if (items.length === ITEMS_PER_BLOCK) {
      blocks.push(items.join(','));
      items = [];
    }
  }
  if (items.length > 0) blocks.push(items.join(','));
  return `[${blocks.join(',')}]`;
}

function nested<V>(map: Map<string, Map<string, V>>, key: string): Map<string, V> {
  let inner = map.get(key);
  if (!inner) {
    inner = new Map();
    map.set(key, inner);
  }
  return inner;
}
