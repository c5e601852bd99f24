import { describe, expect, it } from 'vitest';
import { cellId } from '#shared/domain/cell.ts';
import { type MappingProfile, type ProfileFile, parseProfile } from '#shared/domain/profile.ts';
import { DEFAULT_RULES } from '#shared/domain/rules/index.ts';
import type { RowRejection } from '#shared/domain/submission.ts';
import { aggregateCsv } from '#shared/domain/survey-file.ts';
import { FileRejectedError, ProfileError } from '#shared/errors.ts';

function profileOf(file: ProfileFile, name = 'test'): MappingProfile {
  return parseProfile(
    name,
    `config/profiles/${name}.json`,
    JSON.stringify(file, null, 2),
    DEFAULT_RULES,
  );
}

function profileError(text: string): ProfileError {
  try {
    parseProfile('p', 'config/profiles/p.json', text, DEFAULT_RULES);
  } catch (error) {
    if (error instanceof ProfileError) return error;
    throw error;
  }
  throw new Error('expected a ProfileError');
}

async function ingest(csv: string, profile?: MappingProfile, key = 'uploads/2023/f.csv') {
  const rejections: RowRejection[] = [];
  const { aggregation } = await aggregateCsv({
    fileName: key,
    open: async () =>
      (async function* () {
        yield new TextEncoder().encode(csv);
      })(),
    rules: DEFAULT_RULES,
    yearFromKey: Number(key.split('/')[1]),
    latestYear: 2026,
    rejections: { add: (rejection) => rejections.push(rejection), reset: () => {} },
    ...(profile ? { profile } : {}),
  });
  const cells = new Map(
    [...aggregation.cells.values()].map(({ submission, aggregate }) => [
      cellId(submission.cell),
      { count: aggregate.count, sumCents: aggregate.sumCents },
    ]),
  );
  return { aggregation, rejections, cells };
}

describe('parseProfile', () => {
  it.each([
    ['{ "columns": { "role": "Puesto" }, ', 'line 1: invalid JSON'],
    ['{\n  "colums": {}\n}', 'line 2, colums: Unrecognized key: "colums"'],
    ['{\n  "columns": {\n    "salry": "Salario"\n  }\n}', 'line 3, columns.salry:'],
    [
      '{\n  "columns": { "country": "País" },\n  "constants": { "country": "MX" }\n}',
      'line 3, constants.country: country is given both as the column "País" and as a constant: keep one',
    ],
    [
      '{\n  "values": {\n    "role": { "Dev": "wizard" }\n  }\n}',
      'line 3, values.role.Dev: "wizard" is not a role: use one of backend, frontend',
    ],
    [
      '{\n  "values": { "country": { "Méjico": "Mexico" } }\n}',
      'line 2, values.country.Méjico: "Mexico" is not an ISO 3166-1 alpha-2 country code like "MX"',
    ],
    [
      '{\n  "constants": {\n    "period": "hourly"\n  }\n}',
      'line 3, constants.period: "hourly" is not a known period',
    ],
    [
      '{\n  "include": {\n    "seniority": ["Junior", "Guru"]\n  }\n}',
      'line 3, include.seniority: "Guru" is not a known seniority',
    ],
    [
      '{\n  "columns": { "salary_usd": "usd" },\n  "constants": { "currency": "MXN" }\n}',
      'line 3, constants.currency: salary_usd is already in USD: a currency is not used, remove it',
    ],
    [
      '{\n  "constants": { "salary": "1000" }\n}',
      'line 2, constants.salary: salary cannot be a constant',
    ],
    ['{\n  "split": { "salary": ";" }\n}', 'line 2, split.salary: salary cells cannot be split'],
  ])('refuses %j, naming the profile, file, line and field', (text, message) => {
    const error = profileError(text);
    expect(error.message).toContain('profile "p" (config/profiles/p.json): ');
    expect(error.message).toContain(message);
  });

  it('gives equal profiles equal fingerprints, whatever their key order', () => {
    const a = profileOf({ constants: { period: 'annual', country: 'MX' } });
    const b = profileOf({ constants: { country: 'MX', period: 'annual' } });
    const c = profileOf({ constants: { country: 'MX', period: 'monthly' } });
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(a.fingerprint).not.toBe(c.fingerprint);
  });
});

describe('ingesting through a profile', () => {
  it('reads a field from the column the profile names, not from an alias', async () => {
    const csv =
      'Role,Job,Level,Pay,Currency,Period,Country\nManager,Backend Developer,Senior,5000,USD,monthly,US\n';
    const { cells } = await ingest(csv, profileOf({ columns: { role: 'Job' } }));
    expect([...cells.keys()]).toEqual(['2023#US#backend#senior']);
  });

  it('rejects the file when a mapped header is missing, or appears twice', async () => {
    const profile = profileOf({ columns: { role: 'Trabajo de' } });
    await expect(
      ingest('country,role,seniority,salary,currency,period\n', profile),
    ).rejects.toThrow(
      'profile "test" maps role to the column "Trabajo de", which the file does not have',
    );
    await expect(
      ingest('País,Trabajo de,Trabajo de,Nivel,Salario,Moneda,Periodo\n', profile),
    ).rejects.toThrow('the file has that header 2 times (columns 2, 3)');
  });

  it('applies its values before the built-in aliases, and constants to every row', async () => {
    const profile = profileOf({
      constants: { country: 'MX', currency: 'MXN', period: 'mensual' },
      values: { role: { Backend: 'frontend' }, seniority: { N3: 'senior' } },
    });
    const { cells } = await ingest('Puesto,Nivel,Salario\nBackend,N3,17733.40\n', profile);
    expect(cells).toEqual(new Map([['2023#MX#frontend#senior', { count: 1, sumCents: 100000n }]]));
  });

  it('counts a multi-valued cell once, under its first recognized value', async () => {
    const profile = profileOf({ split: { role: ';' }, constants: { period: 'annual' } });
    const csv =
      'country,role,seniority,salary,currency\nUS,"Student;Developer, back-end;Developer, front-end",mid,120000,USD\nUS,Student;Designer,mid,120000,USD\n';
    const { cells, rejections } = await ingest(csv, profile);
    expect([...cells.keys()]).toEqual(['2023#US#backend#mid']);
    expect(rejections.map((rejection) => rejection.reason)).toEqual(['unknown_role']);
  });

  it('splits on a full-width separator, and reads full-width values once split', async () => {
    const profile = profileOf({
      split: { role: '，', city: '，' },
      include: { city: ['Tokyo'] },
      constants: { period: 'annual' },
    });
    const csv =
      'country,role,seniority,salary,currency,city\nJP,Designer，Ｂａｃｋｅｎｄ Developer,mid,６，０００，０００,JPY,Osaka，Ｔｏｋｙｏ\nJP,Designer，Backend Developer,mid,6000000,JPY,Osaka\n';
    const { cells, aggregation } = await ingest(csv, profile);
    expect([...cells.keys()]).toEqual(['2023#JP#backend#mid']);
    expect(aggregation.excluded).toEqual({ city: 1 });
  });

  it('reads letters it maps to a currency after an amount as that currency, not a magnitude', async () => {
    const profile = profileOf({
      values: { currency: { K: 'CZK' } },
      constants: { period: 'monthly' },
    });
    const csv =
      'country,role,seniority,salary,currency\nCZ,Backend,mid,60000 K,\nCZ,Backend,mid,60000,CZK\n';
    const { cells, rejections } = await ingest(csv, profile, 'uploads/2021/f.csv');
    expect(rejections).toEqual([]);
    const czech = cells.get('2021#CZ#backend#mid');
    // Both rows the same amount: 60,000 CZK a month, not 60 million.
    expect(czech?.count).toBe(2);
    expect((czech?.sumCents ?? 1n) % 2n).toBe(0n);
    expect(Number(czech?.sumCents ?? 0n) / 2).toBeLessThan(1_000_000);
  });

  it('excludes rows outside its include lists and net pay, counting them by reason', async () => {
    const profile = profileOf({
      include: { employment_type: ['Full-time'], country: ['Mexico', 'US'] },
    });
    const csv = [
      'country,role,seniority,salary,currency,period,employment_type,gross or net',
      'MX,Backend,senior,60000,MXN,monthly,Full-time,Bruto',
      'MX,Backend,senior,50000,MXN,monthly,Full time,Neto',
      'MX,Backend,senior,60000,MXN,monthly,Part-time,gross',
      'Atlantis,Backend,senior,60000,MXN,monthly,Full-time,gross',
      'US,Backend,senior,9000,USD,monthly,Full-time,after tax',
      'US,Backend,senior,9000,USD,monthly,Full-time,',
      'US,Backend,senior,9000,USD,monthly,Full-time,maybe',
    ].join('\n');
    const { aggregation, rejections } = await ingest(csv, profile);
    expect(aggregation.accepted).toBe(2);
    expect(aggregation.excluded).toEqual({ net_pay: 2, employment_type: 1, country: 1 });
    expect(rejections.map((rejection) => [rejection.line, rejection.reason])).toEqual([
      [8, 'unknown_pay_basis'],
    ]);
    expect(aggregation.rejected).toBe(1);
    expect(aggregation.perYear.get(2023)).toEqual({
      accepted: 2,
      rejected: 1,
      rejectedByReason: { unknown_pay_basis: 1 },
    });
  });

  it('rejects the file when it keeps rows by a field the file does not have', async () => {
    const profile = profileOf({ include: { employment_type: ['FT'] } });
    await expect(
      ingest('country,role,seniority,salary,currency,period\n', profile),
    ).rejects.toBeInstanceOf(FileRejectedError);
  });

  it('reads salary_usd as USD for the row’s period, with no currency needed', async () => {
    const profile = profileOf({
      columns: { salary_usd: 'usd' },
      constants: { period: 'annual' },
    });
    const csv =
      'country,role,seniority,salary,currency,usd\nMX,Backend,senior,999999,MXN,60000\nMX,Backend,senior,1,XYZ,EUR 60000\n';
    const { cells, rejections } = await ingest(csv, profile);
    expect(cells).toEqual(new Map([['2023#MX#backend#senior', { count: 1, sumCents: 500000n }]]));
    expect(rejections[0]?.reason).toBe('conflicting_currency');
  });

  it('takes each row’s currency from its country when the profile says "local"', async () => {
    const profile = profileOf({ constants: { currency: 'local', period: 'monthly' } });
    const csv =
      'country,role,seniority,salary\nMexico,Backend,senior,17733.40\nBrasil,Backend,senior,4994.60\nNarnia,Backend,senior,1000\n';
    const { cells, rejections } = await ingest(csv, profile);
    expect(cells).toEqual(
      new Map([
        ['2023#MX#backend#senior', { count: 1, sumCents: 100000n }],
        ['2023#BR#backend#senior', { count: 1, sumCents: 100000n }],
      ]),
    );
    expect(rejections.map((rejection) => rejection.reason)).toEqual(['unknown_country']);
  });
});

describe('other real-world shapes', () => {
  it('reads an HR-system export: semicolons, 1.234,56 decimals, codes in a table', async () => {
    const profile = profileOf({
      columns: { role: 'Stelle', seniority: 'Stufe', salary: 'Bruttogehalt' },
      constants: { country: 'DE', currency: 'EUR', period: 'monthly' },
      values: {
        role: { 'SW-BE': 'backend', 'SW-FE': 'frontend' },
        seniority: { L1: 'junior', L2: 'mid', L3: 'senior' },
      },
    });
    const csv =
      'Personalnummer;Stelle;Stufe;Bruttogehalt;Eintritt\r\n1001;SW-BE;L3;6.490,40;01.03.2019\r\n1002;SW-FE;L1;3.245,20;15.08.2022\r\n1003;HR;L2;4.000,00;01.01.2020\r\n';
    const { cells, rejections } = await ingest(csv, profile);
    // At 1.0817 USD per EUR (2023): 6,490.40 EUR = 7,020.67 USD, 3,245.20 EUR = 3,510.33 USD.
    expect(cells).toEqual(
      new Map([
        ['2023#DE#backend#senior', { count: 1, sumCents: 702067n }],
        ['2023#DE#frontend#junior', { count: 1, sumCents: 351033n }],
      ]),
    );
    expect(rejections.map((rejection) => [rejection.line, rejection.reason])).toEqual([
      [4, 'unknown_role'],
    ]);
  });

  it('reads a Google Forms export: its timestamp gives each row its year', async () => {
    const profile = profileOf({
      columns: {
        role: '¿Cuál es tu puesto?',
        years_experience: '¿Cuántos años de experiencia tenés?',
        salary: 'Sueldo bruto mensual',
      },
      constants: { country: 'UY', currency: 'local', period: 'monthly' },
    });
    const csv = [
      'Marca temporal,¿Cuál es tu puesto?,¿Cuántos años de experiencia tenés?,Sueldo bruto mensual',
      '15/03/2022 10:04:11,Desarrollador Backend,3 - 5,"120.000"',
      '2/1/2023 9:15:00,QA,Menos de un año,"80000"',
    ].join('\r\n');
    const { cells } = await ingest(csv, profile, 'uploads/2023/formulario.csv');
    expect([...cells.keys()]).toEqual(['2022#UY#backend#mid', '2023#UY#qa#junior']);
  });
});
