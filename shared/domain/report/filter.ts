import type { CountryCode, Role, Seniority } from '../taxonomy.ts';
import {
  type Comparison,
  REPORT_LEVELS,
  type Report,
  type ReportCell,
  type ReportLevel,
} from './model.ts';

/**
 * What a reader narrowed the report to. Each given dimension keeps only cells that have that
 * dimension with one of the listed values (so `country=MX` drops the overall and the cross-country
 * role × seniority cells); `levels` keeps only those grains. Omitted dimensions do not filter.
 */
export interface ReportFilter {
  countries?: ReadonlySet<CountryCode>;
  roles?: ReadonlySet<Role>;
  seniorities?: ReadonlySet<Seniority>;
  levels?: ReadonlySet<ReportLevel>;
}

/**
 * The short level names of the issue's `level=overall|country|role|seniority`, read as the drill-down
 * they describe: a country's roles, then a country-role's seniorities. The cross-country
 * `role-seniority` level has no short name; it is asked for by its own.
 */
export const LEVEL_ALIASES = {
  role: 'country-role',
  seniority: 'country-role-seniority',
} as const satisfies Record<string, ReportLevel>;

/** A level by its name or its alias; undefined for anything else. */
export function parseLevel(value: string): ReportLevel | undefined {
  if ((REPORT_LEVELS as readonly string[]).includes(value)) return value as ReportLevel;
  return Object.hasOwn(LEVEL_ALIASES, value)
    ? LEVEL_ALIASES[value as keyof typeof LEVEL_ALIASES]
    : undefined;
}

export function isEmptyFilter(filter: ReportFilter): boolean {
  return !filter.countries && !filter.roles && !filter.seniorities && !filter.levels;
}

export function filterCells(cells: readonly ReportCell[], filter: ReportFilter): ReportCell[] {
  return cells.filter(
    (cell) =>
      (!filter.levels || filter.levels.has(cell.level)) &&
      matches(filter.countries, cell.country) &&
      matches(filter.roles, cell.role) &&
      matches(filter.seniorities, cell.seniority),
  );
}

/** Comparisons of the asked roles and seniorities, with only the asked countries listed. */
export function filterComparisons(
  comparisons: readonly Comparison[],
  filter: ReportFilter,
): Comparison[] {
  const { countries } = filter;
  return comparisons
    .filter(
      (comparison) =>
        matches(filter.roles, comparison.role) && matches(filter.seniorities, comparison.seniority),
    )
    .map((comparison) =>
      countries
        ? {
            ...comparison,
            countries: comparison.countries.filter((entry) => countries.has(entry.country)),
            suppressedCountries: comparison.suppressedCountries.filter((country) =>
              countries.has(country),
            ),
            suppressedCountryDetails: comparison.suppressedCountryDetails.filter((detail) =>
              countries.has(detail.country),
            ),
          }
        : comparison,
    );
}

/** The report narrowed to a filter; the methodology always stays whole. */
export function filterReport(report: Report, filter: ReportFilter): Report {
  if (isEmptyFilter(filter)) return report;
  return {
    ...report,
    cells: filterCells(report.cells, filter),
    comparisons: filterComparisons(report.comparisons, filter),
  };
}

function matches<T extends string>(wanted: ReadonlySet<T> | undefined, value: T | undefined) {
  return !wanted || (value !== undefined && wanted.has(value));
}
