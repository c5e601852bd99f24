import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mapColumns } from '#shared/domain/header-mapping.ts';
import { createRowNormalizer } from '#shared/domain/normalize.ts';
import { DEFAULT_RULES } from '#shared/domain/rules/index.ts';
import type { RowOutcome } from '#shared/domain/submission.ts';
import { yearOfDate } from '#shared/domain/survey-answers.ts';
import { FileRejectedError } from '#shared/errors.ts';
import { PROPERTY_TEST } from '#test/support/property.ts';

const HEADER = [
  'País',
  'Puesto',
  'Nivel',
  'Años de experiencia',
  'Salario',
  'Moneda',
  'Periodo',
  'Año',
  'Fecha',
];

function normalizerFor(header: readonly string[] = HEADER, yearFromKey?: number) {
  return createRowNormalizer(DEFAULT_RULES, mapColumns(header, 'uploads/2024/a.csv'), {
    fileName: 'uploads/2024/a.csv',
    ...(yearFromKey !== undefined ? { yearFromKey } : {}),
  });
}

/** A row in HEADER order; fields not given are the defaults below. */
function row(
  fields: Partial<
    Record<
      | 'country'
      | 'role'
      | 'seniority'
      | 'years'
      | 'salary'
      | 'currency'
      | 'period'
      | 'year'
      | 'date',
      string
    >
  >,
) {
  const values = {
    country: 'México',
    role: 'Backend Developer',
    seniority: 'Senior',
    years: '',
    salary: '45000',
    currency: 'MXN',
    period: 'mensual',
    year: '2023',
    date: '',
    ...fields,
  };
  return [
    values.country,
    values.role,
    values.seniority,
    values.years,
    values.salary,
    values.currency,
    values.period,
    values.year,
    values.date,
  ];
}

function rejection(outcome: RowOutcome) {
  if (outcome.ok || !outcome.rejection) throw new Error('expected a rejection');
  return outcome.rejection;
}

function submission(outcome: RowOutcome) {
  if (!outcome.ok) {
    throw new Error(`expected a submission, got ${outcome.rejection?.message ?? outcome.excluded}`);
  }
  return outcome.submission;
}

describe('createRowNormalizer', () => {
  it('turns a Spanish row into a cell and monthly USD cents', () => {
    const outcome = normalizerFor()(row({}), 2);

    expect(submission(outcome)).toEqual({
      cell: { year: 2023, country: 'MX', role: 'backend', seniority: 'senior' },
      monthlyUsdCents: 253758,
    });
  });

  it('derives seniority from years of experience when the seniority cell is empty', () => {
    const normalize = normalizerFor();

    expect(submission(normalize(row({ seniority: '', years: '11' }), 2)).cell.seniority).toBe(
      'senior',
    );
    expect(submission(normalize(row({ seniority: '', years: '10' }), 3)).cell.seniority).toBe(
      'mid',
    );
    expect(
      submission(
        normalize(
          row({ country: 'USA', currency: 'USD', salary: '9000', seniority: '', years: '6' }),
          4,
        ),
      ).cell.seniority,
    ).toBe('senior');
  });

  it('uses years of experience when the file has no seniority column', () => {
    const header = ['country', 'role', 'years_experience', 'salary', 'currency', 'period', 'year'];
    const outcome = normalizerFor(header)(
      ['US', 'Frontend', '3', '8000', 'USD', 'monthly', '2024'],
      2,
    );

    expect(submission(outcome).cell.seniority).toBe('mid');
  });

  it('rejects an unknown seniority instead of falling back to years', () => {
    const found = rejection(normalizerFor()(row({ seniority: 'Guru', years: '12' }), 7));

    expect(found).toEqual({
      line: 7,
      column: 'Nivel',
      value: 'Guru',
      reason: 'unknown_seniority',
      message: 'unknown seniority "Guru"',
      year: 2023,
    });
  });

  it('rejects a row with neither seniority nor years as a missing value', () => {
    const found = rejection(normalizerFor()(row({ seniority: '', years: '' }), 3));

    expect(found).toMatchObject({ reason: 'missing_value', column: 'Nivel', year: 2023 });
  });

  it('rejects years of experience that are not a number', () => {
    const found = rejection(normalizerFor()(row({ seniority: '', years: 'many' }), 3));

    expect(found).toMatchObject({
      reason: 'invalid_number',
      column: 'Años de experiencia',
      value: 'many',
    });
  });

  it.each([
    [{ country: 'Mexco' }, 'unknown_country', 'País'],
    [{ role: 'Astronaut' }, 'unknown_role', 'Puesto'],
    [{ currency: 'XYZ' }, 'unknown_currency', 'Moneda'],
    [{ currency: '$' }, 'unknown_currency', 'Moneda'],
    [{ period: 'hourly' }, 'unknown_period', 'Periodo'],
    [{ salary: 'a lot' }, 'invalid_number', 'Salario'],
    [{ salary: '-45000' }, 'invalid_number', 'Salario'],
    [{ salary: '45000 USD' }, 'conflicting_currency', 'Salario'],
    [{ salary: '45000 XYZ' }, 'unknown_currency', 'Salario'],
    // Text in a script the keys do not spell (letters all the same): unknown, not missing.
    [{ country: '日本' }, 'unknown_country', 'País'],
    [{ role: 'Разработчик' }, 'unknown_role', 'Puesto'],
    [{ period: 'شهري' }, 'unknown_period', 'Periodo'],
    [{ country: '' }, 'missing_value', 'País'],
    [{ country: ' - ' }, 'missing_value', 'País'],
    [{ role: '  ' }, 'missing_value', 'Puesto'],
    [{ salary: '' }, 'missing_value', 'Salario'],
    [{ currency: '' }, 'missing_value', 'Moneda'],
    [{ period: '' }, 'missing_value', 'Periodo'],
  ] as const)('rejects %o as %s in column %s', (fields, reason, column) => {
    const found = rejection(normalizerFor()(row(fields), 5));

    expect(found).toMatchObject({ line: 5, reason, column, year: 2023 });
    expect(found.value).toBe(row(fields)[HEADER.indexOf(column)]);
    expect(found.message).not.toBe('');
  });

  it('takes the currency from the salary cell when the currency cell is empty', () => {
    const outcome = normalizerFor()(row({ salary: 'US$ 8,000', currency: '' }), 2);

    expect(submission(outcome).monthlyUsdCents).toBe(800000);
  });

  it('accepts a currency written in the salary cell that is the currency column’s', () => {
    const outcome = normalizerFor()(row({ salary: '45000 MXN', currency: 'MXN' }), 2);

    expect(submission(outcome).monthlyUsdCents).toBe(253758);
  });

  it('reads "$" before the amount as decoration when the currency column names the currency', () => {
    const outcome = normalizerFor()(row({ salary: '$45,000', currency: 'MXN' }), 2);

    expect(submission(outcome).monthlyUsdCents).toBe(253758);
  });

  it('rejects a salary that normalizes outside the plausible range, saying how much it was', () => {
    const found = rejection(normalizerFor()(row({ salary: '15000', period: 'annual' }), 4));

    expect(found.reason).toBe('implausible_salary');
    expect(found.message).toContain('70.49 USD per month');
  });

  it('names the currency of an implausible salary once, whether the cell or the column gives it', () => {
    const written = rejection(normalizerFor()(row({ salary: '59.00 MXN', currency: '' }), 4));
    const column = rejection(normalizerFor()(row({ salary: '59', currency: 'MXN' }), 4));

    expect(written.message).toMatch(/^salary 59\.00 MXN monthly is \d+\.\d\d USD per month/);
    expect(column.message).toMatch(/^salary 59 MXN monthly is \d+\.\d\d USD per month/);
  });

  it('rejects a currency without a rate in the row’s year, naming the file that adds it', () => {
    const found = rejection(normalizerFor()(row({ year: '2016', currency: 'AUD' }), 4));

    expect(found).toMatchObject({ reason: 'no_exchange_rate', column: 'Moneda', year: 2016 });
    expect(found.message).toBe(
      'no 2016 exchange rate for AUD: add it to config/exchange-rates-2016.csv',
    );
  });

  describe('converts with the figure its source published', () => {
    it.each([
      ['F, G.5A of 4 January 2016', 'MXN', '2015', '45000', 283500],
      ['R, the Board’s 2016 average in FRED: 45,000 ÷ 18.6674', 'MXN', '2016', '45000', 241062],
      ['R, quoted as USD per unit: 3,000 × 1.3555', 'GBP', '2016', '3000', 406650],
      ['I, IRS table revised 3 February 2023', 'ARS', '2018', '60000', 213015],
      ['J, IRS revision covering 2021–2025', 'EUR', '2024', '3000', 324675],
      ['J, IRS revision covering 2021–2025', 'ARS', '2024', '1500000', 163906],
      ['W, World Bank WDI to two decimals', 'CLP', '2016', '2000000', 295438],
      ['E, 1.95583 × the IRS 2024 EUR figure', 'BGN', '2024', '5000', 276673],
      ['C, 2026 carries the 2025 figure 19.2052', 'MXN', '2026', '45000', 234312],
    ])('%s: %s %s', (_source, currency, year, salary, monthlyUsdCents) => {
      const outcome = normalizerFor()(row({ currency, year, salary }), 2);

      expect(submission(outcome).monthlyUsdCents).toBe(monthlyUsdCents);
    });
  });

  describe('year of a row', () => {
    it('prefers the year column', () => {
      const outcome = normalizerFor(HEADER, 2020)(row({ year: '2023', date: '2022-03-01' }), 2);

      expect(submission(outcome).cell.year).toBe(2023);
    });

    it('falls back to the submission date', () => {
      const outcome = normalizerFor(HEADER, 2020)(row({ year: '', date: '15/03/2022 10:00' }), 2);

      expect(submission(outcome).cell.year).toBe(2022);
    });

    it('falls back to the year in the object key last', () => {
      const outcome = normalizerFor(HEADER, 2024)(row({ year: '', date: '' }), 2);

      expect(submission(outcome).cell.year).toBe(2024);
    });

    it('rejects a row whose year cannot be determined', () => {
      const found = rejection(normalizerFor()(row({ year: '', date: '' }), 9));

      expect(found).toMatchObject({ line: 9, reason: 'missing_value', column: 'Año' });
      expect(found.year).toBeUndefined();
    });

    it('rejects an invalid year without falling back', () => {
      const found = rejection(normalizerFor(HEADER, 2024)(row({ year: '23' }), 2));

      expect(found).toMatchObject({ reason: 'invalid_year', column: 'Año', value: '23' });
    });

    it('rejects a year after the current one, which no report could ever show', () => {
      const normalize = createRowNormalizer(DEFAULT_RULES, mapColumns(HEADER, 'a.csv'), {
        fileName: 'a.csv',
        latestYear: 2026,
      });

      expect(rejection(normalize(row({ year: '2052' }), 4))).toMatchObject({
        reason: 'invalid_year',
        column: 'Año',
        value: '2052',
      });
      expect(normalize(row({ year: '2026' }), 5).ok).toBe(true);
    });

    it('rejects a year before the first survey year', () => {
      expect(rejection(normalizerFor()(row({ year: '1995' }), 3))).toMatchObject({
        reason: 'invalid_year',
        value: '1995',
      });
    });

    it('reads the year of a common date in place, and still rejects one outside the survey years', () => {
      const header = HEADER.filter((name) => name !== 'Año');
      const normalize = createRowNormalizer(DEFAULT_RULES, mapColumns(header, 'a.csv'), {
        fileName: 'a.csv',
        latestYear: 2026,
      });
      const withDate = (date: string) => row({ date }).filter((_, index) => index !== 7);

      expect(submission(normalize(withDate('15/03/2022 10:00'), 2)).cell.year).toBe(2022);
      expect(submission(normalize(withDate('2026-12-31'), 3)).cell.year).toBe(2026);
      for (const date of ['2031-01-05', '31/12/1999']) {
        expect(rejection(normalize(withDate(date), 4))).toMatchObject({
          reason: 'invalid_year',
          column: 'Fecha',
          value: date,
        });
      }
    });

    it('rejects an unreadable submission date', () => {
      const found = rejection(normalizerFor(HEADER, 2024)(row({ year: '', date: 'yesterday' }), 2));

      expect(found).toMatchObject({ reason: 'invalid_date', column: 'Fecha', value: 'yesterday' });
    });

    it('rejects the whole file when no year can ever be found', () => {
      const header = ['country', 'role', 'seniority', 'salary', 'currency', 'period'];

      expect(() => normalizerFor(header)).toThrow(FileRejectedError);
      expect(() => normalizerFor(header)).toThrow(/cannot tell the survey year/);
    });
  });

  it('ignores empty fields beyond the header and treats absent fields as missing', () => {
    const normalize = normalizerFor(HEADER, 2024);

    expect(normalize([...row({}), '', ''], 2).ok).toBe(true);
    expect(rejection(normalize(['México', 'Backend'], 3))).toMatchObject({
      reason: 'missing_value',
      column: 'Nivel',
    });
  });

  it('reads full-width digits, letters and spaces (East Asian input methods) as what they stand for', () => {
    const normalize = normalizerFor();
    const ascii = { country: 'MX', seniority: '', years: '11', salary: '45,000', currency: 'MXN' };
    const wide = {
      country: 'ＭＸ',
      seniority: '',
      years: '１１',
      salary: '\u3000４５，０００\u3000',
      currency: 'ＭＸＮ',
      year: '２０２３',
    };

    expect(submission(normalize(row(wide), 3))).toEqual(submission(normalize(row(ascii), 2)));
    expect(submission(normalize(row({ ...wide, salary: '４５，０００ＭＸＮ' }), 4))).toEqual(
      submission(normalize(row(ascii), 2)),
    );
    expect(submission(normalize(row({ ...ascii, salary: '45ｋ' }), 4))).toEqual(
      submission(normalize(row(ascii), 2)),
    );
    expect(
      submission(normalize(row({ year: '', date: '２０２３／０４／１９' }), 5)).cell.year,
    ).toBe(2023);
  });

  it('reads 円 written after a salary as yen, and keeps the cell as written in a rejection', () => {
    const normalize = normalizerFor();
    const japan = { country: 'Japan', currency: '', year: '2025' };

    expect(submission(normalize(row({ ...japan, salary: '４５００００円' }), 2))).toEqual(
      submission(normalize(row({ ...japan, salary: '450000', currency: 'JPY' }), 3)),
    );
    const found = rejection(normalize(row({ ...japan, salary: '４５，０００ＡＢＣ' }), 4));
    expect(found).toMatchObject({ reason: 'unknown_currency', value: '４５，０００ＡＢＣ' });
    expect(found.message).toBe('unknown currency "ABC" in salary "４５，０００ＡＢＣ"');
  });

  it('reads a magnitude after the number: 60k, 60 mil, 600万', () => {
    const normalize = normalizerFor();
    const us = { country: 'US', currency: 'USD', period: 'annual' };
    const sixtyThousand = submission(normalize(row({ ...us, salary: '60000' }), 2));

    for (const salary of ['60k', '60K', '$60k', '60 k USD', '60 mil', '６０ｋ']) {
      expect(submission(normalize(row({ ...us, salary }), 3))).toEqual(sixtyThousand);
    }
    const japan = { country: 'Japan', currency: '', period: 'annual' };
    expect(submission(normalize(row({ ...japan, salary: '６００万円' }), 4))).toEqual(
      submission(normalize(row({ ...japan, salary: '6,000,000', currency: 'JPY' }), 5)),
    );
    const kronor = rejection(normalize(row({ ...us, salary: '60 kr', currency: '' }), 6));
    expect(kronor.message).toBe('unknown currency "kr" in salary "60 kr"');
    const implausible = rejection(normalize(row({ ...us, salary: '600k', period: 'monthly' }), 7));
    expect(implausible.message).toMatch(/^salary 600k USD monthly is 600000\.00 USD per month/);
  });

  it('reads a currency named and coded as form choices write it: "US Dollar (USD)", "Euro - EUR"', () => {
    const normalize = normalizerFor();
    const inUsd = submission(normalize(row({ currency: 'USD' }), 2));
    const inEur = submission(normalize(row({ currency: 'EUR' }), 2));

    for (const currency of [
      'US Dollar (USD)',
      'Dólar estadounidense [USD]',
      '(USD)',
      'USD - US Dollar',
    ]) {
      expect(submission(normalize(row({ currency }), 3)), currency).toEqual(inUsd);
    }
    expect(submission(normalize(row({ currency: 'Euro - EUR' }), 4))).toEqual(inEur);
    expect(submission(normalize(row({ salary: '45000 (USD)', currency: '' }), 5))).toEqual(inUsd);
    expect(submission(normalize(row({ currency: 'Dollars (CAD)' }), 6)).monthlyUsdCents).toBe(
      submission(normalize(row({ currency: 'CAD' }), 6)).monthlyUsdCents,
    );
    // Another code or another currency's name anywhere in the label: no one currency.
    for (const currency of [
      'USD (MXN)',
      'USD-MXN',
      'Euro (XYZ)',
      'Peso (ARS) - USD',
      'Pesos mexicanos (MXN) / US Dollar (USD)',
      'Euro (USD)',
      'US Dollar (CAD)',
    ]) {
      expect(rejection(normalize(row({ currency }), 7)).reason, currency).toBe('unknown_currency');
    }
  });

  it('says a salary range is a range', () => {
    const normalize = normalizerFor();

    for (const salary of [
      '$60,000 - $79,999',
      '60k-70k',
      'de 60000 a 70000',
      'Between 60000 and 70000',
    ]) {
      const found = rejection(normalize(row({ salary }), 2));
      expect(found, salary).toMatchObject({ reason: 'invalid_number', value: salary });
      expect(found.message).toBe(
        `salary "${salary}" is a range: the report needs each respondent's own amount`,
      );
    }
    // Two numbers that are not an ascending range are not called one.
    for (const [salary, text] of [
      ['45000 a month', 'a month'],
      ['45000 y 3000 bono', 'bono'],
      ['45000 a 12 meses', 'meses'],
    ]) {
      expect(rejection(normalize(row({ salary }), 3)).message).toBe(
        `unknown currency "${text}" in salary "${salary}"`,
      );
    }
  });

  it('gives the same answer for a repeated spelling (cached) as the first time', () => {
    const normalize = normalizerFor();

    expect(normalize(row({ country: 'EE.UU.', currency: 'USD', salary: '9000' }), 2)).toEqual(
      normalize(row({ country: 'EE.UU.', currency: 'USD', salary: '9000' }), 2),
    );
  });

  it('never throws, whatever the fields contain', PROPERTY_TEST, () => {
    const normalize = normalizerFor(HEADER, 2024);
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'binary' }), { maxLength: 12 }),
        fc.nat(),
        (fields, line) => {
          const outcome = normalize(fields, line);
          expect(typeof outcome.ok).toBe('boolean');
        },
      ),
      { seed: 7, numRuns: 2000 },
    );
  });
});

describe('yearOfDate', () => {
  it.each([
    ['2024-03-15', 2024],
    ['2024-03-15T10:20:30Z', 2024],
    ['2024-03-15 10:20:30', 2024],
    ['2024/03/15', 2024],
    ['15/03/2024', 2024],
    ['3/15/2024', 2024],
    ['3/15/2024 9:05:00 AM', 2024],
    ['15-03-2024', 2024],
    ['15.03.2024', 2024],
    ['19/04/2025 03:51:10', 2025],
    ['15/03/2024 ', 2024],
    [' 15/03/2024', 2024],
    ['2024-03-15T', 2024],
    ['03/15/2024 anything after the date', 2024],
  ])('reads the year of "%s"', (raw, year) => {
    expect(yearOfDate(raw)).toBe(year);
  });

  it.each([
    '2024-13-01',
    '32/13/2024',
    '15/03/24',
    '45292',
    'March 2024',
    '2024',
    '15/03/2024x',
    '00/03/2024',
    '2024-03-00',
    '15/13/2024 10:00',
  ])('refuses "%s"', (raw) => {
    expect(yearOfDate(raw)).toBeUndefined();
  });
});
