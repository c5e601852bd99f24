import { describe, expect, it } from 'vitest';
import { mapColumns } from '#shared/domain/header-mapping.ts';
import { FileRejectedError } from '#shared/errors.ts';

describe('mapColumns', () => {
  it('maps Spanish headers regardless of case, accents and punctuation', () => {
    const mapping = mapColumns(
      ['País', 'PUESTO', 'Nivel', 'Años de Experiencia', 'Sueldo', 'Divisa', 'Período', 'Año'],
      'uploads/2025/a.csv',
    );

    expect(mapping.index).toMatchObject({
      country: 0,
      role: 1,
      seniority: 2,
      years_experience: 3,
      salary: 4,
      currency: 5,
      period: 6,
      year: 7,
      city: -1,
      submitted_at: -1,
    });
  });

  it('maps English snake_case headers', () => {
    const mapping = mapColumns(
      ['country', 'role', 'YEARS_EXPERIENCE', 'salary', 'currency', 'period', 'submitted_at'],
      'a.csv',
    );

    expect(mapping.index.years_experience).toBe(2);
    expect(mapping.index.submitted_at).toBe(6);
    expect(mapping.index.seniority).toBe(-1);
  });

  it('lists unknown columns as ignored', () => {
    const mapping = mapColumns(
      [
        'country',
        'role',
        'seniority',
        'salary',
        'currency',
        'period',
        'Salary (gross)',
        'Comments',
      ],
      'a.csv',
    );

    expect(mapping.ignored).toEqual(['Salary (gross)', 'Comments']);
  });

  it('names the missing required columns and the headers it saw', () => {
    const attempt = () => mapColumns(['País', 'Puesto', 'Nivel'], 'uploads/2025/a.csv');

    expect(attempt).toThrow(FileRejectedError);
    expect(attempt).toThrow(
      'uploads/2025/a.csv: missing required column(s) salary, currency, period; headers seen: "País", "Puesto", "Nivel". A mapping profile can name them: `salary-report profile suggest <file.csv>` drafts one (docs/profiles.md)',
    );
  });

  it('requires seniority or years of experience', () => {
    expect(() => mapColumns(['country', 'role', 'salary', 'currency', 'period'], 'a.csv')).toThrow(
      /missing required column\(s\) seniority or years_experience/,
    );
  });

  it('rejects two headers naming the same column, naming both', () => {
    expect(() =>
      mapColumns(['country', 'role', 'level', 'Salario', 'Sueldo', 'currency', 'period'], 'a.csv'),
    ).toThrow('a.csv: headers "Salario" and "Sueldo" both name the salary column');
  });
});
