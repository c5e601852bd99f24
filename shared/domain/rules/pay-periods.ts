/**
 * How often a salary figure is paid, and how many such payments make a year. Monthly USD is
 * amount × paymentsPerYear / 12 / rate. Hourly and daily pay are not accepted: the hours behind
 * them are unknown.
 */
export const PAY_PERIODS = ['monthly', 'annual', 'semimonthly', 'biweekly', 'weekly'] as const;
export type PayPeriod = (typeof PAY_PERIODS)[number];

export interface PayPeriodRule {
  paymentsPerYear: number;
  /** Matched with `compactKey` ("per month" = "Per-Month" = "permonth"). */
  aliases: readonly string[];
}

export const PAY_PERIOD_RULES: Readonly<Record<PayPeriod, PayPeriodRule>> = {
  monthly: {
    paymentsPerYear: 12,
    aliases: ['monthly', 'month', 'per month', 'mensual', 'mes', 'por mes', 'mensualmente'],
  },
  annual: {
    paymentsPerYear: 1,
    aliases: [
      'annual',
      'annually',
      'yearly',
      'year',
      'per year',
      'anual',
      'año',
      'por año',
      'anualmente',
    ],
  },
  semimonthly: {
    paymentsPerYear: 24,
    aliases: ['semimonthly', 'semi-monthly', 'twice a month', 'quincenal', 'quincena'],
  },
  biweekly: {
    paymentsPerYear: 26,
    aliases: ['biweekly', 'bi-weekly', 'every two weeks', 'fortnightly', 'catorcenal'],
  },
  weekly: {
    paymentsPerYear: 52,
    aliases: ['weekly', 'week', 'per week', 'semanal', 'semana', 'por semana'],
  },
};
