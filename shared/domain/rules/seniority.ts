import type { CountryCode, Seniority } from '../taxonomy.ts';

/** Dropped before matching a seniority value: "Senior Developer" = "Senior", "Nivel Junior" = "Junior". */
export const SENIORITY_NOISE_WORDS: readonly string[] = [
  'developer',
  'engineer',
  'desarrollador',
  'desarrolladora',
  'ingeniero',
  'ingeniera',
  'programador',
  'programadora',
  'level',
  'nivel',
];

/**
 * Seniority aliases, matched like roles (noise words dropped, words joined: "Semi-Senior" =
 * "semi senior" = "semisenior"). Decisions:
 * - trainee and entry level are junior (a paid first job); internships (intern, pasante,
 *   becario) are not salaried positions and stay unknown_seniority.
 * - ssr / semi senior (the Latin American term) is mid.
 * - staff, principal, tech lead, team lead and "líder" are lead.
 * - "Señor" folds to "senor", which is deliberately not an alias of senior.
 */
export const SENIORITY_ALIASES: Readonly<Record<Seniority, readonly string[]>> = {
  junior: ['junior', 'jr', 'trainee', 'entry', 'entry level', 'principiante'],
  mid: [
    'mid',
    'mid level',
    'middle',
    'intermediate',
    'intermedio',
    'medio',
    'ssr',
    'semi senior',
    'semi sr',
  ],
  senior: ['senior', 'sr', 'snr', 'sênior'],
  lead: [
    'lead',
    'tech lead',
    'team lead',
    'lider',
    'líder técnico',
    'staff',
    'principal',
    'architect',
    'arquitecto',
  ],
};

/** From `fromYears` of experience (inclusive) on, a row is at least `seniority`. */
export interface ExperienceBand {
  fromYears: number;
  seniority: Seniority;
}

/**
 * Seniority from years of experience, used only when a row's seniority is absent or empty.
 * Bands are ordered by `fromYears`, the first starting at 0; a row gets the last band it reaches
 * (fractional years count: 4.5 years in Mexico is still junior).
 */
export interface SeniorityByExperience {
  default: readonly ExperienceBand[];
  byCountry: Readonly<Record<CountryCode, readonly ExperienceBand[]>>;
}

export const SENIORITY_BY_EXPERIENCE: SeniorityByExperience = {
  // Elsewhere: junior 0–2, mid 3–6, senior 7–12, lead 13+.
  default: [
    { fromYears: 0, seniority: 'junior' },
    { fromYears: 3, seniority: 'mid' },
    { fromYears: 7, seniority: 'senior' },
    { fromYears: 13, seniority: 'lead' },
  ],
  byCountry: {
    // Mexico: junior 0–4, mid 5–10, senior 11–15, lead 16+.
    MX: [
      { fromYears: 0, seniority: 'junior' },
      { fromYears: 5, seniority: 'mid' },
      { fromYears: 11, seniority: 'senior' },
      { fromYears: 16, seniority: 'lead' },
    ],
    // United States: junior 0–2, mid 3–5, senior 6+. Years alone never make a lead there.
    US: [
      { fromYears: 0, seniority: 'junior' },
      { fromYears: 3, seniority: 'mid' },
      { fromYears: 6, seniority: 'senior' },
    ],
  },
};

/** Years of experience outside this range are a typo, not a career (invalid_number). */
export const MAX_YEARS_OF_EXPERIENCE = 60;
