import { MAX_YEARS_OF_EXPERIENCE } from './rules/seniority.ts';
import { foldText } from './rules/text.ts';

/**
 * Survey answers read as numbers: a survey year ("2024"), the year of a submission date in the
 * shapes exports write, and years of experience given as a number or as the ranges forms offer
 * ("1 - 2", "10+", "Less than 1 year"). Pure functions of the text, shared by the row normalizer
 * and the profile checks.
 */

/** Four-digit numbers outside this range are not years at all (a salary, an id). */
const MIN_YEAR_LIKE = 1900;
const MAX_YEAR_LIKE = 2200;

const CHAR_0 = 48;
const CHAR_9 = 57;
const CHAR_SPACE = 32;
const CHAR_T = 84;
const CHAR_HYPHEN = 45;
const CHAR_SLASH = 47;
const CHAR_DOT = 46;

/** Digits only, as a number; undefined for anything else (or an empty string). */
function digitsValue(text: string, from: number, to: number): number | undefined {
  if (to <= from) return undefined;
  let value = 0;
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    if (code < CHAR_0 || code > CHAR_9) return undefined;
    value = value * 10 + (code - CHAR_0);
  }
  return value;
}

function isSurveyYear(year: number): boolean {
  return year >= MIN_YEAR_LIKE && year <= MAX_YEAR_LIKE;
}

/** "2024" → 2024; anything else (2-digit years, words, out-of-range years) → undefined. */
export function parseSurveyYear(text: string): number | undefined {
  return surveyYearAt(text, 0, text.length);
}

/** `parseSurveyYear(text.slice(start, end))`, read in place. */
export function surveyYearAt(text: string, start: number, end: number): number | undefined {
  const year = end - start === 4 ? digitsValue(text, start, end) : undefined;
  return year !== undefined && isSurveyYear(year) ? year : undefined;
}

/**
 * The year of a submission date, or undefined when it is not a date we read.
 * Read: ISO `yyyy-mm-dd` (also with `/` or `.`), optionally followed by `T…` or ` hh:mm:ss`;
 * day-first `dd/mm/yyyy` and Excel's month-first `m/d/yyyy` (also with `-` or `.`), optionally
 * followed by a time. Day-first and month-first cannot be told apart in general, and need not be:
 * only the year is used. The date must still be real under at least one reading (both parts from
 * 1, one of them at most 12, the other at most 31). Two-digit years and Excel serial numbers are
 * not read (their century or epoch is a guess).
 */
export function yearOfDate(raw: string): number | undefined {
  return commonDateYear(raw, 0, raw.length) ?? anyDateYear(raw);
}

/**
 * The year of the two shapes exports write most, `dd/mm/yyyy…` (Google Forms, Excel) and
 * `yyyy-mm-dd…` (ISO), read at fixed positions of `text.slice(start, end)` (in place: the
 * normalizer passes a field's position in the record's text); undefined for anything else, which
 * `anyDateYear` then reads (it gives the same answer for these shapes, scanning every character).
 */
export function commonDateYear(text: string, start: number, end: number): number | undefined {
  const length = end - start;
  if (length < 10) return undefined;
  const after = text.charCodeAt(start + 10);
  if (length > 10 && after !== CHAR_SPACE && after !== CHAR_T) return undefined;
  if (text.charCodeAt(start + 2) === CHAR_SLASH && text.charCodeAt(start + 5) === CHAR_SLASH) {
    const first = digitsValue(text, start, start + 2);
    const second = digitsValue(text, start + 3, start + 5);
    const year = digitsValue(text, start + 6, start + 10);
    if (first === undefined || second === undefined || year === undefined) return undefined;
    const dayFirst = first >= 1 && first <= 31 && second >= 1 && second <= 12;
    const monthFirst = first >= 1 && first <= 12 && second >= 1 && second <= 31;
    return (dayFirst || monthFirst) && isSurveyYear(year) ? year : undefined;
  }
  if (text.charCodeAt(start + 4) === CHAR_HYPHEN && text.charCodeAt(start + 7) === CHAR_HYPHEN) {
    const year = digitsValue(text, start, start + 4);
    const month = digitsValue(text, start + 5, start + 7);
    const day = digitsValue(text, start + 8, start + 10);
    if (year === undefined || month === undefined || day === undefined) return undefined;
    const real = month >= 1 && month <= 12 && day >= 1 && day <= 31;
    return real && isSurveyYear(year) ? year : undefined;
  }
  return undefined;
}

function anyDateYear(raw: string): number | undefined {
  const text = raw.trim();
  let end = text.length;
  let separator = -1;
  let firstCut = -1;
  let secondCut = -1;
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code >= CHAR_0 && code <= CHAR_9) continue;
    if (i > 0 && (code === CHAR_SPACE || code === CHAR_T) && secondCut !== -1) {
      end = i;
    } else if (
      separator === -1 &&
      (code === CHAR_HYPHEN || code === CHAR_SLASH || code === CHAR_DOT)
    ) {
      separator = code;
      firstCut = i;
    } else if (code === separator && secondCut === -1) {
      secondCut = i;
    } else {
      return undefined;
    }
  }
  if (secondCut === -1) return undefined;
  const first = digitsValue(text, 0, firstCut);
  const second = digitsValue(text, firstCut + 1, secondCut);
  const third = digitsValue(text, secondCut + 1, end);
  if (first === undefined || second === undefined || third === undefined) return undefined;
  const secondDigits = secondCut - firstCut - 1;
  const thirdDigits = end - secondCut - 1;
  if (firstCut === 4) {
    const real = second >= 1 && second <= 12 && third >= 1 && third <= 31;
    return real && secondDigits <= 2 && thirdDigits <= 2 && isSurveyYear(first) ? first : undefined;
  }
  if (thirdDigits !== 4 || firstCut > 2 || secondDigits > 2) return undefined;
  const dayFirst = first >= 1 && first <= 31 && second >= 1 && second <= 12;
  const monthFirst = first >= 1 && first <= 12 && second >= 1 && second <= 31;
  return (dayFirst || monthFirst) && isSurveyYear(third) ? third : undefined;
}

/**
 * Years of experience: a number from 0 to MAX_YEARS_OF_EXPERIENCE, with "." or "," as decimal
 * mark; a trailing "+" ("10+") means at least that many and counts as that many. Survey answers
 * are read too (see `yearsFromAnswer`): ranges, "More than N years", "Less than 1 year".
 */
export function parseYearsOfExperience(text: string): number | undefined {
  const years = plainYears(text) ?? yearsFromAnswer(text);
  return years !== undefined && years <= MAX_YEARS_OF_EXPERIENCE ? years : undefined;
}

function plainYears(text: string): number | undefined {
  let body = text.trim();
  if (body.endsWith('+')) body = body.slice(0, -1).trimEnd();
  const mark = Math.max(body.indexOf('.'), body.indexOf(','));
  const whole = digitsValue(body, 0, mark === -1 ? body.length : mark);
  if (whole === undefined) return undefined;
  let years = whole;
  if (mark !== -1) {
    const fraction = digitsValue(body, mark + 1, body.length);
    if (fraction === undefined) return undefined;
    years += fraction / 10 ** (body.length - mark - 1);
  }
  return years;
}

/** A trailing unit ("years", "años", "yrs") and "of experience"/"de experiencia" say nothing. */
const YEARS_UNIT = /\s*\b(years?|yrs?|anos?)\b\.?(\s+(of|de)\s+(experience|experiencia))?$/;
const LESS_THAN = /^(less than|under|menos de|<)\s*(.+)$/;
const MORE_THAN = /^(more than|over|mas de|>)\s*(.+)$/;
/** "1 year or less", "41 years or more" (Google Forms ranges), also in Spanish. */
const OR_LESS = /^(.+?)\s+(or less|or fewer|o menos)$/;
const OR_MORE = /^(.+?)\s+(or more|o mas)$/;
const RANGE = /^(.+?)\s*(?:-|–|\bto\b|\ba\b)\s*(.+)$/;
const NUMBER_WORDS: Readonly<Record<string, number>> = { one: 1, un: 1, uno: 1, una: 1 };

/**
 * Survey answers about years of experience (cached per distinct answer by the normalizer):
 * `a - b` (also `a–b`, `a to b`, `a a b`) counts as its midpoint; `N+`, `More than N years`,
 * `Más de N años` as N; `N years` / `N años` as N; `Less than 1 year`, `Menos de un año`, `< 1` as 0 (a "less than" above
 * one year is not read: its years are unknown).
 */
function yearsFromAnswer(text: string): number | undefined {
  const answer = foldText(text).trim().replace(YEARS_UNIT, '');
  const less = LESS_THAN.exec(answer);
  const orLess = less ? undefined : OR_LESS.exec(answer);
  if (less || orLess) {
    const bound = answerNumber((less ? less[2] : orLess?.[1]) ?? '');
    return bound !== undefined && bound <= 1 ? 0 : undefined;
  }
  const more = MORE_THAN.exec(answer);
  if (more) return answerNumber(more[2] ?? '');
  const orMore = OR_MORE.exec(answer);
  if (orMore) return answerNumber(orMore[1] ?? '');
  const range = RANGE.exec(answer);
  if (range) {
    const from = answerNumber(range[1] ?? '');
    const to = answerNumber(range[2] ?? '');
    return from !== undefined && to !== undefined && from <= to ? (from + to) / 2 : undefined;
  }
  return answerNumber(answer);
}

function answerNumber(text: string): number | undefined {
  const word = text.trim().replace(YEARS_UNIT, '');
  return NUMBER_WORDS[word] ?? plainYears(word);
}
