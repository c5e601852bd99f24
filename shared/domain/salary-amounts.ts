import type { CurrencyCode, NormalizationRules, PayPeriod } from './rules/index.ts';
import { type CompiledRules, compileRules, exchangeRate } from './rules/lookup.ts';

/**
 * A salary cell split into its number and the currency text written around it:
 * "MXN 45,000" → { amountText: "45,000", currencyText: "MXN" }; "45000" → currencyText "".
 * The sign stays with the amount. Undefined when there is no digit, or text on both sides.
 */
export interface SalaryText {
  amountText: string;
  currencyText: string;
  /** What the amount is multiplied by: 1, or a magnitude's (see `magnitudeAt`). */
  multiplier: number;
}

const CHAR_0 = 48;
const CHAR_9 = 57;
const CHAR_COMMA = 44;
const CHAR_DOT = 46;
const CHAR_MINUS = 45;
const CHAR_PLUS = 43;
const CHAR_SPACE = 32;
const CHAR_APOSTROPHE = 39;
const CHAR_NBSP = 0xa0;
const CHAR_NARROW_NBSP = 0x202f;
const CHAR_THIN_SPACE = 0x2009;
/** More decimals than this is not a money amount ("45.000" is thousands, see parseAmount). */
const MAX_DECIMALS = 2;

function isDigit(code: number): boolean {
  return code >= CHAR_0 && code <= CHAR_9;
}

function isBlank(code: number): boolean {
  return (
    code === CHAR_SPACE ||
    code === 9 ||
    code === CHAR_NBSP ||
    code === CHAR_NARROW_NBSP ||
    code === CHAR_THIN_SPACE
  );
}

export function splitSalaryText(raw: string): SalaryText | undefined {
  const split = splitSalaryRange(raw, 0, raw.length, new SalarySplit());
  if (split === undefined) return undefined;
  const whole = split.amountStart === 0 && split.amountEnd === raw.length;
  return {
    amountText: whole ? raw : raw.slice(split.amountStart, split.amountEnd).trim(),
    currencyText: split.currencyText,
    multiplier: split.multiplier,
  };
}

/**
 * Where the number of a salary cell is, and the currency text around it (see splitSalaryText),
 * for a cell read in place. One per caller, filled again for every cell.
 */
export class SalarySplit {
  /** The number is `text.slice(amountStart, amountEnd)`, blanks and a sign possibly before it. */
  amountStart = 0;
  amountEnd = 0;
  /** The currency text written before or after the number, trimmed ('' when there is none). */
  currencyText = '';
  /** 1, or the magnitude written right after the number ("60k": 1,000; see `magnitudeAt`). */
  multiplier = 1;
  /** The magnitude as written ("K"), when there is one. */
  magnitudeText = '';
}

/**
 * Words and signs for "thousand" and "ten thousand" written right after a salary's number, as
 * free-text answers do: `60k`, `60 K`, `$85k`, `60 mil` (Spanish and Portuguese: thousand),
 * `600万円` (Japanese and Chinese, also `萬`: ten thousand). Only these: `M`, `MM` and `mill.` mean
 * a million or a thousand depending on the country, and stay unknown text.
 */
const CHAR_K = 107;
const CHAR_M = 109;
const CHAR_I = 105;
const CHAR_L = 108;
const CHAR_TEN_THOUSAND = 0x4e07; // 万
const CHAR_TEN_THOUSAND_TRADITIONAL = 0x842c; // 萬
const LATIN_LETTER = /\p{Script=Latin}/u;

/**
 * The magnitude written at `at` (Latin letters in any case): `into.multiplier` set, and where the
 * text after it starts; -1 when there is none. A Latin word must end there: "60 kr" is kronor,
 * "60 Kč" koruna, "60 millones" unknown text, none of them a thousand.
 */
function magnitudeAt(text: string, at: number, end: number, into: SalarySplit): number {
  const first = text.charCodeAt(at);
  if (first === CHAR_TEN_THOUSAND || first === CHAR_TEN_THOUSAND_TRADITIONAL) {
    into.multiplier = 10_000;
    return at + 1;
  }
  // ASCII letters in lower case (`| 0x20` maps only "K" and "k" to "k", and so on).
  let after: number;
  if ((first | 0x20) === CHAR_K) after = at + 1;
  else if (
    (first | 0x20) === CHAR_M &&
    at + 3 <= end &&
    (text.charCodeAt(at + 1) | 0x20) === CHAR_I &&
    (text.charCodeAt(at + 2) | 0x20) === CHAR_L
  ) {
    after = at + 3;
  } else {
    return -1;
  }
  if (after < end && LATIN_LETTER.test(text.charAt(after))) return -1;
  into.multiplier = 1_000;
  return after;
}

/**
 * `splitSalaryText(text.slice(start, end))` read in place: fills and returns `into`, or
 * undefined when there is no digit, or text on both sides. Only the currency text becomes a
 * string (a salary cell is read this way once per row when it names its currency: "MXN 45000").
 */
export function splitSalaryRange(
  text: string,
  start: number,
  end: number,
  into: SalarySplit,
  readMagnitude = true,
): SalarySplit | undefined {
  let first = start;
  while (first < end && !isDigit(text.charCodeAt(first))) first++;
  if (first === end) return undefined;
  let last = end - 1;
  while (!isDigit(text.charCodeAt(last))) last--;
  let amountStart = first;
  while (amountStart > start) {
    const code = text.charCodeAt(amountStart - 1);
    if (code !== CHAR_MINUS && code !== CHAR_PLUS && !isBlank(code)) break;
    amountStart -= 1;
  }
  into.amountStart = amountStart;
  into.amountEnd = last + 1;
  into.multiplier = 1;
  if (amountStart === start && last === end - 1) {
    into.currencyText = '';
    return into;
  }
  let suffixStart = last + 1;
  if (readMagnitude && suffixStart < end) {
    let at = suffixStart;
    while (at < end && isBlank(text.charCodeAt(at))) at++;
    const after = at < end ? magnitudeAt(text, at, end, into) : -1;
    if (after >= 0) {
      into.magnitudeText = text.slice(at, after);
      suffixStart = after;
    }
  }
  const prefix = trimmedSlice(text, start, amountStart);
  const suffix = trimmedSlice(text, suffixStart, end);
  if (prefix !== '' && suffix !== '') return undefined;
  into.currencyText = prefix || suffix;
  return into;
}

/** `text.slice(start, end).trim()`, without the untrimmed string when there is nothing to trim. */
function trimmedSlice(text: string, start: number, end: number): string {
  if (start === end) return '';
  const slice = text.slice(start, end);
  return isTrimmed(slice) ? slice : slice.trim();
}

/** Whether `trim()` would leave `text` as it is: its first and last characters are visible ASCII. */
function isTrimmed(text: string): boolean {
  const first = text.charCodeAt(0);
  const last = text.charCodeAt(text.length - 1);
  return first > CHAR_SPACE && first < 127 && last > CHAR_SPACE && last < 127;
}

/**
 * A positive money amount written the way people write them, or undefined.
 *
 * - Currency text around the number is ignored ("$45,000", "MXN 45000", "45000 USD", "US$ 8,000").
 * - Thousands separators: ",", ".", spaces (also non-breaking) and "'"; groups after the first
 *   must have exactly three digits ("7 500", "1.234.567", "1'000").
 * - Decimal separator: "." or ",", recognized as the last separator when the other one appears
 *   before it ("45,000.50", "45.000,50"), or when it appears once and is followed by one or two
 *   digits ("45000,5", "45000.50").
 * - A single separator followed by exactly three digits is a thousands separator, whichever it is:
 *   "45.000" and "45,000" are both 45000 (salaries are not written to a thousandth).
 * - Zero, negative amounts, more than two decimals and anything else are undefined.
 */
export function parseAmount(raw: string): number | undefined {
  const split = splitSalaryText(raw);
  if (!split) return undefined;
  const amount = parseAmountText(split.amountText);
  return amount === undefined ? undefined : scaledAmount(amount, split.multiplier);
}

/**
 * `amount` × `multiplier`, exact to the cent: an amount has at most two decimals, so it is
 * scaled as whole cents ("1.15k" is 1,150, where 1.15 × 1000 is 1149.9999…).
 */
export function scaledAmount(amount: number, multiplier: number): number {
  if (multiplier === 1) return amount;
  return Math.round(amount * 100 * multiplier) / 100;
}

/** The number part alone (see parseAmount); no currency text allowed. */
export function parseAmountText(text: string): number | undefined {
  return parseAmountRange(text, 0, text.length);
}

/** `parseAmountText(text.slice(start, end))`, read in place (no string for the field). */
export function parseAmountRange(text: string, start: number, end: number): number | undefined {
  let i = start;
  while (i < end && isBlank(text.charCodeAt(i))) i++;
  if (i < end && text.charCodeAt(i) === CHAR_PLUS) i++;
  else if (i < end && text.charCodeAt(i) === CHAR_MINUS) return undefined;

  // Fast path: plain digits, the overwhelmingly common spelling.
  let value = 0;
  let digits = 0;
  while (i < end && isDigit(text.charCodeAt(i))) {
    value = value * 10 + (text.charCodeAt(i) - CHAR_0);
    digits++;
    i++;
  }
  if (digits === 0) return undefined;
  if (i === end) return value > 0 ? value : undefined;
  return parseGroupedAmount(text, i, end, value, digits);
}

/**
 * The slow path: `firstGroup` holds the first group of digits, `start` points at the first
 * separator. One pass with a few counters instead of arrays of groups (a grouped amount such as
 * "23,324.25" is common, and this runs once per row): the integer is accumulated both with and
 * without the last group, which is a decimal part or one more thousands group as decided at the end.
 */
function parseGroupedAmount(
  text: string,
  start: number,
  textEnd: number,
  firstGroup: number,
  firstGroupDigits: number,
): number | undefined {
  let end = textEnd;
  while (end > start && isBlank(text.charCodeAt(end - 1))) end--;
  let i = start;
  let groups = 1;
  let firstSeparator = 0;
  let lastSeparator = CHAR_SPACE;
  let lastGroup = firstGroup;
  let lastDigits = firstGroupDigits;
  // Before the last group: the integer so far, and whether the groups so far are well-formed
  // thousands groups (one separator character throughout, exactly three digits after the first).
  let integerBefore = 0;
  let thousandsBefore = true;
  // Separators by kind, all of them and all but the last.
  let commas = 0;
  let dots = 0;
  let spaces = 0;
  let apostrophes = 0;
  let commasBefore = 0;
  let dotsBefore = 0;
  while (i < end) {
    let separator = text.charCodeAt(i);
    if (isBlank(separator)) separator = CHAR_SPACE;
    else if (separator !== CHAR_COMMA && separator !== CHAR_DOT && separator !== CHAR_APOSTROPHE) {
      return undefined;
    }
    i++;
    let group = 0;
    let count = 0;
    while (i < end && isDigit(text.charCodeAt(i))) {
      group = group * 10 + (text.charCodeAt(i) - CHAR_0);
      count++;
      i++;
    }
    if (count === 0) return undefined;
    // The previous group is not the last one: fold it into the integer before the last.
    if (groups === 1) {
      integerBefore = lastGroup;
      firstSeparator = separator;
    } else {
      thousandsBefore &&= lastSeparator === firstSeparator && lastDigits === 3;
      integerBefore = integerBefore * 1000 + lastGroup;
      if (lastSeparator === CHAR_COMMA) commasBefore++;
      else if (lastSeparator === CHAR_DOT) dotsBefore++;
    }
    if (separator === CHAR_COMMA) commas++;
    else if (separator === CHAR_DOT) dots++;
    else if (separator === CHAR_SPACE) spaces++;
    else apostrophes++;
    groups++;
    lastSeparator = separator;
    lastGroup = group;
    lastDigits = count;
  }

  // Only blanks after the digits.
  if (groups === 1) return firstGroup > 0 ? firstGroup : undefined;
  const isPointOrComma = lastSeparator === CHAR_COMMA || lastSeparator === CHAR_DOT;
  const otherMarkBefore =
    (lastSeparator !== CHAR_COMMA && commasBefore > 0) ||
    (lastSeparator !== CHAR_DOT && dotsBefore > 0);
  const uses =
    lastSeparator === CHAR_COMMA
      ? commas
      : lastSeparator === CHAR_DOT
        ? dots
        : lastSeparator === CHAR_SPACE
          ? spaces
          : apostrophes;
  const hasDecimals = isPointOrComma && (otherMarkBefore || (uses === 1 && lastDigits !== 3));
  if (hasDecimals && lastDigits > MAX_DECIMALS) return undefined;
  const integerGroups = hasDecimals ? groups - 1 : groups;
  // Thousands groups: one separator character throughout, 1–3 digits first, then exactly 3.
  if (integerGroups > 1 && (firstGroupDigits > 3 || firstGroup === 0)) return undefined;
  let amount: number;
  if (hasDecimals) {
    if (!thousandsBefore) return undefined;
    amount = integerBefore + lastGroup / 10 ** lastDigits;
  } else {
    if (!thousandsBefore || lastSeparator !== firstSeparator || lastDigits !== 3) return undefined;
    amount = integerBefore * 1000 + lastGroup;
  }
  return amount > 0 && Number.isFinite(amount) ? amount : undefined;
}

/**
 * Tiny tolerance so binary noise (1.005 × 100 = 100.49999…) does not turn a true half-cent tie
 * down. Far below one cent at any salary (doubles keep ~15 significant digits).
 */
const HALF_UP_EPSILON = 1e-6;

/**
 * An amount paid per `period` in `currency` during `year`, as whole USD cents per month, rounded
 * half-up: amount × paymentsPerYear / 12 / rate. Undefined when the year has no rate for the
 * currency.
 */
export function toMonthlyUsdCents(
  amount: number,
  currency: CurrencyCode,
  period: PayPeriod,
  year: number,
  rules: NormalizationRules,
): number | undefined {
  return monthlyUsdCents(compileRules(rules), amount, currency, period, year);
}

export function monthlyUsdCents(
  compiled: CompiledRules,
  amount: number,
  currency: CurrencyCode,
  period: PayPeriod,
  year: number,
): number | undefined {
  const rate = exchangeRate(compiled, currency, year);
  if (rate === undefined) return undefined;
  const cents = (amount * compiled.paymentsPerYear[period] * 100) / (12 * rate);
  return Math.floor(cents + 0.5 + HALF_UP_EPSILON);
}
