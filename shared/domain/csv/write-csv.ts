/**
 * Characters that make Excel, LibreOffice and Google Sheets read a cell as a formula (OWASP's
 * "CSV injection" list). Our CSVs echo analysts' raw input, so a value like `=HYPERLINK(…)` must
 * come out as text.
 */
const FORMULA_TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r']);
/**
 * RFC 4180 needs comma, quote and line breaks; semicolon and tab too, so no reader guessing the
 * delimiter (ours, Excel in a locale using `;`) can split a field.
 */
const NEEDS_QUOTES = /[",;\t\r\n]/;
const QUOTE = /"/g;

/**
 * One CSV record: fields joined by commas, quoted per RFC 4180 (quotes doubled) when they contain a
 * comma, semicolon, tab, quote or line break, ended by CRLF.
 *
 * Spreadsheet safety: a string starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'`, so
 * the string "-5" is written `'-5` and "=SUM(A1)" is written `'=SUM(A1)`. Numbers are written as
 * numbers: pass -5 (a number) for a value that must stay numeric.
 */
export function toCsvLine(fields: readonly (string | number)[]): string {
  const record = fields.map((field) =>
    typeof field === 'number' ? String(field) : toCsvField(field),
  );
  return `${record.join(',')}\r\n`;
}

function toCsvField(value: string): string {
  const safe = FORMULA_TRIGGERS.has(value.charAt(0)) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(QUOTE, '""')}"` : safe;
}
