import type { CountryCode, Role, Seniority } from '../taxonomy.ts';
import { compareDimensions } from './cells.ts';
import type {
  Comparison,
  CountryComparison,
  PublishedCell,
  Report,
  ReportCell,
  UnavailableReason,
  YearOverYearChange,
} from './model.ts';
import { roundRatio } from './rounding.ts';

/** The previous year's published report, for the year-over-year change. */
export interface PreviousReport {
  year: number;
  version: string;
  cells: readonly ReportCell[];
}

/**
 * For every role × seniority with respondents, each country's median and mean against the base
 * country (ratio = country / base, from the published rounded figures, so a reader can redo the
 * division) and against the same cell in the previous year's report.
 */
export function buildComparisons(
  cells: readonly ReportCell[],
  baseCountry: CountryCode,
  previous: PreviousReport | undefined,
): Comparison[] {
  const previousCells = new Map<string, ReportCell>();
  for (const cell of previous?.cells ?? []) {
    if (cell.level === 'country-role-seniority') previousCells.set(cellKeyOf(cell), cell);
  }
  const groups = new Map<string, { role: Role; seniority: Seniority; cells: ReportCell[] }>();
  for (const cell of cells) {
    if (cell.level !== 'country-role-seniority' || !cell.role || !cell.seniority) continue;
    const id = `${cell.role}#${cell.seniority}`;
    const group = groups.get(id) ?? { role: cell.role, seniority: cell.seniority, cells: [] };
    group.cells.push(cell);
    groups.set(id, group);
  }
  const ordered = [...groups.values()].sort((a, b) =>
    compareDimensions(
      { level: 'role-seniority', role: a.role, seniority: a.seniority },
      { level: 'role-seniority', role: b.role, seniority: b.seniority },
    ),
  );
  return ordered.map((group) => {
    const cells = [...group.cells].sort(compareDimensions);
    // The entries are written once, already against the base country: the same objects
    // `rebaseComparison` would make of the unbased ones, key for key.
    let baseCell: PublishedCell | undefined;
    const suppressedCountryDetails: Comparison['suppressedCountryDetails'] = [];
    for (const cell of cells) {
      if (!cell.country) continue;
      if (cell.suppressed) {
        suppressedCountryDetails.push({ country: cell.country, suppression: cell.suppression });
      } else if (!baseCell && cell.country === baseCountry) baseCell = cell;
    }
    const suppressedCountries = suppressedCountryDetails.map((detail) => detail.country);
    const reason: UnavailableReason | undefined = baseCell
      ? undefined
      : suppressedCountries.includes(baseCountry)
        ? 'base-suppressed'
        : 'base-missing';
    const countries: CountryComparison[] = [];
    for (const cell of cells) {
      if (!cell.country || cell.suppressed) continue;
      const median = cell.monthly.median;
      const mean = cell.monthly.mean;
      const entry: CountryComparison = {
        country: cell.country,
        n: cell.n,
        median,
        mean,
        medianRatio: baseCell ? roundRatio(median / baseCell.monthly.median) : null,
        meanRatio: baseCell ? roundRatio(mean / baseCell.monthly.mean) : null,
        ...yearOverYear(cell, previous, previousCells),
      };
      if (reason) entry.ratioUnavailableReason = reason;
      countries.push(entry);
    }
    return {
      role: group.role,
      seniority: group.seniority,
      baseCountry,
      base: baseCell ? { median: baseCell.monthly.median, mean: baseCell.monthly.mean } : null,
      countries,
      suppressedCountries,
      suppressedCountryDetails,
      ...(reason ? { baseUnavailableReason: reason } : {}),
    };
  });
}

/**
 * The same comparison against another base country: ratios are recomputed from the figures the
 * comparison carries; year-over-year changes do not depend on the base and are kept.
 */
export function rebaseComparison(comparison: Comparison, baseCountry: CountryCode): Comparison {
  const baseEntry = comparison.countries.find((entry) => entry.country === baseCountry);
  const reason: UnavailableReason | undefined = baseEntry
    ? undefined
    : comparison.suppressedCountries.includes(baseCountry)
      ? 'base-suppressed'
      : 'base-missing';
  const countries = comparison.countries.map((entry): CountryComparison => {
    const { ratioUnavailableReason: _previousReason, ...rest } = entry;
    if (!baseEntry || reason) {
      return {
        ...rest,
        medianRatio: null,
        meanRatio: null,
        ratioUnavailableReason: reason ?? 'base-missing',
      };
    }
    return {
      ...rest,
      medianRatio: roundRatio(entry.median / baseEntry.median),
      meanRatio: roundRatio(entry.mean / baseEntry.mean),
    };
  });
  const { baseUnavailableReason: _previousBaseReason, ...comparisonRest } = comparison;
  return {
    ...comparisonRest,
    baseCountry,
    base: baseEntry ? { median: baseEntry.median, mean: baseEntry.mean } : null,
    ...(reason ? { baseUnavailableReason: reason } : {}),
    countries,
  };
}

/** The comparison view of one role × seniority, against any base country. */
export function findComparison(
  report: Pick<Report, 'comparisons'>,
  role: Role,
  seniority: Seniority,
  baseCountry: CountryCode,
): Comparison {
  const stored = report.comparisons.find(
    (comparison) => comparison.role === role && comparison.seniority === seniority,
  );
  const comparison: Comparison = stored ?? {
    role,
    seniority,
    baseCountry,
    base: null,
    countries: [],
    suppressedCountries: [],
    suppressedCountryDetails: [],
  };
  return rebaseComparison(comparison, baseCountry);
}

function yearOverYear(
  cell: PublishedCell,
  previous: PreviousReport | undefined,
  previousCells: Map<string, ReportCell>,
): Pick<CountryComparison, 'change' | 'changeUnavailableReason'> {
  if (!previous) return { change: null, changeUnavailableReason: 'no-previous-report' };
  const before = previousCells.get(cellKeyOf(cell));
  if (!before) return { change: null, changeUnavailableReason: 'previous-missing' };
  if (before.suppressed) return { change: null, changeUnavailableReason: 'previous-suppressed' };
  const change: YearOverYearChange = {
    previousYear: previous.year,
    previousVersion: previous.version,
    previousMedian: before.monthly.median,
    previousMean: before.monthly.mean,
    medianChange: roundRatio(cell.monthly.median / before.monthly.median - 1),
    meanChange: roundRatio(cell.monthly.mean / before.monthly.mean - 1),
  };
  return { change };
}

function cellKeyOf(cell: ReportCell): string {
  return `${cell.country ?? ''}#${cell.role ?? ''}#${cell.seniority ?? ''}`;
}
