import { describe, expect, it } from 'vitest';
import { mulberry32 } from '#cli/sample/prng.ts';
import { suggestProfile } from '#shared/domain/profile-suggest.ts';
import { DEFAULT_RULES } from '#shared/domain/rules/index.ts';

/**
 * `profile suggest` on shapes the fixture corpus does not ship whole: an English Google Forms
 * salary survey in the shape of the well-known "Ask a Manager" export (question-long headers, free
 * text countries, a currency question with an "Other" follow-up most rows leave blank, experience
 * as "5-7 years" / "1 year or less" / "41 years or more"). Synthetic rows only.
 */
function askAManagerShape(rows = 200) {
  const random = mulberry32(9);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const header = [
    'Timestamp',
    'How old are you?',
    'Job title',
    "What is your annual salary? (You'll indicate the currency in a later question. If you are part-time or hourly, please enter an annualized equivalent -- what you would earn if you worked the job 40 hours a week, 52 weeks a year.)",
    'Please indicate the currency',
    'If "Other," please indicate the currency here: ',
    'What country do you work in?',
    'How many years of professional work experience do you have overall?',
  ];
  const countries: readonly [string, string, string][] = [
    ['United States', 'USD', ''],
    ['USA', 'USD', ''],
    ['U.S.', 'USD', ''],
    ['Scotland', 'GBP', ''],
    ['England', 'GBP', ''],
    ['Canada', 'CAD', ''],
    ['Germany', 'EUR', ''],
    ['Mexico', 'Other', 'MXN'],
  ];
  const experience = [
    '1 year or less',
    '2 - 4 years',
    '5-7 years',
    '11 - 20 years',
    '41 years or more',
  ];
  const body = Array.from({ length: rows }, () => {
    const [country, currency, other] = pick(countries);
    return [
      `4/27/2021 11:${10 + Math.floor(random() * 49)}:05`,
      pick(['25-34', '35-44']),
      pick(['Software Engineer', 'Data Analyst', 'QA Engineer', 'Teacher']),
      `${(30 + Math.floor(random() * 200)) * 1000}`.replace(/(\d)(\d{3})$/, '$1,$2'),
      currency,
      other,
      country,
      pick(experience),
    ];
  });
  return { header, body };
}

describe('profile suggest on an English Google Forms survey', () => {
  const { header, body } = askAManagerShape();
  const { profile, todo } = suggestProfile(header, body, DEFAULT_RULES);

  it('takes the currency question, not its mostly blank "Other" follow-up', () => {
    expect(profile.columns?.currency).toBe('Please indicate the currency');
  });

  it('reads the country answers, the annual salary and the experience ranges', () => {
    expect(profile.columns).toMatchObject({
      country: 'What country do you work in?',
      salary: header[3],
      years_experience: 'How many years of professional work experience do you have overall?',
    });
    expect(profile.constants).toEqual({ period: 'annual' });
    expect(todo.join('\n')).not.toMatch(/seniority|currency|salary/);
  });
});
