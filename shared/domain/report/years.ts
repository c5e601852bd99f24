import { FIRST_SURVEY_YEAR } from '../survey-years.ts';

/** Years a report can exist for: from the first survey year up to the current calendar year. */
export function reportYearRange(now: Date): { min: number; max: number } {
  return { min: FIRST_SURVEY_YEAR, max: now.getUTCFullYear() };
}

/**
 * Why `year` cannot be a survey year (of an upload or a report), or undefined when it can: the
 * one check behind the API's upload grant, report generation and the CLI's `--year`.
 */
export function surveyYearProblem(year: number, now: Date): string | undefined {
  const { min, max } = reportYearRange(now);
  return Number.isInteger(year) && year >= min && year <= max
    ? undefined
    : `must be a whole year from ${min} to ${max}`;
}

/** The year a yearly run reports on: the one before `now` (a January run covers the year just ended). */
export function previousYear(now: Date): number {
  return now.getUTCFullYear() - 1;
}

/** The year named by `text` if it is a whole year inside the range, else undefined. */
export function parseReportYear(text: string, now: Date): number | undefined {
  if (!/^\d{4}$/.test(text)) return undefined;
  const year = Number(text);
  const { min, max } = reportYearRange(now);
  return year >= min && year <= max ? year : undefined;
}
