// The library without its Node entry point, which registers every one of its ~80 languages (700 kB
// in each function bundle); only English and Spanish are registered below.
import isoCountries from 'i18n-iso-countries/index.js';
import englishNames from 'i18n-iso-countries/langs/en.json' with { type: 'json' };
import spanishNames from 'i18n-iso-countries/langs/es.json' with { type: 'json' };
import type { CountryCode } from '../taxonomy.ts';
import { compactKey } from './text.ts';

/**
 * Countries a row may name, by ISO 3166-1 alpha-2 code. Each is recognized by its alpha-2 and
 * alpha-3 codes and by its names. Matching uses `compactKey`: "EE.UU." = "EEUU", "Perú" = "peru",
 * "Costa-Rica" = "Costa Rica".
 */
export interface CountryRule {
  code: CountryCode;
  /** Absent for countries added by an operator rules file without one. */
  alpha3?: string;
  names: readonly string[];
}

isoCountries.registerLocale(englishNames);
isoCountries.registerLocale(spanishNames);

/**
 * Spellings the package does not have: Spanish and common abbreviations, and the long official
 * forms surveys print (the Stack Overflow survey's "United Kingdom of Great Britain and Northern
 * Ireland", "Iran, Islamic Republic of..."). Cities are never listed ("México DF", "Salvador").
 */
const MORE_NAMES: Readonly<Record<CountryCode, readonly string[]>> = {
  US: ['Estados Unidos de América', 'EEUU', 'EE.UU.', 'EUA'],
  MX: ['Estados Unidos Mexicanos', 'United Mexican States'],
  BZ: ['Belice'],
  BS: ['The Bahamas', 'Las Bahamas'],
  DO: ['República Dominicana', 'Rep. Dominicana', 'RD'],
  GD: ['Granada'],
  KN: ['San Cristóbal y Nieves'],
  LC: ['Santa Lucía'],
  VC: ['San Vicente y las Granadinas'],
  AR: ['República Argentina'],
  BO: ['Estado Plurinacional de Bolivia'],
  SR: ['Surinam'],
  DE: ['Deutschland'],
  NL: ['Holland', 'Holanda'],
  GB: [
    'United Kingdom of Great Britain and Northern Ireland',
    'U.K.',
    'Britain',
    'Great Britain',
    'England',
    'Scotland',
    'Wales',
    'Northern Ireland',
    'Inglaterra',
    'Escocia',
    'Gales',
    'Irlanda del Norte',
    'Gran Bretaña',
  ],
  CZ: ['Chequia'],
  KR: ['Corea del Sur'],
  KP: ["Democratic People's Republic of Korea", 'Corea del Norte'],
  IR: ['Iran, Islamic Republic of...'],
  VE: ['Venezuela, Bolivarian Republic of...'],
  HK: ['Hong Kong (S.A.R.)'],
  MK: ['The former Yugoslav Republic of Macedonia', 'Republic of North Macedonia'],
  MD: ['Republic of Moldova'],
  CG: ['Congo, Republic of the...'],
  LY: ['Libyan Arab Jamahiriya'],
  SZ: ['Swaziland'],
};

/**
 * Names two countries share ("Congo" is both CG and CD in the package's lists) name neither: a
 * row saying only "Congo" is unknown_country rather than a guess.
 */
function withoutSharedNames(rules: CountryRule[]): CountryRule[] {
  const owners = new Map<string, Set<CountryCode>>();
  for (const rule of rules) {
    for (const name of rule.names) {
      const key = compactKey(name);
      owners.set(key, (owners.get(key) ?? new Set()).add(rule.code));
    }
  }
  return rules.map((rule) => ({
    ...rule,
    names: rule.names.filter((name) => (owners.get(compactKey(name))?.size ?? 0) === 1),
  }));
}

function buildCountries(): CountryRule[] {
  const english = isoCountries.getNames('en', { select: 'all' });
  const spanish = isoCountries.getNames('es', { select: 'all' });
  const rules = Object.entries(isoCountries.getAlpha2Codes()).map(([code, alpha3]) => ({
    code,
    alpha3,
    names: [
      ...new Set([...(english[code] ?? []), ...(spanish[code] ?? []), ...(MORE_NAMES[code] ?? [])]),
    ],
  }));
  return withoutSharedNames(rules).sort((a, b) => (a.code < b.code ? -1 : 1));
}

/**
 * Every ISO 3166-1 country (249) and Kosovo (XK, user-assigned but in common use), with the
 * English and Spanish names of the `i18n-iso-countries` package and `MORE_NAMES`.
 */
export const COUNTRIES: readonly CountryRule[] = buildCountries();
