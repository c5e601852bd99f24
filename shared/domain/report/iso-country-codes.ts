const REGION_NAMES = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });

/**
 * Codes ICU names that are not countries: ISO 3166 user-assigned ranges (AA, QM–QZ, XA–XZ, ZZ),
 * except XK, which is in common use for Kosovo, and the exceptional reservations EU, EZ and UN.
 */
const NOT_A_COUNTRY = /^(AA|Q[M-Z]|X[A-JL-Z]|ZZ|EU|EZ|UN)$/;

/** Whether `code` is an assigned ISO 3166-1 alpha-2 country code (upper case). */
export function isIsoCountryCode(code: string): boolean {
  return (
    /^[A-Z]{2}$/.test(code) && !NOT_A_COUNTRY.test(code) && REGION_NAMES.of(code) !== undefined
  );
}
