import { mulberry32 } from '#cli/sample/prng.ts';
import { toCsvLine } from '#shared/domain/csv/write-csv.ts';
import type { ProfileFile } from '#shared/domain/profile.ts';
import { DEFAULT_RULES } from '#shared/domain/rules/index.ts';

/**
 * Synthetic files in the shapes real public salary exports have (never their data), each with the
 * profile that reads it and the outcome expected per row, worked out here from what the generator
 * wrote, not by running the pipeline:
 * - `kaggleShape`: Kaggle-style "data science salaries" (several years, EN/MI/SE/EX, FT/PT/CT/FL,
 *   ISO alpha-2 residences, a ready-made USD column, annual pay);
 * - `sysarmyShape`: a Spanish Google Forms survey of one country (Argentina): repeated headers, a
 *   province column named after the country, no country, currency or period column, experience as
 *   ranges, gross or net pay per row;
 * - `stackOverflowShape`: Stack Overflow developer-survey style: English country names, `;`-
 *   separated DevType and Employment, YearsCodePro answers, `MXN\tMexican peso` currencies and an
 *   annual USD column;
 * - `hrisShape`: an HR system's compensation report (BambooHR-style): employee numbers and names,
 *   amounts with their currency written after them, pay schedules, hourly and salaried rows.
 */
export interface ShapeFixture {
  /** The profile's name (config/profiles/<name>.json). */
  name: string;
  key: string;
  csv: string;
  profile: ProfileFile;
  expected: ExpectedOutcome;
}

export interface ExpectedOutcome {
  accepted: number;
  rejected: number;
  rejectedByReason: Record<string, number>;
  excluded: Record<string, number>;
  /** Count and cents per cell id (`year#country#role#seniority`). */
  cells: Map<string, { count: number; sumCents: bigint }>;
}

class Expectation {
  readonly outcome: ExpectedOutcome = {
    accepted: 0,
    rejected: 0,
    rejectedByReason: {},
    excluded: {},
    cells: new Map(),
  };

  accept(cell: string, cents: number): void {
    this.outcome.accepted += 1;
    const entry = this.outcome.cells.get(cell) ?? { count: 0, sumCents: 0n };
    entry.count += 1;
    entry.sumCents += BigInt(cents);
    this.outcome.cells.set(cell, entry);
  }

  reject(reason: string): void {
    this.outcome.rejected += 1;
    this.outcome.rejectedByReason[reason] = (this.outcome.rejectedByReason[reason] ?? 0) + 1;
  }

  exclude(reason: string): void {
    this.outcome.excluded[reason] = (this.outcome.excluded[reason] ?? 0) + 1;
  }
}

function picker(seed: number) {
  const next = mulberry32(seed);
  return {
    next,
    pick<T>(items: readonly T[]): T {
      const item = items[Math.floor(next() * items.length)];
      if (item === undefined) throw new Error('empty list');
      return item;
    },
    between(min: number, max: number): number {
      return Math.floor(min + next() * (max - min + 1));
    },
  };
}

function csvText(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [header, ...rows].map((row) => toCsvLine(row)).join('');
}

/** Annual USD → monthly cents, as a person would do it: divide by twelve, round to the cent. */
function annualUsdCents(usd: number): number {
  return Math.round((usd * 100) / 12);
}

/** Experience bands as docs/normalization.md states them (Mexico, the US, everywhere else). */
function seniorityFromYears(country: string, years: number): string {
  const bands: Record<string, [number, string][]> = {
    MX: [
      [16, 'lead'],
      [11, 'senior'],
      [5, 'mid'],
      [0, 'junior'],
    ],
    US: [
      [6, 'senior'],
      [3, 'mid'],
      [0, 'junior'],
    ],
    other: [
      [13, 'lead'],
      [7, 'senior'],
      [3, 'mid'],
      [0, 'junior'],
    ],
  };
  const table = bands[country] ?? bands.other ?? [];
  return table.find(([from]) => years >= from)?.[1] ?? 'junior';
}

// --- Kaggle "data science salaries" --------------------------------------------------------

/** About eighty ISO alpha-2 residences; the first ones weigh more, as in the real file. */
const KAGGLE_RESIDENCES = [
  'US',
  'US',
  'US',
  'US',
  'GB',
  'CA',
  'DE',
  'IN',
  'ES',
  'FR',
  'AU',
  'PT',
  'NL',
  'BR',
  'MX',
  'IT',
  'PL',
  'IE',
  'AT',
  'BE',
  'CH',
  'DK',
  'SE',
  'NO',
  'FI',
  'GR',
  'RO',
  'HU',
  'CZ',
  'SK',
  'SI',
  'HR',
  'BG',
  'LT',
  'LV',
  'EE',
  'UA',
  'RU',
  'TR',
  'IL',
  'AE',
  'SA',
  'EG',
  'NG',
  'KE',
  'ZA',
  'MA',
  'TN',
  'DZ',
  'GH',
  'PK',
  'BD',
  'LK',
  'NP',
  'CN',
  'JP',
  'KR',
  'SG',
  'MY',
  'TH',
  'VN',
  'PH',
  'ID',
  'HK',
  'NZ',
  'AR',
  'CL',
  'CO',
  'PE',
  'UY',
  'EC',
  'BO',
  'CR',
  'PR',
  'DO',
  'JE',
  'AS',
  'IR',
  'IQ',
  'MT',
  'CY',
  'LU',
  'RS',
  'BA',
  'MD',
  'AM',
] as const;

const KAGGLE_LEVELS = { EN: 'junior', MI: 'mid', SE: 'senior', EX: 'lead' } as const;

/** Job titles and the role each is counted under (undefined: no role, rejected). */
const KAGGLE_TITLES: readonly [string, string | undefined][] = [
  ['Data Scientist', 'data'],
  ['Data Engineer', 'data'],
  ['Data Analyst', 'data'],
  ['Machine Learning Engineer', 'data'],
  ['ML Engineer', 'data'],
  ['Analytics Engineer', 'data'],
  ['Head of Data', 'manager'],
  ['Data Science Manager', 'manager'],
  ['Research Scientist', undefined],
];

export function kaggleShape(rows = 400, seed = 11): ShapeFixture {
  const random = picker(seed);
  const expectation = new Expectation();
  const header = [
    'work_year',
    'experience_level',
    'employment_type',
    'job_title',
    'salary',
    'salary_currency',
    'salary_in_usd',
    'employee_residence',
    'remote_ratio',
    'company_location',
    'company_size',
  ];
  const lines: string[][] = [];
  for (let row = 0; row < rows; row++) {
    const year = random.between(2020, 2024);
    const level = random.pick(Object.keys(KAGGLE_LEVELS) as (keyof typeof KAGGLE_LEVELS)[]);
    const employment = random.next() < 0.9 ? 'FT' : random.pick(['PT', 'CT', 'FL']);
    const [title, role] = random.pick(KAGGLE_TITLES);
    const residence = random.pick(KAGGLE_RESIDENCES);
    const implausible = random.next() < 0.02;
    const usd = implausible ? 1000 : random.between(15, 300) * 1000 + random.between(0, 999);
    const inEuro = residence !== 'US' && random.next() < 0.3;
    lines.push([
      String(year),
      level,
      employment,
      title,
      String(inEuro ? Math.round(usd * 0.92) : usd),
      inEuro ? 'EUR' : 'USD',
      String(usd),
      residence,
      random.pick(['0', '50', '100']),
      residence,
      random.pick(['S', 'M', 'L']),
    ]);
    if (employment !== 'FT') expectation.exclude('employment_type');
    else if (role === undefined) expectation.reject('unknown_role');
    else if (implausible) expectation.reject('implausible_salary');
    else {
      expectation.accept(
        `${year}#${residence}#${role}#${KAGGLE_LEVELS[level]}`,
        annualUsdCents(usd),
      );
    }
  }
  return {
    name: 'ds-salaries',
    key: 'uploads/2024/ds_salaries.csv',
    csv: csvText(header, lines),
    profile: {
      description: 'Kaggle "data science salaries": annual pay, a ready-made USD column',
      columns: {
        year: 'work_year',
        country: 'employee_residence',
        role: 'job_title',
        seniority: 'experience_level',
        salary_usd: 'salary_in_usd',
        employment_type: 'employment_type',
      },
      constants: { period: 'annual' },
      values: {
        seniority: { EN: 'junior', MI: 'mid', SE: 'senior', EX: 'lead' },
        role: { 'Head of Data': 'manager', 'Data Science Manager': 'manager' },
      },
      include: { employment_type: ['FT'] },
    },
    expected: expectation.outcome,
  };
}

// --- sysarmy-style Spanish Google Forms survey of Argentina ---------------------------------

/** Experience answers and the years each counts as (the midpoint of a range). */
const SYSARMY_EXPERIENCE: readonly [string, number][] = [
  ['Menos de un año', 0],
  ['1 - 2', 1.5],
  ['3 - 5', 4],
  ['6 - 10', 8],
  ['10+', 10],
];

/** Roles as the form offers them, and the profile's decision for each (undefined: excluded). */
const SYSARMY_ROLES: readonly [string, string | undefined][] = [
  ['Developer', 'fullstack'],
  ['Developer', 'fullstack'],
  ['Developer', 'fullstack'],
  ['SysAdmin / DevOps', 'devops'],
  ['QA / Tester', 'qa'],
  ['HelpDesk', undefined],
  ['DBA', undefined],
];

export const SYSARMY_YEAR = 2022;

export function sysarmyShape(rows = 300, seed = 22): ShapeFixture {
  const random = picker(seed);
  const expectation = new Expectation();
  const rate = DEFAULT_RULES.exchangeRates[String(SYSARMY_YEAR)]?.ARS;
  if (rate === undefined) throw new Error(`no ${SYSARMY_YEAR} ARS rate`);
  const header = [
    'Soy',
    'Tengo',
    'Argentina',
    'Años de experiencia',
    'Años en el puesto actual',
    'Trabajo de',
    'Tecnologías que utilizás',
    'Tecnologías que utilizás',
    'Tecnologías que utilizás',
    'Salario mensual (en tu moneda local)',
    'Bruto o neto?',
    '¿Tenés guardias?',
  ];
  const lines: string[][] = [];
  for (let row = 0; row < rows; row++) {
    const [experience, years] = random.pick(SYSARMY_EXPERIENCE);
    const [roleText, role] = random.pick(SYSARMY_ROLES);
    const net = random.next() < 0.25;
    const unreadable = random.next() < 0.02;
    const amount = random.between(150, 900) * 1000;
    // Argentine spreadsheets write thousands with a dot about half the time.
    const amountText = unreadable
      ? 'a convenir'
      : random.next() < 0.5
        ? amount.toLocaleString('es-AR')
        : String(amount);
    lines.push([
      random.pick(['Hombre', 'Mujer', 'Otros']),
      String(random.between(21, 55)),
      random.pick(['Ciudad Autónoma de Buenos Aires', 'Córdoba', 'Santa Fe', 'Mendoza', 'GBA']),
      experience,
      random.pick(['Menos de un año', '1 - 2', '3 - 5']),
      roleText,
      random.pick(['Java', 'Python', 'JavaScript']),
      random.pick(['AWS', 'GCP', 'Azure', '']),
      random.pick(['Docker', 'Kubernetes', '']),
      amountText,
      net ? 'Neto' : 'Bruto',
      random.pick(['Sí', 'No']),
    ]);
    if (role === undefined) expectation.exclude('role');
    else if (net) expectation.exclude('net_pay');
    else if (unreadable) expectation.reject('invalid_number');
    else {
      expectation.accept(
        `${SYSARMY_YEAR}#AR#${role}#${seniorityFromYears('AR', years)}`,
        Math.round((amount * 100) / rate),
      );
    }
  }
  return {
    name: 'sysarmy-ar',
    key: `uploads/${SYSARMY_YEAR}/encuesta-sysarmy-${SYSARMY_YEAR}.csv`,
    csv: csvText(header, lines),
    profile: {
      description:
        'sysarmy-style survey of Argentina: monthly pay in pesos, gross or net per row; "Developer" covers every kind of developer and is filed under fullstack',
      columns: {
        role: 'Trabajo de',
        salary: 'Salario mensual (en tu moneda local)',
        pay_basis: 'Bruto o neto?',
      },
      constants: { country: 'AR', currency: 'local', period: 'monthly' },
      values: {
        role: { Developer: 'fullstack', 'SysAdmin / DevOps': 'devops', 'QA / Tester': 'qa' },
      },
      include: { role: ['fullstack', 'devops', 'qa'] },
    },
    expected: expectation.outcome,
  };
}

// --- Stack Overflow developer survey style --------------------------------------------------

const SO_COUNTRIES: readonly [string, string | undefined, string][] = [
  ['United States of America', 'US', 'USD\tUnited States dollar'],
  ['United States of America', 'US', 'USD\tUnited States dollar'],
  ['United Kingdom of Great Britain and Northern Ireland', 'GB', 'GBP\tPound sterling'],
  ['Germany', 'DE', 'EUR European Euro'],
  ['India', 'IN', 'INR\tIndian rupee'],
  ['Mexico', 'MX', 'MXN\tMexican peso'],
  ['Brazil', 'BR', 'BRL\tBrazilian real'],
  ['Viet Nam', 'VN', 'VND\tVietnamese dong'],
  ['Russian Federation', 'RU', 'RUB\tRussian ruble'],
  ['Poland', 'PL', 'PLN\tPolish zloty'],
  ['Nomadic', undefined, 'USD\tUnited States dollar'],
];

/** DevType answers and the role each is counted under (undefined: not a role). */
const SO_DEV_TYPES: readonly [string, string | undefined][] = [
  ['Developer, back-end', 'backend'],
  ['Developer, front-end', 'frontend'],
  ['Developer, full-stack', 'fullstack'],
  ['Developer, mobile', 'mobile'],
  ['DevOps specialist', 'devops'],
  ['Cloud infrastructure engineer', 'devops'],
  ['Data scientist or machine learning specialist', 'data'],
  ['Engineering manager', 'manager'],
  ['Developer, QA or test', 'qa'],
  ['Security professional', 'security'],
  ['Developer, embedded applications or devices', 'embedded'],
  ['Student', undefined],
  ['Academic researcher', undefined],
  ['Designer', undefined],
];

const SO_EMPLOYMENT: readonly [string, boolean][] = [
  ['Employed, full-time', true],
  ['Employed, full-time', true],
  ['Employed, full-time', true],
  ['Employed, full-time', true],
  ['Employed, full-time;Independent contractor, freelancer, or self-employed', true],
  ['Independent contractor, freelancer, or self-employed', false],
  ['Employed, part-time', false],
];

export const STACK_OVERFLOW_YEAR = 2024;

export function stackOverflowShape(rows = 400, seed = 33): ShapeFixture {
  const random = picker(seed);
  const expectation = new Expectation();
  const header = [
    'ResponseId',
    'MainBranch',
    'Age',
    'Employment',
    'RemoteWork',
    'EdLevel',
    'YearsCode',
    'YearsCodePro',
    'DevType',
    'OrgSize',
    'Country',
    'Currency',
    'CompTotal',
    'ConvertedCompYearly',
  ];
  const lines: string[][] = [];
  for (let row = 0; row < rows; row++) {
    const [employment, fullTime] = random.pick(SO_EMPLOYMENT);
    const [countryName, country, currency] = random.pick(SO_COUNTRIES);
    const typeCount = random.between(1, 3);
    const types = Array.from({ length: typeCount }, () => random.pick(SO_DEV_TYPES));
    const role = types.find(([, slug]) => slug !== undefined)?.[1];
    const yearsDraw = random.next();
    const [yearsText, years] =
      yearsDraw < 0.1
        ? ['Less than 1 year', 0]
        : yearsDraw < 0.12
          ? ['More than 50 years', 50]
          : (() => {
              const value = random.between(1, 30);
              return [String(value), value] as const;
            })();
    const noComp = random.next() < 0.1;
    const usd = random.between(8, 250) * 1000 + random.between(0, 999);
    lines.push([
      String(row + 1),
      'I am a developer by profession',
      random.pick(['18-24 years old', '25-34 years old', '35-44 years old']),
      employment,
      random.pick(['Remote', 'In-person', 'Hybrid (some remote, some in-person)']),
      'Bachelor’s degree (B.A., B.S., B.Eng., etc.)',
      String(Number(yearsText) > 0 ? Number(yearsText) + 2 : 3),
      yearsText,
      types.map(([text]) => text).join(';'),
      random.pick(['20 to 99 employees', '1,000 to 4,999 employees']),
      countryName,
      currency,
      noComp ? 'NA' : String(usd),
      noComp ? 'NA' : String(usd),
    ]);
    if (!fullTime) expectation.exclude('employment_type');
    else if (country === undefined) expectation.reject('unknown_country');
    else if (role === undefined) expectation.reject('unknown_role');
    else if (noComp) expectation.reject('missing_value');
    else {
      expectation.accept(
        `${STACK_OVERFLOW_YEAR}#${country}#${role}#${seniorityFromYears(country, years)}`,
        annualUsdCents(usd),
      );
    }
  }
  return {
    name: 'so-survey',
    key: `uploads/${STACK_OVERFLOW_YEAR}/survey_results_public.csv`,
    csv: csvText(header, lines),
    profile: {
      description: 'Stack Overflow developer survey: annual compensation converted to USD',
      columns: {
        country: 'Country',
        role: 'DevType',
        years_experience: 'YearsCodePro',
        salary_usd: 'ConvertedCompYearly',
        employment_type: 'Employment',
      },
      constants: { period: 'annual' },
      values: {
        role: {
          'DevOps specialist': 'devops',
          'Cloud infrastructure engineer': 'devops',
          'Data scientist or machine learning specialist': 'data',
          'Engineering manager': 'manager',
          'Developer, QA or test': 'qa',
          'Security professional': 'security',
          'Developer, embedded applications or devices': 'embedded',
        },
      },
      split: { role: ';', employment_type: ';' },
      include: { employment_type: ['Employed, full-time'] },
    },
    expected: expectation.outcome,
  };
}

// --- HR system export (BambooHR-style compensation report) ---------------------------------

const HRIS_COUNTRIES: readonly [string, string, string, readonly number[]][] = [
  ['United States', 'US', 'USD', [95_000, 130_000, 170_000, 210_000]],
  ['Mexico', 'MX', 'MXN', [420_000, 700_000, 980_000, 1_300_000]],
  ['Brazil', 'BR', 'BRL', [96_000, 150_000, 230_000, 320_000]],
  ['Germany', 'DE', 'EUR', [55_000, 70_000, 88_000, 110_000]],
];
const HRIS_LEVELS = { IC1: 'junior', IC2: 'mid', IC3: 'senior', IC4: 'lead' } as const;
const HRIS_TITLES: readonly [string, string][] = [
  ['Software Engineer', 'backend'],
  ['Frontend Engineer', 'frontend'],
  ['QA Analyst', 'qa'],
  ['Site Reliability Engineer', 'devops'],
];
const HRIS_SCHEDULES: readonly [string, number][] = [
  ['Annual', 1],
  ['Monthly', 12],
  ['Semi-Monthly', 24],
  ['Bi-Weekly', 26],
];
export const HRIS_YEAR = 2025;

/**
 * An HR system's compensation report (BambooHR-style): quoted cells, a BOM, CRLF, an employee
 * number and a "Last, First" name column, the currency written after each amount
 * ("9,406.97 EUR"), pay schedules from annual to bi-weekly, hourly employees beside salaried
 * ones, job levels IC1–IC4, hire and effective dates; no year column (the upload's year).
 */
export function hrisShape(rows = 400, seed = 44): ShapeFixture {
  const random = picker(seed);
  const expectation = new Expectation();
  const rates = DEFAULT_RULES.exchangeRates[String(HRIS_YEAR)] ?? {};
  const header = [
    'Employee #',
    'Last name, First name',
    'Job Title',
    'Department',
    'Job Level',
    'Location',
    'Country',
    'Pay Rate',
    'Pay Type',
    'Pay Schedule',
    'Hire Date',
    'Effective Date',
  ];
  const lines: string[][] = [];
  const money = (amount: number) =>
    amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  for (let row = 0; row < rows; row++) {
    const [countryName, country, currency, bands] = random.pick(HRIS_COUNTRIES);
    const level = random.pick(Object.keys(HRIS_LEVELS) as (keyof typeof HRIS_LEVELS)[]);
    const [title, role] = random.pick(HRIS_TITLES);
    const hourly = random.next() < 0.06;
    const paidInUsd = !hourly && currency !== 'USD' && random.next() < 0.03;
    const [schedule, payments] = hourly ? ['Bi-Weekly', 26] : random.pick(HRIS_SCHEDULES);
    const annual =
      (bands[Object.keys(HRIS_LEVELS).indexOf(level)] ?? 0) * (0.85 + random.next() * 0.3);
    const amount = hourly ? random.between(30, 90) : Math.round((annual / payments) * 100) / 100;
    const written = paidInUsd ? 'USD' : currency;
    lines.push([
      `E${String(row + 1).padStart(5, '0')}`,
      random.pick(['Doe, Jane', 'Roe, Richard', 'Pérez, Ana', 'Müller, Jörg']),
      title,
      'Engineering',
      level,
      random.pick(['HQ', 'Remote']),
      countryName,
      `${money(amount)} ${written}`,
      hourly ? 'Hourly' : 'Salary',
      schedule,
      '07/01/2019',
      `01/01/${HRIS_YEAR}`,
    ]);
    if (hourly) expectation.exclude('employment_type');
    else if (paidInUsd) expectation.reject('conflicting_currency');
    else {
      const rate = rates[currency as keyof typeof rates];
      if (rate === undefined) throw new Error(`no ${HRIS_YEAR} ${currency} rate`);
      // docs/normalization.md: amount × payments per year / 12 / rate, half-up to the cent.
      const cents = Math.floor((amount * payments * 100) / (12 * rate) + 0.5 + 1e-6);
      expectation.accept(`${HRIS_YEAR}#${country}#${role}#${HRIS_LEVELS[level]}`, cents);
    }
  }
  return {
    name: 'bamboohr-compensation',
    key: `uploads/${HRIS_YEAR}/compensation-report.csv`,
    csv: `\uFEFF${[header, ...lines].map((line) => `${line.map((cell) => `"${cell.replaceAll('"', '""')}"`).join(',')}\r\n`).join('')}`,
    profile: {
      description: 'HR system compensation report: amounts with their currency, salaried rows only',
      columns: {
        salary: 'Pay Rate',
        period: 'Pay Schedule',
        seniority: 'Job Level',
        employment_type: 'Pay Type',
      },
      constants: { currency: 'local' },
      values: {
        seniority: { ...HRIS_LEVELS },
        role: Object.fromEntries(HRIS_TITLES),
      },
      include: { employment_type: ['Salary'] },
    },
    expected: expectation.outcome,
  };
}
