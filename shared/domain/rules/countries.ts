import type { CountryCode } from '../taxonomy.ts';

/**
 * Countries a row may name, by ISO 3166-1 alpha-2 code. Each is recognized by its alpha-2 and
 * alpha-3 codes and by the names listed (English, Spanish, local and common abbreviations).
 * Matching uses `compactKey`: "EE.UU." = "EEUU", "Perú" = "peru", "Costa-Rica" = "Costa Rica".
 */
export interface CountryRule {
  code: CountryCode;
  /** Absent for countries added by an operator rules file without one. */
  alpha3?: string;
  names: readonly string[];
}

export const COUNTRIES: readonly CountryRule[] = [
  // North America
  {
    code: 'US',
    alpha3: 'USA',
    names: [
      'United States',
      'United States of America',
      'U.S.',
      'U.S.A.',
      'Estados Unidos',
      'Estados Unidos de América',
      'EEUU',
      'EE.UU.',
      'EUA',
    ],
  },
  { code: 'CA', alpha3: 'CAN', names: ['Canada', 'Canadá'] },
  {
    code: 'MX',
    alpha3: 'MEX',
    names: ['Mexico', 'México', 'Estados Unidos Mexicanos', 'United Mexican States'],
  },
  // Central America
  { code: 'BZ', alpha3: 'BLZ', names: ['Belize', 'Belice'] },
  { code: 'CR', alpha3: 'CRI', names: ['Costa Rica'] },
  { code: 'SV', alpha3: 'SLV', names: ['El Salvador', 'Salvador'] },
  { code: 'GT', alpha3: 'GTM', names: ['Guatemala'] },
  { code: 'HN', alpha3: 'HND', names: ['Honduras'] },
  { code: 'NI', alpha3: 'NIC', names: ['Nicaragua'] },
  { code: 'PA', alpha3: 'PAN', names: ['Panama', 'Panamá'] },
  // Caribbean
  { code: 'AG', alpha3: 'ATG', names: ['Antigua and Barbuda', 'Antigua y Barbuda'] },
  { code: 'BS', alpha3: 'BHS', names: ['Bahamas', 'The Bahamas', 'Las Bahamas'] },
  { code: 'BB', alpha3: 'BRB', names: ['Barbados'] },
  { code: 'CU', alpha3: 'CUB', names: ['Cuba'] },
  { code: 'DM', alpha3: 'DMA', names: ['Dominica'] },
  {
    code: 'DO',
    alpha3: 'DOM',
    names: ['Dominican Republic', 'República Dominicana', 'Rep. Dominicana', 'RD'],
  },
  { code: 'GD', alpha3: 'GRD', names: ['Grenada', 'Granada'] },
  { code: 'HT', alpha3: 'HTI', names: ['Haiti', 'Haití'] },
  { code: 'JM', alpha3: 'JAM', names: ['Jamaica'] },
  { code: 'KN', alpha3: 'KNA', names: ['Saint Kitts and Nevis', 'San Cristóbal y Nieves'] },
  { code: 'LC', alpha3: 'LCA', names: ['Saint Lucia', 'Santa Lucía'] },
  {
    code: 'VC',
    alpha3: 'VCT',
    names: ['Saint Vincent and the Grenadines', 'San Vicente y las Granadinas'],
  },
  { code: 'TT', alpha3: 'TTO', names: ['Trinidad and Tobago', 'Trinidad y Tobago'] },
  { code: 'PR', alpha3: 'PRI', names: ['Puerto Rico'] },
  // South America
  { code: 'AR', alpha3: 'ARG', names: ['Argentina', 'República Argentina'] },
  { code: 'BO', alpha3: 'BOL', names: ['Bolivia', 'Estado Plurinacional de Bolivia'] },
  { code: 'BR', alpha3: 'BRA', names: ['Brazil', 'Brasil'] },
  { code: 'CL', alpha3: 'CHL', names: ['Chile'] },
  { code: 'CO', alpha3: 'COL', names: ['Colombia'] },
  { code: 'EC', alpha3: 'ECU', names: ['Ecuador'] },
  { code: 'GY', alpha3: 'GUY', names: ['Guyana'] },
  { code: 'PY', alpha3: 'PRY', names: ['Paraguay'] },
  { code: 'PE', alpha3: 'PER', names: ['Peru', 'Perú'] },
  { code: 'SR', alpha3: 'SUR', names: ['Suriname', 'Surinam'] },
  { code: 'UY', alpha3: 'URY', names: ['Uruguay'] },
  { code: 'VE', alpha3: 'VEN', names: ['Venezuela'] },
  // Europe
  { code: 'ES', alpha3: 'ESP', names: ['Spain', 'España'] },
  { code: 'PT', alpha3: 'PRT', names: ['Portugal'] },
  { code: 'FR', alpha3: 'FRA', names: ['France', 'Francia'] },
  { code: 'DE', alpha3: 'DEU', names: ['Germany', 'Alemania', 'Deutschland'] },
  {
    code: 'NL',
    alpha3: 'NLD',
    names: ['Netherlands', 'The Netherlands', 'Holland', 'Países Bajos', 'Holanda'],
  },
  { code: 'IT', alpha3: 'ITA', names: ['Italy', 'Italia'] },
  { code: 'IE', alpha3: 'IRL', names: ['Ireland', 'Irlanda'] },
  { code: 'CH', alpha3: 'CHE', names: ['Switzerland', 'Suiza'] },
  { code: 'PL', alpha3: 'POL', names: ['Poland', 'Polonia'] },
  {
    code: 'GB',
    alpha3: 'GBR',
    names: [
      'United Kingdom',
      'UK',
      'U.K.',
      'Great Britain',
      'Britain',
      'England',
      'Reino Unido',
      'Inglaterra',
      'Gran Bretaña',
    ],
  },
  // Asia and Oceania
  { code: 'IN', alpha3: 'IND', names: ['India'] },
  { code: 'CN', alpha3: 'CHN', names: ['China'] },
  { code: 'JP', alpha3: 'JPN', names: ['Japan', 'Japón'] },
  { code: 'AU', alpha3: 'AUS', names: ['Australia'] },
];
