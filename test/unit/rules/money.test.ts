import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '#shared/domain/rules/index.ts';
import {
  parseAmount,
  parseAmountText,
  SalarySplit,
  splitSalaryRange,
  splitSalaryText,
  toMonthlyUsdCents,
} from '#shared/domain/salary-amounts.ts';
import { PROPERTY_TEST } from '#test/support/property.ts';

describe('parseAmount', () => {
  it.each([
    ['45000', 45000],
    ['45,000.50', 45000.5],
    ['$45,000', 45000],
    ['MXN 45000', 45000],
    ['45000 MXN', 45000],
    ['45.000,50', 45000.5],
    ['1.234.567,89', 1234567.89],
    ['1,234,567', 1234567],
    ['45.000', 45000],
    ['45,000', 45000],
    ['45000,5', 45000.5],
    ['45000.50', 45000.5],
    ['US$ 8,000', 8000],
    ['US$8000', 8000],
    ['  7 500 ', 7500],
    ['7\u00a0500', 7500],
    ['45 000,50', 45000.5],
    ["1'000", 1000],
    ['+2500', 2500],
    ['60k', 60000],
    ['60K', 60000],
    ['$85k', 85000],
    ['60 k USD', 60000],
    ['1.5k', 1500],
    ['1,15k', 1150],
    ['1.15k', 1150],
    ['60 mil', 60000],
    ['45 MIL pesos', 45000],
    ['600万円', 6000000],
    ['1,200万', 12000000],
    ['12萬', 120000],
  ])('reads "%s" as %s', (raw, amount) => {
    expect(parseAmount(raw)).toBe(amount);
  });

  it.each([
    '',
    'abc',
    '0',
    '0.00',
    '-45000',
    'MXN -45000',
    '45.000.00',
    '45,00,000',
    '1234,567',
    '45000.505',
    '45,000.50.1',
    'USD 45000 MXN',
    '12-34',
    '60k-70k',
    '$60k USD',
    '0k',
  ])('refuses "%s"', (raw) => {
    expect(parseAmount(raw)).toBeUndefined();
  });

  it(
    'reads back any positive amount written with thousands separators and cents',
    PROPERTY_TEST,
    () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 99_999_999 }),
          fc.constantFrom([',', '.'], ['.', ','], [' ', ',']),
          (cents, [thousands, decimal]) => {
            const [whole, fraction] = (cents / 100).toFixed(2).split('.') as [string, string];
            const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, thousands);
            fc.pre(cents >= 100);
            expect(parseAmount(`${grouped}${decimal}${fraction}`)).toBeCloseTo(cents / 100, 9);
          },
        ),
        { seed: 20251125, numRuns: 500 },
      );
    },
  );

  it(
    'reads any run of digits, separators and blanks as the straightforward rules say',
    PROPERTY_TEST,
    () => {
      const piece = fc.constantFrom(
        '0',
        '1',
        '5',
        '9',
        '12',
        '345',
        '999',
        '1000',
        '07',
        ',',
        '.',
        ' ',
        "'",
        '\u00a0',
        '\t',
        '+',
        '-',
        'x',
      );
      fc.assert(
        fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
          const text = pieces.join('');
          expect(parseAmountText(text)).toBe(straightforwardAmount(text));
        }),
        { seed: 20261202, numRuns: 3000 },
      );
    },
  );
});

/**
 * The amount rules of `parseAmount`, written the plain way (the groups and separators collected
 * in arrays, then checked): the reference for the one-pass version the normalizer runs per row.
 */
function straightforwardAmount(text: string): number | undefined {
  const isBlank = (char: string) => /^[ \t\u00a0\u202f\u2009]$/.test(char);
  let i = 0;
  while (i < text.length && isBlank(text.charAt(i))) i++;
  if (text.charAt(i) === '+') i++;
  else if (text.charAt(i) === '-') return undefined;
  let end = text.length;
  while (end > i && isBlank(text.charAt(end - 1))) end--;
  const separators: string[] = [];
  const groups: string[] = [];
  let group = '';
  for (; i < end; i++) {
    const char = text.charAt(i);
    if (/[0-9]/.test(char)) {
      group += char;
      continue;
    }
    if (group === '') return undefined;
    if (!isBlank(char) && char !== ',' && char !== '.' && char !== "'") return undefined;
    groups.push(group);
    separators.push(isBlank(char) ? ' ' : char);
    group = '';
  }
  if (group === '') return undefined;
  groups.push(group);
  const last = separators.at(-1);
  const lastDigits = (groups.at(-1) as string).length;
  const pointOrComma = last === ',' || last === '.';
  const otherMarkBefore = separators
    .slice(0, -1)
    .some((separator) => separator !== last && (separator === ',' || separator === '.'));
  const usedOnce = separators.filter((separator) => separator === last).length === 1;
  const hasDecimals = pointOrComma && (otherMarkBefore || (usedOnce && lastDigits !== 3));
  if (hasDecimals && lastDigits > 2) return undefined;
  const integerGroups = hasDecimals ? groups.slice(0, -1) : groups;
  const first = integerGroups[0] as string;
  if (integerGroups.length > 1 && (first.length > 3 || Number(first) === 0)) return undefined;
  for (let index = 1; index < integerGroups.length; index++) {
    if (separators[index - 1] !== separators[0] || integerGroups[index]?.length !== 3) {
      return undefined;
    }
  }
  let amount = integerGroups.reduce((sum, digits) => sum * 1000 + Number(digits), 0);
  if (integerGroups.length === 1) amount = Number(first);
  if (hasDecimals) amount += Number(groups.at(-1)) / 10 ** lastDigits;
  return amount > 0 && Number.isFinite(amount) ? amount : undefined;
}

describe('splitSalaryText', () => {
  it('separates the currency written before or after the number', () => {
    const one = { multiplier: 1 };
    expect(splitSalaryText('MXN 45,000')).toEqual({
      amountText: '45,000',
      currencyText: 'MXN',
      ...one,
    });
    expect(splitSalaryText('45000 usd')).toEqual({
      amountText: '45000',
      currencyText: 'usd',
      ...one,
    });
    expect(splitSalaryText('US$8000')).toEqual({ amountText: '8000', currencyText: 'US$', ...one });
    expect(splitSalaryText('45000')).toEqual({ amountText: '45000', currencyText: '', ...one });
  });

  it.each([
    ['60k', '60', '', 1000],
    ['US$ 60 K', '60', 'US$', 1000],
    ['60k€', '60', '€', 1000],
    ['600万円', '600', '円', 10000],
  ])(
    'sets the magnitude of "%s" apart from the currency text',
    (cell, amountText, currencyText, multiplier) => {
      expect(splitSalaryText(cell)).toEqual({ amountText, currencyText, multiplier });
    },
  );

  it('reads a Latin word that goes on after a "k" or "mil" as currency text', () => {
    // A Latin word that goes on is currency text, not a magnitude: kronor, koruna, millions.
    for (const [cell, currencyText] of [
      ['60 kr', 'kr'],
      ['60 Kč', 'Kč'],
      ['45 millones', 'millones'],
      ['45000 KRW', 'KRW'],
      ['1.2M', 'M'],
    ]) {
      expect(splitSalaryText(cell as string)).toMatchObject({ currencyText, multiplier: 1 });
    }
  });

  it(
    'splits a cell read in place inside a longer text as it splits the cell alone',
    PROPERTY_TEST,
    () => {
      const piece = fc.constantFrom(
        '4',
        '500',
        '0',
        ',',
        '.',
        ' ',
        '\u00a0',
        '\u3000',
        '\n',
        '\t',
        '+',
        '-',
        '$',
        'MXN',
        'US$',
        'usd',
        'é',
        '"',
        'k',
        'K',
        'mil',
        'kr',
        '万',
      );
      const text = fc.array(piece, { maxLength: 10 }).map((pieces) => pieces.join(''));
      fc.assert(
        fc.property(text, text, text, (before, cell, after) => {
          const into = new SalarySplit();
          const split = splitSalaryRange(
            `${before}${cell}${after}`,
            before.length,
            before.length + cell.length,
            into,
          );
          const expected = plainSplit(cell);
          if (expected === undefined) {
            expect(split).toBeUndefined();
            return;
          }
          expect(split).toBe(into);
          const whole = `${before}${cell}${after}`;
          const amountText = whole.slice(into.amountStart, into.amountEnd);
          expect(amountText.trim()).toBe(expected.amountText.trim());
          expect(parseAmountText(amountText)).toBe(parseAmountText(expected.amountText));
          expect(into.currencyText).toBe(expected.currencyText);
          expect(into.multiplier).toBe(expected.multiplier);
          expect(splitSalaryText(cell)).toEqual(expected);
        }),
        { seed: 20261202, numRuns: 3000 },
      );
    },
  );
});

/** A magnitude at the start of a salary's suffix, as the reference reads it. */
const PLAIN_MAGNITUDE = /^[ \t\u00a0\u202f\u2009]*(?:(k|mil)(?!\p{Script=Latin})|([万萬]))/iu;

/** splitSalaryText written the plain way, on strings: the reference for the in-place version. */
function plainSplit(
  raw: string,
): { amountText: string; currencyText: string; multiplier: number } | undefined {
  const digits = [...raw.matchAll(/[0-9]/g)].map((match) => match.index);
  const first = digits[0];
  const last = digits.at(-1);
  if (first === undefined || last === undefined) return undefined;
  let start = first;
  while (start > 0 && /^[-+ \t\u00a0\u202f\u2009]$/.test(raw.charAt(start - 1))) start -= 1;
  if (start === 0 && last === raw.length - 1) {
    return { amountText: raw, currencyText: '', multiplier: 1 };
  }
  const prefix = raw.slice(0, start).trim();
  let suffix = raw.slice(last + 1);
  const magnitude = PLAIN_MAGNITUDE.exec(suffix);
  const multiplier = magnitude === null ? 1 : magnitude[1] === undefined ? 10_000 : 1_000;
  if (magnitude !== null) suffix = suffix.slice(magnitude[0].length);
  suffix = suffix.trim();
  if (prefix !== '' && suffix !== '') return undefined;
  return {
    amountText: raw.slice(start, last + 1).trim(),
    currencyText: prefix || suffix,
    multiplier,
  };
}

describe('toMonthlyUsdCents', () => {
  it('leaves monthly USD as is, in cents', () => {
    expect(toMonthlyUsdCents(4500.5, 'USD', 'monthly', 2024, DEFAULT_RULES)).toBe(450050);
  });

  it('divides annual pay by 12 and rounds half-up', () => {
    // 100 / 12 = 8.3333… USD → 833 cents; 1.5 cents ties round up.
    expect(toMonthlyUsdCents(100, 'USD', 'annual', 2024, DEFAULT_RULES)).toBe(833);
    expect(toMonthlyUsdCents(0.18, 'USD', 'annual', 2024, DEFAULT_RULES)).toBe(2);
    expect(toMonthlyUsdCents(1.005, 'USD', 'monthly', 2024, DEFAULT_RULES)).toBe(101);
  });

  it('converts at the year’s rate (MXN 2023: 17.7334 per USD)', () => {
    // 45,000 / 17.7334 = 2537.5844… USD
    expect(toMonthlyUsdCents(45_000, 'MXN', 'monthly', 2023, DEFAULT_RULES)).toBe(253758);
  });

  it('scales other pay periods to a month', () => {
    expect(toMonthlyUsdCents(1000, 'USD', 'semimonthly', 2024, DEFAULT_RULES)).toBe(200000);
    expect(toMonthlyUsdCents(1200, 'USD', 'weekly', 2024, DEFAULT_RULES)).toBe(520000);
    expect(toMonthlyUsdCents(1200, 'USD', 'biweekly', 2024, DEFAULT_RULES)).toBe(260000);
  });

  it('has no rate for a year outside the table, nor for a year the table has no figure for', () => {
    expect(toMonthlyUsdCents(45_000, 'MXN', 'monthly', 2014, DEFAULT_RULES)).toBeUndefined();
    expect(toMonthlyUsdCents(45_000, 'PEN', 'monthly', 2016, DEFAULT_RULES)).toBeUndefined();
  });

  it('needs no table for USD', () => {
    expect(toMonthlyUsdCents(5000, 'USD', 'monthly', 2015, DEFAULT_RULES)).toBe(500000);
  });

  it('has a rate for every listed currency in every year 2019–2026', () => {
    const currencies =
      'USD MXN CAD BRL ARS CLP COP PEN UYU CRC GTQ DOP BOB PYG HNL NIO PAB EUR GBP CHF JPY CNY INR AUD';
    for (let year = 2019; year <= 2026; year++) {
      for (const currency of currencies.split(' ')) {
        expect(
          DEFAULT_RULES.exchangeRates[String(year)]?.[currency],
          `${currency} ${year}`,
        ).toBeGreaterThan(0);
      }
    }
  });
});
