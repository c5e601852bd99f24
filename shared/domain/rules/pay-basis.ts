/**
 * Whether a salary is before (gross) or after (net) taxes and deductions. Reports are gross pay:
 * net rows are excluded (counted, never converted with a guessed tax rate). A file or row that
 * states no basis is taken as gross.
 */
export const PAY_BASES = ['gross', 'net'] as const;
export type PayBasis = (typeof PAY_BASES)[number];

/** Matched with `compactKey` (case, accents, spacing and punctuation ignored). */
export const PAY_BASIS_ALIASES: Readonly<Record<PayBasis, readonly string[]>> = {
  gross: ['gross', 'gross pay', 'before tax', 'before taxes', 'pre-tax', 'bruto', 'salario bruto'],
  net: [
    'net',
    'net pay',
    'after tax',
    'after taxes',
    'take-home',
    'neto',
    'salario neto',
    'líquido',
  ],
};
