import { FIRST_SURVEY_YEAR } from '../survey-years.ts';

/** Years a report can exist for: from the first survey year up to the current calendar year. */
export function reportYearRange(now: Date): { min: number; max: number } {
  return { min: FIRST_SURVEY_YEAR, max: now.getUTCFullYear() };
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
