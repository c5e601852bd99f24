/**
 * The survey columns the pipeline understands, and the header spellings (English and Spanish)
 * that name each one. Headers are compared by `headerKey`: case, accents, spacing and punctuation
 * do not matter ("Años de Experiencia" = "anos_de_experiencia"). Anything else in a header
 * ("Salary (gross)") is not guessed at: add the spelling here.
 */
export const CANONICAL_COLUMNS = [
  'country',
  'role',
  'seniority',
  'years_experience',
  'salary',
  'salary_usd',
  'currency',
  'period',
  'pay_basis',
  'year',
  'city',
  'submission_id',
  'submitted_at',
  'employment_type',
] as const;
export type CanonicalColumn = (typeof CANONICAL_COLUMNS)[number];

/**
 * Always required. Seniority is required too, as a column or derivable from years_experience;
 * a salary_usd column stands for both salary and currency.
 */
export const REQUIRED_COLUMNS: readonly CanonicalColumn[] = [
  'country',
  'role',
  'salary',
  'currency',
  'period',
];

/** Written as a person would type them; each is reduced with `headerKey` before matching. */
export const COLUMN_ALIASES: Readonly<Record<CanonicalColumn, readonly string[]>> = {
  country: ['country', 'country code', 'país', 'código de país'],
  role: [
    'role',
    'job role',
    'job title',
    'title',
    'position',
    'puesto',
    'rol',
    'cargo',
    'posición',
  ],
  seniority: ['seniority', 'seniority level', 'level', 'nivel', 'nivel de seniority'],
  years_experience: [
    'years_experience',
    'years of experience',
    'experience years',
    'experience',
    'años de experiencia',
    'años experiencia',
    'experiencia',
  ],
  salary: [
    'salary',
    'gross salary',
    'pay',
    'compensation',
    'amount',
    'salario',
    'salario bruto',
    'sueldo',
    'sueldo bruto',
    'monto',
  ],
  salary_usd: ['salary_usd', 'salary in usd', 'salary usd', 'salario en usd', 'salario usd'],
  currency: ['currency', 'currency code', 'moneda', 'divisa', 'tipo de moneda'],
  period: [
    'period',
    'pay period',
    'frequency',
    'período',
    'periodo de pago',
    'frecuencia',
    'periodicidad',
  ],
  pay_basis: [
    'pay_basis',
    'pay basis',
    'salary basis',
    'gross or net',
    'gross net',
    'bruto o neto',
    'neto o bruto',
    'bruto neto',
  ],
  year: ['year', 'survey year', 'año', 'año de la encuesta'],
  city: ['city', 'town', 'ciudad', 'localidad'],
  submission_id: ['submission_id', 'id', 'response id', 'respondent id', 'id de respuesta'],
  submitted_at: [
    'submitted_at',
    'submission date',
    'date',
    'timestamp',
    'created_at',
    'fecha',
    'fecha de envío',
    'marca temporal',
  ],
  employment_type: [
    'employment_type',
    'employment',
    'contract type',
    'tipo de empleo',
    'tipo de contrato',
  ],
};
