/**
 * The report's vocabulary: the slugs every normalized row, aggregate cell and report cell speaks in.
 * Aliases and rules that map raw survey text onto these live in `domain/rules/`.
 */
export const SENIORITIES = ['junior', 'mid', 'senior', 'lead'] as const;
export type Seniority = (typeof SENIORITIES)[number];

export const ROLES = [
  'backend',
  'frontend',
  'fullstack',
  'mobile',
  'devops',
  'data',
  'qa',
  'security',
  'embedded',
  'manager',
] as const;
export type Role = (typeof ROLES)[number];

/** ISO 3166-1 alpha-2 code, upper case ("MX", "US"). */
export type CountryCode = string;

export function isSeniority(value: string): value is Seniority {
  return (SENIORITIES as readonly string[]).includes(value);
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
