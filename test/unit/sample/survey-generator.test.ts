import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import {
  generateSurveyCsv,
  generateSurveyRows,
  type SampleOptions,
  type SampleRow,
  sampleHeader,
} from '#cli/sample/survey-generator.ts';

/** Units per USD, roughly 2024's averages; MXN fixed at 18.3 as the calibration brief says. */
const RATES_2024 = {
  MXN: 18.3,
  CAD: 1.37,
  BRL: 5.39,
  ARS: 915,
  COP: 4070,
  CLP: 944,
  PEN: 3.75,
  CRC: 515,
  UYU: 39.7,
  GTQ: 7.77,
};

const OPTIONS: SampleOptions = {
  rows: 2_000,
  seed: 20_240_101,
  year: 2024,
  exchangeRates: RATES_2024,
};

async function csvText(options: SampleOptions): Promise<string> {
  let text = '';
  for await (const chunk of generateSurveyCsv(options)) text += chunk;
  return text;
}

function rows(options: SampleOptions): SampleRow[] {
  return [...generateSurveyRows(options)];
}

function meanUsd(sample: readonly SampleRow[]): number {
  return sample.reduce((sum, row) => sum + row.monthlyUsdCents, 0) / sample.length / 100;
}

/**
 * An independent reading of the salary formats the generator writes ("45000", "45,000.50",
 * "$45,000", "MXN 45000"), with the conversion ingestion applies: amount / rate, / 12 if annual,
 * rounded half-up to cents.
 */
function monthlyUsdCentsFromText(salary: string, currency: string, period: string): number {
  const amount = Number(salary.replace(/^\$|^[A-Z]{3} /, '').replaceAll(',', ''));
  const rate = currency === 'USD' ? 1 : RATES_2024[currency as keyof typeof RATES_2024];
  const months = /^(annual|yearly|anual)$/i.test(period) ? 12 : 1;
  return Math.round((amount / rate / months) * 100);
}

describe('generateSurveyCsv', () => {
  it('writes byte-identical files for the same seed and options', async () => {
    expect(await csvText(OPTIONS)).toBe(await csvText(OPTIONS));
  });

  it('writes a different file for a different seed', async () => {
    expect(await csvText({ ...OPTIONS, seed: OPTIONS.seed + 1 })).not.toBe(await csvText(OPTIONS));
  });

  it('starts with the English header and writes one line per row', async () => {
    const lines = (await csvText(OPTIONS)).split('\r\n');
    expect(lines[0]).toBe(
      'country,role,seniority,years_experience,salary,currency,period,year,city,submission_id,employment_type',
    );
    expect(lines.at(-1)).toBe('');
    expect(lines).toHaveLength(OPTIONS.rows + 2);
  });

  it('starts with the Spanish header in a Spanish survey', async () => {
    const text = await csvText({ ...OPTIONS, rows: 3, language: 'es' });
    expect(text.split('\r\n')[0]).toBe(
      'país,puesto,nivel,años de experiencia,salario,moneda,periodo,año,ciudad,id,tipo de empleo',
    );
  });

  it('writes only the header for zero rows', async () => {
    expect(await csvText({ ...OPTIONS, rows: 0 })).toBe(`${sampleHeader('en').join(',')}\r\n`);
  });

  it('quotes fields containing a comma, so a CSV parser reads back exactly the generated fields', async () => {
    const generated = rows(OPTIONS);
    const parsed = Papa.parse<string[]>(await csvText(OPTIONS), { skipEmptyLines: true }).data;

    expect(parsed.slice(1)).toEqual(generated.map((row) => row.fields));
    const withComma = generated.filter((row) => row.fields.some((field) => field.includes(',')));
    expect(withComma.length).toBeGreaterThan(0);
    expect(await csvText(OPTIONS)).toContain('"Washington, D.C."');
  });

  it('yields chunks of about 64 KiB', async () => {
    const chunks: string[] = [];
    for await (const chunk of generateSurveyCsv({ ...OPTIONS, rows: 5_000 })) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(2);
    for (const chunk of chunks.slice(0, -1)) {
      expect(chunk.length).toBeGreaterThanOrEqual(64 * 1024);
      expect(chunk.length).toBeLessThan(65 * 1024);
      expect(chunk.endsWith('\r\n')).toBe(true);
    }
  });
});

describe('generateSurveyRows', () => {
  it('generates the requested number of rows on consecutive lines after the header', () => {
    const sample = rows(OPTIONS);
    expect(sample).toHaveLength(OPTIONS.rows);
    expect(sample.map((row) => row.line)).toEqual(sample.map((_, index) => index + 2));
  });

  it('writes every row with as many fields as the header, in both languages', () => {
    for (const language of ['en', 'es'] as const) {
      const width = sampleHeader(language).length;
      for (const row of rows({ ...OPTIONS, language })) expect(row.fields).toHaveLength(width);
    }
  });

  it('gives every row a distinct deterministic submission id', () => {
    const ids = rows(OPTIONS).map((row) => row.fields[9]);
    expect(new Set(ids).size).toBe(OPTIONS.rows);
    expect(ids).toEqual(rows(OPTIONS).map((row) => row.fields[9]));
  });

  it('writes a salary string that re-parses to the stated monthly USD cents', () => {
    const good = rows({ ...OPTIONS, rows: 20_000 }).filter((row) => !row.bad);
    const formats = new Set<string>();
    for (const row of good) {
      const [, , , , salary = '', currency = '', period = ''] = row.fields;
      formats.add(salary.replace(/\d/g, '9').replace(/9+/g, '9'));
      expect(monthlyUsdCentsFromText(salary, currency, period), salary).toBe(row.monthlyUsdCents);
    }
    expect([...formats].sort()).toEqual(
      expect.arrayContaining(['$9,9', '9', '9,9.9', 'MXN 9', 'USD 9']),
    );
  });

  it('uses local currencies mostly, USD everywhere, and annual periods sometimes', () => {
    const good = rows({ ...OPTIONS, rows: 20_000 }).filter((row) => !row.bad);
    const mexican = good.filter((row) => row.country === 'MX');
    const share = (sample: SampleRow[], test: (row: SampleRow) => boolean) =>
      sample.filter(test).length / sample.length;

    expect(share(mexican, (row) => row.fields[5] === 'MXN')).toBeGreaterThan(0.8);
    expect(share(mexican, (row) => row.fields[5] === 'USD')).toBeGreaterThan(0.05);
    expect(share(good, (row) => /^(annual|yearly)$/i.test(row.fields[6] ?? ''))).toBeGreaterThan(
      0.1,
    );
    expect(new Set(good.map((row) => row.fields[5]))).toEqual(
      new Set(['USD', 'MXN', 'CAD', 'BRL', 'ARS', 'COP', 'CLP', 'PEN', 'CRC', 'UYU', 'GTQ']),
    );
  });

  it('draws Mexico and the United States as the dominant countries', () => {
    const sample = rows({ ...OPTIONS, rows: 20_000 });
    const count = (code: string) => sample.filter((row) => row.country === code).length;
    const others = ['CA', 'BR', 'AR', 'CO', 'CL', 'PE', 'CR', 'UY', 'GT'].map(count);
    expect(count('MX')).toBeGreaterThan(count('US'));
    expect(count('US')).toBeGreaterThan(Math.max(...others));
    expect(Math.min(...others)).toBeGreaterThan(0);
  });

  it('leaves seniority empty only when years of experience determine it', () => {
    const sample = rows({ ...OPTIONS, rows: 20_000 }).filter((row) => row.fields[2] === '');
    expect(sample.length).toBeGreaterThan(0);
    expect(sample.some((row) => row.country === 'US' && row.seniority === 'lead')).toBe(false);
    for (const row of sample.filter((candidate) => candidate.country === 'MX')) {
      const expected =
        row.yearsExperience >= 16
          ? 'lead'
          : row.yearsExperience >= 11
            ? 'senior'
            : row.yearsExperience >= 5
              ? 'mid'
              : 'junior';
      expect(row.seniority).toBe(expected);
    }
  });

  it('writes ISO submission timestamps within the year instead of the year when asked', () => {
    const options: SampleOptions = { ...OPTIONS, yearColumn: 'submitted_at' };
    expect(sampleHeader('en', 'submitted_at')[7]).toBe('submitted_at');
    const stamps = rows(options).map((row) => row.fields[7] ?? '');
    for (const stamp of stamps) {
      expect(stamp).toMatch(/^2024-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(new Date(stamp).toISOString()).toBe(stamp.replace('Z', '.000Z'));
    }
    expect(new Set(stamps.map((stamp) => stamp.slice(5, 7))).size).toBe(12);
  });

  it('writes Spanish timestamps day first, as Spanish Google Forms exports do', () => {
    const options: SampleOptions = { ...OPTIONS, language: 'es', yearColumn: 'submitted_at' };
    expect(sampleHeader('es', 'submitted_at')[7]).toBe('marca temporal');
    for (const row of rows(options)) {
      expect(row.fields[7]).toMatch(
        /^(0[1-9]|[12]\d|3[01])\/(0[1-9]|1[0-2])\/2024 \d\d:\d\d:\d\d$/,
      );
    }
  });

  it('describes the same respondents whichever column states the year', () => {
    const withYear = rows(OPTIONS);
    const withTimestamp = rows({ ...OPTIONS, yearColumn: 'submitted_at' });
    const withoutYear = (row: SampleRow) => row.fields.filter((_, index) => index !== 7);
    expect(withTimestamp.map(withoutYear)).toEqual(withYear.map(withoutYear));
  });

  it('plants about badRowShare bad rows, each marked with its column and reason', () => {
    const sample = rows({ ...OPTIONS, rows: 50_000, badRowShare: 0.05 });
    const bad = sample.filter((row) => row.bad);

    expect(bad.length / sample.length).toBeGreaterThan(0.045);
    expect(bad.length / sample.length).toBeLessThan(0.055);
    const kinds = new Set(bad.map((row) => `${row.bad?.column}:${row.bad?.reason}`));
    expect(kinds).toEqual(
      new Set([
        'country:unknown_country',
        'role:unknown_role',
        'salary:invalid_number',
        'currency:missing_value',
        'salary:implausible_salary',
      ]),
    );
    const plantedValue: Record<string, string> = {
      unknown_country: 'Narnia',
      unknown_role: 'Astronaut',
      invalid_number: 'a lot',
      missing_value: '',
      implausible_salary: '5',
    };
    for (const row of bad) {
      const value = row.fields[sampleHeader('en').indexOf(row.bad?.column ?? '')];
      expect(value).toBe(plantedValue[row.bad?.reason ?? '']);
    }
  });

  it('names the offending column as the Spanish header does in a Spanish survey', () => {
    const bad = rows({ ...OPTIONS, language: 'es', badRowShare: 0.5 }).filter((row) => row.bad);
    expect(new Set(bad.map((row) => row.bad?.column))).toEqual(
      new Set(['país', 'puesto', 'salario', 'moneda']),
    );
  });

  it('plants no bad rows when badRowShare is 0', () => {
    expect(rows({ ...OPTIONS, badRowShare: 0 }).some((row) => row.bad)).toBe(false);
  });

  it('refuses a seed outside the 32 bits of PRNG state, which would repeat another seed', () => {
    expect(() => rows({ ...OPTIONS, seed: 2 ** 32 })).toThrow(RangeError);
    expect(() => rows({ ...OPTIONS, seed: -1 })).toThrow(RangeError);
  });

  it('refuses to generate without an exchange rate for a local currency', () => {
    const { MXN: _mxn, ...withoutPeso } = RATES_2024;
    expect(() => rows({ ...OPTIONS, exchangeRates: withoutPeso })).toThrow(/MXN/);
  });
});

describe('sample calibration', () => {
  const good = rows({ ...OPTIONS, rows: 100_000, seed: 7 }).filter((row) => !row.bad);
  const cell = (country: string, seniority?: string) =>
    good.filter(
      (row) =>
        row.country === country &&
        row.role === 'backend' &&
        (seniority === undefined || row.seniority === seniority),
    );

  it('reproduces the US back-end mean of the source report ($8,807 a month) within 3%', () => {
    expect(meanUsd(cell('US'))).toBeGreaterThan(8_807 * 0.97);
    expect(meanUsd(cell('US'))).toBeLessThan(8_807 * 1.03);
  });

  it('reproduces the Mexican senior back-end mean of the source report ($4,475 a month) within 3%', () => {
    expect(meanUsd(cell('MX', 'senior'))).toBeGreaterThan(4_475 * 0.97);
    expect(meanUsd(cell('MX', 'senior'))).toBeLessThan(4_475 * 1.03);
  });

  it('keeps other cells plausible: MX junior near $1,500, US senior near $10,000, Canada at 70% of the US, South America in between', () => {
    const mxJunior = meanUsd(cell('MX', 'junior'));
    expect(mxJunior).toBeGreaterThan(1_300);
    expect(mxJunior).toBeLessThan(1_700);
    expect(meanUsd(cell('US', 'senior'))).toBeGreaterThan(9_500);
    expect(meanUsd(cell('CA')) / meanUsd(cell('US'))).toBeCloseTo(0.7, 1);
    for (const country of ['BR', 'AR', 'CO']) {
      expect(meanUsd(cell(country))).toBeGreaterThan(mxJunior);
      expect(meanUsd(cell(country))).toBeLessThan(meanUsd(cell('MX', 'senior')));
    }
  });
});
