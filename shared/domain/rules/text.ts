/**
 * How raw survey text is reduced to a lookup key. Every alias table is keyed through these same
 * functions, so an alias and a cell that differ only in case, accents, spacing or punctuation
 * always meet.
 */

const COMBINING_MARKS = /[\u0300-\u036f]/g;
const NON_ALPHANUMERIC_RUN = /[^a-z0-9]+/g;
const ALPHANUMERIC_RUN = /[a-z0-9]+/g;
/** Any character but printable ASCII (the rest, control characters included, take the long way). */
const NOT_PRINTABLE_ASCII = /[^ -~]/;
const EDGE_UNDERSCORES = /^_+|_+$/g;
/** Dropped from currency keys: spacing and the dots of abbreviations ("U.S. $", "S/."). */
const CURRENCY_NOISE = /[\s._-]+/g;

/** Characters in full width (see narrowForms). */
const WIDE_FORM = /[\u3000\uFF01-\uFF5E\uFFE0-\uFFE6]/;
const WIDE_FORMS = /[\u3000\uFF01-\uFF5E\uFFE0-\uFFE6]/g;

/**
 * Full-width forms as the characters they stand for, as Unicode's compatibility normalization
 * (NFKC) maps them: "５０，０００" → "50,000", "ＵＳＤ" → "USD", the ideographic space → " ",
 * "￥" → "¥". East Asian input methods type these, so forms filled in Japanese, Chinese or Korean
 * carry them in numbers, codes and dates. Any other character is left as it is.
 */
export function narrowForms(raw: string): string {
  return WIDE_FORM.test(raw) ? raw.replace(WIDE_FORMS, (char) => char.normalize('NFKC')) : raw;
}

/** Lower case, accents stripped (NFD, then combining marks removed), full-width forms narrowed. */
export function foldText(raw: string): string {
  // ASCII text has nothing to decompose: NFD leaves it as it is.
  if (!NOT_PRINTABLE_ASCII.test(raw)) return raw.toLowerCase();
  return narrowForms(raw).normalize('NFD').replace(COMBINING_MARKS, '').toLowerCase();
}

/** "Años de Experiencia" → "anos_de_experiencia": the key header aliases are matched on. */
export function headerKey(raw: string): string {
  return foldText(raw).replace(NON_ALPHANUMERIC_RUN, '_').replace(EDGE_UNDERSCORES, '');
}

/** The words of a value: "EE.UU." → ["ee", "uu"], "Back-End Developer" → ["back", "end", "developer"]. */
export function words(raw: string): string[] {
  return foldText(raw).match(ALPHANUMERIC_RUN) ?? [];
}

/**
 * Words joined without separators, so "Back End", "Back-End" and "Backend" share one key
 * ("backend"), as do "EE.UU." and "EEUU".
 */
export function compactKey(raw: string): string {
  // The words joined: every run of characters other than a-z and 0-9 dropped, in one pass.
  return foldText(raw).replace(NON_ALPHANUMERIC_RUN, '');
}

/**
 * Like `compactKey` but first drops the given noise words, so "Desarrollador Back-End" and
 * "Software Engineer - Backend" both become "backend".
 */
export function compactKeyWithout(raw: string, noise: ReadonlySet<string>): string {
  let key = '';
  for (const word of words(raw)) {
    if (!noise.has(word)) key += word;
  }
  return key;
}

/**
 * Currency text keeps its symbols ("$", "R$", "S/", "€"): only case, accents, spaces, dots,
 * hyphens and underscores are dropped. "US $" → "us$", "Dólares" → "dolares".
 */
export function currencyKey(raw: string): string {
  return foldText(raw).replace(CURRENCY_NOISE, '');
}
