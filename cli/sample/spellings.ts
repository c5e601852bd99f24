import type { CountryCode, Role, Seniority } from '#shared/domain/taxonomy.ts';

/**
 * How respondents write their answers, per survey language: the real-world spellings the pipeline's
 * normalization rules must recognize, and the invalid values of deliberately bad rows.
 */

export type SurveyLanguage = 'en' | 'es';

/**
 * The columns of a generated file, in order. The row's year is in a `year` column, or, with
 * `yearColumn: 'submitted_at'`, a `submittedAt` timestamp takes the same position.
 */
export const SAMPLE_COLUMNS = [
  'country',
  'role',
  'seniority',
  'yearsExperience',
  'salary',
  'currency',
  'period',
  'year',
  'city',
  'submissionId',
  'employmentType',
] as const;
export type SampleColumn = (typeof SAMPLE_COLUMNS)[number];

/** How a respondent's submission time is written (Google Forms style in Spanish). */
export type TimestampStyle = 'iso' | 'dayFirst';

export type PayPeriod = 'monthly' | 'annual';
export type EmploymentType = 'fullTime' | 'contractor';

export interface SurveySpellings {
  header: Readonly<Record<SampleColumn | 'submittedAt', string>>;
  countries: Readonly<Record<CountryCode, readonly string[]>>;
  roles: Readonly<Record<Role, readonly string[]>>;
  seniorities: Readonly<Record<Seniority, readonly string[]>>;
  periods: Readonly<Record<PayPeriod, readonly string[]>>;
  employmentTypes: Readonly<Record<EmploymentType, string>>;
  timestampStyle: TimestampStyle;
  unknownCountry: string;
  unknownRole: string;
  nonNumericSalary: string;
}

const ENGLISH: SurveySpellings = {
  header: {
    country: 'country',
    role: 'role',
    seniority: 'seniority',
    yearsExperience: 'years_experience',
    salary: 'salary',
    currency: 'currency',
    period: 'period',
    year: 'year',
    submittedAt: 'submitted_at',
    city: 'city',
    submissionId: 'submission_id',
    employmentType: 'employment_type',
  },
  countries: {
    MX: ['Mexico', 'México', 'MX'],
    US: ['United States', 'USA', 'US'],
    CA: ['Canada'],
    BR: ['Brazil'],
    AR: ['Argentina'],
    CO: ['Colombia'],
    CL: ['Chile'],
    PE: ['Peru'],
    CR: ['Costa Rica'],
    UY: ['Uruguay'],
    GT: ['Guatemala'],
  },
  roles: {
    backend: ['Backend Developer', 'Back End Engineer', 'Backend Engineer', 'Back-end Developer'],
    frontend: ['Frontend Developer', 'Front End Engineer', 'Front-end Developer'],
    fullstack: ['Full Stack', 'Fullstack Developer', 'Full-Stack Engineer'],
    mobile: ['Mobile Developer', 'iOS Developer', 'Android Developer'],
    devops: ['DevOps Engineer', 'SRE', 'Site Reliability Engineer'],
    data: ['Data Engineer', 'Data Scientist', 'Machine Learning Engineer'],
    qa: ['QA Engineer', 'QA Automation', 'Software Tester'],
    security: ['Security Engineer', 'Cybersecurity Engineer'],
    embedded: ['Embedded Engineer', 'Firmware Engineer', 'Embedded Software Developer'],
    manager: ['Engineering Manager', 'Manager'],
  },
  seniorities: {
    junior: ['Junior', 'Jr'],
    mid: ['Mid', 'Mid-level', 'Semi Senior'],
    senior: ['Senior', 'Sr'],
    lead: ['Lead', 'Tech Lead'],
  },
  periods: { monthly: ['monthly', 'Monthly'], annual: ['annual', 'Annual', 'yearly'] },
  employmentTypes: { fullTime: 'Full-time', contractor: 'Contractor' },
  timestampStyle: 'iso',
  unknownCountry: 'Narnia',
  unknownRole: 'Astronaut',
  nonNumericSalary: 'a lot',
};

const SPANISH: SurveySpellings = {
  header: {
    country: 'país',
    role: 'puesto',
    seniority: 'nivel',
    yearsExperience: 'años de experiencia',
    salary: 'salario',
    currency: 'moneda',
    period: 'periodo',
    year: 'año',
    submittedAt: 'marca temporal',
    city: 'ciudad',
    submissionId: 'id',
    employmentType: 'tipo de empleo',
  },
  countries: {
    MX: ['México', 'Mexico', 'MX'],
    US: ['Estados Unidos', 'EE.UU.', 'EEUU'],
    CA: ['Canadá'],
    BR: ['Brasil'],
    AR: ['Argentina'],
    CO: ['Colombia'],
    CL: ['Chile'],
    PE: ['Perú'],
    CR: ['Costa Rica'],
    UY: ['Uruguay'],
    GT: ['Guatemala'],
  },
  roles: {
    backend: ['Desarrollador Backend', 'Backend Developer', 'Ingeniero Backend'],
    frontend: ['Desarrollador Frontend', 'Desarrolladora Frontend', 'Frontend Developer'],
    fullstack: ['Desarrollador Full Stack', 'Full Stack'],
    mobile: ['Desarrollador Móvil', 'Desarrollador Mobile', 'Android Developer'],
    devops: ['Ingeniero DevOps', 'DevOps'],
    data: ['Ingeniero de Datos', 'Científico de Datos', 'Data Engineer'],
    qa: ['QA Automation', 'Tester', 'Analista QA'],
    security: ['Ingeniero de Seguridad', 'Seguridad Informática'],
    embedded: ['Ingeniero de Sistemas Embebidos', 'Desarrollador Embebido'],
    manager: ['Gerente de Ingeniería', 'Engineering Manager'],
  },
  seniorities: {
    junior: ['Jr', 'Junior'],
    mid: ['SSr', 'Semi Senior', 'Semisenior'],
    senior: ['Sr', 'Senior'],
    lead: ['Lead', 'Tech Lead', 'Líder Técnico'],
  },
  periods: { monthly: ['mensual', 'Mensual'], annual: ['anual', 'Anual'] },
  employmentTypes: { fullTime: 'Tiempo completo', contractor: 'Contratista' },
  timestampStyle: 'dayFirst',
  unknownCountry: 'Narnia',
  unknownRole: 'Astronauta',
  nonNumericSalary: 'mucho',
};

export const SURVEY_SPELLINGS: Readonly<Record<SurveyLanguage, SurveySpellings>> = {
  en: ENGLISH,
  es: SPANISH,
};

/** Cities respondents name (language-neutral); some contain a comma, which the CSV must quote. */
export const CITIES: Readonly<Record<CountryCode, readonly string[]>> = {
  MX: ['Ciudad de México', 'Guadalajara', 'Monterrey', 'Querétaro', 'Mérida'],
  US: ['Austin', 'New York', 'San Francisco', 'Seattle', 'Washington, D.C.'],
  CA: ['Toronto', 'Vancouver', 'Montréal'],
  BR: ['São Paulo', 'Florianópolis', 'Rio de Janeiro'],
  AR: ['Buenos Aires', 'Córdoba', 'Rosario'],
  CO: ['Bogotá', 'Medellín', 'Cali'],
  CL: ['Santiago', 'Valparaíso'],
  PE: ['Lima', 'Arequipa'],
  CR: ['San José', 'Heredia'],
  UY: ['Montevideo'],
  GT: ['Ciudad de Guatemala', 'Quetzaltenango'],
};
