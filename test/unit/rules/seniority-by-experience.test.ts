import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '#shared/domain/rules/index.ts';
import { seniorityFromExperience } from '#shared/domain/rules/lookup.ts';

describe('seniorityFromExperience', () => {
  describe('in Mexico', () => {
    it.each([
      [0, 'junior'],
      [4, 'junior'],
      [4.9, 'junior'],
      [5, 'mid'],
      [10, 'mid'],
      [11, 'senior'],
      [15, 'senior'],
      [16, 'lead'],
      [30, 'lead'],
    ])('treats %s years as %s', (years, seniority) => {
      expect(seniorityFromExperience(years, 'MX', DEFAULT_RULES)).toBe(seniority);
    });

    it('treats 11 years in Mexico as senior', () => {
      expect(seniorityFromExperience(11, 'MX', DEFAULT_RULES)).toBe('senior');
    });
  });

  describe('in the United States', () => {
    it.each([
      [0, 'junior'],
      [2, 'junior'],
      [3, 'mid'],
      [5, 'mid'],
      [6, 'senior'],
      [40, 'senior'],
    ])('treats %s years as %s', (years, seniority) => {
      expect(seniorityFromExperience(years, 'US', DEFAULT_RULES)).toBe(seniority);
    });

    it('treats 6 years in the US as senior', () => {
      expect(seniorityFromExperience(6, 'US', DEFAULT_RULES)).toBe('senior');
    });

    it('never makes a lead from years alone', () => {
      expect(seniorityFromExperience(25, 'US', DEFAULT_RULES)).toBe('senior');
    });
  });

  describe('elsewhere (default bands)', () => {
    it.each([
      [0, 'junior'],
      [2, 'junior'],
      [3, 'mid'],
      [6, 'mid'],
      [7, 'senior'],
      [12, 'senior'],
      [13, 'lead'],
    ])('treats %s years in Colombia as %s', (years, seniority) => {
      expect(seniorityFromExperience(years, 'CO', DEFAULT_RULES)).toBe(seniority);
    });
  });
});
