import { SENIORITY_BY_EXPERIENCE } from '#shared/domain/rules/seniority.ts';
import type { CountryCode, Role, Seniority } from '#shared/domain/taxonomy.ts';
import { SENIORITIES } from '#shared/domain/taxonomy.ts';

/**
 * The synthetic respondent population: who answers the survey and what they earn. Everything here
 * is data; `survey-generator.ts` only samples from it. Shares need not sum to 1 (they are
 * normalized), pay is mean USD per month.
 */

/** The survey year the sample stands for: the source report the generator is calibrated on. */
export const SAMPLE_SURVEY_YEAR = 2025;

/**
 * The source report's headline figures the generated population must reproduce (mean normalized
 * USD per month). Other cells are plausible, not calibrated.
 */
export const CALIBRATION_TARGETS = {
  /** United States, back-end developers of every seniority. */
  usBackendMeanUsd: 8_807,
  /** Mexico, senior back-end developers. */
  mxSeniorBackendMeanUsd: 4_475,
} as const;

/** How pay grows with seniority, relative to a senior's pay, in three labour markets. */
const PAY_BY_SENIORITY = {
  /** Mexico's juniors earn about a third of its seniors (MX junior back-end ~$1,500). */
  mexico: { junior: 0.34, mid: 0.64, senior: 1, lead: 1.28 },
  northAmerica: { junior: 0.58, mid: 0.78, senior: 1, lead: 1.18 },
  latinAmerica: { junior: 0.42, mid: 0.68, senior: 1, lead: 1.25 },
} as const satisfies Record<string, Record<Seniority, number>>;

/** Pay of each role relative to back-end developers in the same country and seniority. */
export const PAY_BY_ROLE: Readonly<Record<Role, number>> = {
  backend: 1,
  frontend: 0.92,
  fullstack: 0.98,
  mobile: 0.97,
  devops: 1.08,
  data: 1.05,
  qa: 0.78,
  security: 1.12,
  embedded: 0.95,
  manager: 1.3,
};

/** How often each role answers (a Latin American developer survey: web roles dominate). */
export const ROLE_SHARES: Readonly<Record<Role, number>> = {
  backend: 0.24,
  fullstack: 0.18,
  frontend: 0.15,
  data: 0.09,
  mobile: 0.07,
  devops: 0.07,
  qa: 0.07,
  manager: 0.05,
  embedded: 0.05,
  security: 0.03,
};

/**
 * Years of experience drawn for each seniority, inclusive. They come from the pipeline's own
 * seniority-from-years bands, so a row whose seniority is left empty derives exactly the seniority
 * it was drawn with. `derivable: false` marks a seniority the bands never reach (the United States
 * has no "lead" band): such rows always write their seniority.
 */
export interface ExperienceRange {
  min: number;
  max: number;
  derivable: boolean;
}

/** Years drawn above the start of an open-ended band ("lead: 13+" draws 13–25). */
const OPEN_BAND_YEARS = 12;
/** A lead where no band derives one has at least this many years more than a senior's minimum. */
const UNDERIVED_LEAD_EXTRA_YEARS = 2;

export function experienceRanges(
  country: CountryCode,
): Readonly<Record<Seniority, ExperienceRange>> {
  const bands = SENIORITY_BY_EXPERIENCE.byCountry[country] ?? SENIORITY_BY_EXPERIENCE.default;
  const ranges: Partial<Record<Seniority, ExperienceRange>> = {};
  bands.forEach((band, position) => {
    const next = bands[position + 1];
    ranges[band.seniority] = {
      min: band.fromYears,
      max: next ? next.fromYears - 1 : band.fromYears + OPEN_BAND_YEARS,
      derivable: true,
    };
  });
  const top = bands[bands.length - 1]?.fromYears ?? 0;
  const underived = {
    min: top + UNDERIVED_LEAD_EXTRA_YEARS,
    max: top + UNDERIVED_LEAD_EXTRA_YEARS + OPEN_BAND_YEARS,
    derivable: false,
  };
  return {
    junior: ranges.junior ?? underived,
    mid: ranges.mid ?? underived,
    senior: ranges.senior ?? underived,
    lead: ranges.lead ?? underived,
  };
}

export interface CountryProfile {
  code: CountryCode;
  /** Share of the survey's respondents. */
  share: number;
  /** Mean monthly USD of each seniority in the back-end role. */
  backendPayUsd: Readonly<Record<Seniority, number>>;
  seniorityShares: Readonly<Record<Seniority, number>>;
  /** Standard deviation of ln(monthly pay) inside one cell. */
  logSpread: number;
  localCurrency: string;
  /** Respondents paid in USD: contractors for foreign companies, mostly. */
  usdPaidShare: number;
}

const MEXICO_SENIORITY_SHARES = { junior: 0.22, mid: 0.33, senior: 0.3, lead: 0.15 };
const UNITED_STATES_SENIORITY_SHARES = { junior: 0.18, mid: 0.3, senior: 0.42, lead: 0.1 };
const DEFAULT_SENIORITY_SHARES = { junior: 0.25, mid: 0.35, senior: 0.28, lead: 0.12 };

/**
 * The US senior back-end mean that makes the all-seniority US back-end mean equal the headline:
 * mean = Σ share(s) × ratio(s) × senior, solved for senior (≈ $10,050).
 */
const US_SENIOR_BACKEND_USD =
  CALIBRATION_TARGETS.usBackendMeanUsd /
  weightedSum(UNITED_STATES_SENIORITY_SHARES, PAY_BY_SENIORITY.northAmerica);

/** Canadian developers earn about 70% of their US peers. */
const CANADA_TO_US_PAY = 0.7;

function country(
  code: CountryCode,
  share: number,
  seniorBackendUsd: number,
  market: keyof typeof PAY_BY_SENIORITY,
  seniorityShares: Readonly<Record<Seniority, number>>,
  details: Pick<CountryProfile, 'logSpread' | 'localCurrency' | 'usdPaidShare'>,
): CountryProfile {
  const ratios = PAY_BY_SENIORITY[market];
  return {
    code,
    share,
    backendPayUsd: {
      junior: seniorBackendUsd * ratios.junior,
      mid: seniorBackendUsd * ratios.mid,
      senior: seniorBackendUsd * ratios.senior,
      lead: seniorBackendUsd * ratios.lead,
    },
    seniorityShares,
    ...details,
  };
}

const latam = (localCurrency: string, usdPaidShare: number, logSpread = 0.38) => ({
  logSpread,
  localCurrency,
  usdPaidShare,
});

/** Respondents by country: Mexico and the United States dominate, as in the source survey. */
export const COUNTRY_PROFILES: readonly CountryProfile[] = [
  country(
    'MX',
    0.42,
    CALIBRATION_TARGETS.mxSeniorBackendMeanUsd,
    'mexico',
    MEXICO_SENIORITY_SHARES,
    { logSpread: 0.35, localCurrency: 'MXN', usdPaidShare: 0.1 },
  ),
  country('US', 0.16, US_SENIOR_BACKEND_USD, 'northAmerica', UNITED_STATES_SENIORITY_SHARES, {
    logSpread: 0.32,
    localCurrency: 'USD',
    usdPaidShare: 1,
  }),
  country('CO', 0.08, 3_300, 'latinAmerica', DEFAULT_SENIORITY_SHARES, latam('COP', 0.25)),
  country('AR', 0.07, 3_200, 'latinAmerica', DEFAULT_SENIORITY_SHARES, latam('ARS', 0.4, 0.45)),
  country('BR', 0.06, 3_400, 'latinAmerica', DEFAULT_SENIORITY_SHARES, latam('BRL', 0.15)),
  country('CL', 0.05, 3_500, 'latinAmerica', DEFAULT_SENIORITY_SHARES, latam('CLP', 0.15)),
  country('PE', 0.04, 2_700, 'latinAmerica', DEFAULT_SENIORITY_SHARES, latam('PEN', 0.2)),
  country(
    'CA',
    0.04,
    US_SENIOR_BACKEND_USD * CANADA_TO_US_PAY,
    'northAmerica',
    DEFAULT_SENIORITY_SHARES,
    { logSpread: 0.32, localCurrency: 'CAD', usdPaidShare: 0.1 },
  ),
  country('CR', 0.03, 4_000, 'latinAmerica', DEFAULT_SENIORITY_SHARES, latam('CRC', 0.5)),
  country('UY', 0.025, 4_100, 'latinAmerica', DEFAULT_SENIORITY_SHARES, latam('UYU', 0.3)),
  country('GT', 0.025, 2_600, 'latinAmerica', DEFAULT_SENIORITY_SHARES, latam('GTQ', 0.3)),
];

/**
 * Mean monthly USD of one cell. Salaries are log-normal around it: ln(pay) ~ N(μ, σ²) with
 * μ = ln(mean) − σ²/2, so the cell's expected pay is exactly this mean.
 */
export function meanMonthlyUsd(profile: CountryProfile, role: Role, seniority: Seniority): number {
  return profile.backendPayUsd[seniority] * PAY_BY_ROLE[role];
}

/** Written salaries are drawn within this many standard deviations of the cell's log mean. */
export const MAX_LOG_DEVIATIONS = 3;

function weightedSum(
  shares: Readonly<Record<Seniority, number>>,
  values: Readonly<Record<Seniority, number>>,
): number {
  const total = SENIORITIES.reduce((sum, seniority) => sum + shares[seniority], 0);
  return SENIORITIES.reduce(
    (sum, seniority) => sum + (shares[seniority] / total) * values[seniority],
    0,
  );
}
