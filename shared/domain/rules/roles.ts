import type { Role } from '../taxonomy.ts';

/**
 * Words that say nothing about a role's function: job-title filler, connectors, and seniority or
 * leadership words (seniority has its own column; it is never read from the role text). They are
 * dropped from both the aliases and the row's text before matching, so "Desarrollador Back-End",
 * "Sr. Backend Engineer" and "Software Engineer - Backend" all become "backend".
 *
 * Consequence, on purpose: a title made only of such words ("Software Engineer", "Tech Lead",
 * "Staff Engineer") names no function and is rejected as unknown_role rather than guessed.
 */
export const ROLE_NOISE_WORDS: readonly string[] = [
  'developer',
  'dev',
  'engineer',
  'eng',
  'programmer',
  'software',
  'desarrollador',
  'desarrolladora',
  'ingeniero',
  'ingeniera',
  'programador',
  'programadora',
  'de',
  'del',
  'en',
  'of',
  'the',
  'and',
  'y',
  'sr',
  'jr',
  'ssr',
  'senior',
  'junior',
  'semi',
  'semisenior',
  'mid',
  'lead',
  'tech',
  'lider',
  'tecnico',
  'staff',
  'principal',
];

/**
 * Role aliases, matched after dropping `ROLE_NOISE_WORDS` and joining the remaining words
 * ("Back End Developer" → "backend"). Decisions:
 * - iOS, Android, React Native and Flutter are mobile.
 * - SRE, infrastructure, cloud and platform engineering are devops.
 * - Data science, data engineering, data analysis, BI and machine learning are all data.
 * - manager is people management: engineering managers, heads, directors, CTOs. A tech lead is a
 *   seniority (lead), not a function, so "Tech Lead" alone is unknown_role.
 */
export const ROLE_ALIASES: Readonly<Record<Role, readonly string[]>> = {
  backend: ['backend', 'back end', 'back', 'server side', 'api'],
  frontend: ['frontend', 'front end', 'front', 'web frontend', 'ui', 'interfaz'],
  fullstack: ['fullstack', 'full stack', 'full', 'full stack web'],
  mobile: [
    'mobile',
    'móvil',
    'movil',
    'apps móviles',
    'aplicaciones móviles',
    'ios',
    'android',
    'ios android',
    'react native',
    'flutter',
  ],
  devops: [
    'devops',
    'dev ops',
    'sre',
    'site reliability',
    'infrastructure',
    'infraestructura',
    'cloud',
    'platform',
    'plataforma',
  ],
  data: [
    'data',
    'datos',
    'data scientist',
    'data science',
    'científico de datos',
    'ciencia de datos',
    'data analyst',
    'analista de datos',
    'big data',
    'business intelligence',
    'bi',
    'machine learning',
    'ml',
    'ai',
    'inteligencia artificial',
    'analytics',
  ],
  qa: [
    'qa',
    'qa automation',
    'automation qa',
    'qa manual',
    'qa analyst',
    'analista qa',
    'quality assurance',
    'aseguramiento de calidad',
    'calidad',
    'tester',
    'testing',
    'test',
    'sdet',
  ],
  security: [
    'security',
    'seguridad',
    'seguridad informática',
    'cybersecurity',
    'ciberseguridad',
    'infosec',
    'appsec',
    'security analyst',
    'pentester',
  ],
  embedded: ['embedded', 'embedded systems', 'embebido', 'sistemas embebidos', 'firmware', 'iot'],
  manager: [
    'manager',
    'engineering manager',
    'development manager',
    'head of engineering',
    'director of engineering',
    'vp of engineering',
    'cto',
    'gerente',
    'gerente de ingeniería',
    'gerente de desarrollo',
    'jefe de desarrollo',
    'director de ingeniería',
  ],
};
