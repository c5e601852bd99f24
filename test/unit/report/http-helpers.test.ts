import { describe, expect, it } from 'vitest';
import { isIsoCountryCode } from '#shared/domain/report/iso-country-codes.ts';
import { parseReportYear } from '#shared/domain/report/years.ts';
import { NotFoundError, ValidationError } from '#shared/errors.ts';
import { etagOf, matchesIfNoneMatch } from '#shared/http/etag.ts';
import { mergeVary } from '#shared/http/middleware.ts';
import { problemFor } from '#shared/http/problem.ts';

describe('matchesIfNoneMatch', () => {
  const etag = etagOf('{"year":2025}');

  it('matches the same tag, in a list, weak or as *', () => {
    expect(matchesIfNoneMatch(etag, etag)).toBe(true);
    expect(matchesIfNoneMatch(`"a", ${etag}`, etag)).toBe(true);
    expect(matchesIfNoneMatch(`W/${etag}`, etag)).toBe(true);
    expect(matchesIfNoneMatch('*', etag)).toBe(true);
  });

  it('does not match another tag or a missing header', () => {
    expect(matchesIfNoneMatch('"other"', etag)).toBe(false);
    expect(matchesIfNoneMatch(undefined, etag)).toBe(false);
    expect(etagOf('{"year":2024}')).not.toBe(etag);
  });
});

describe('isIsoCountryCode', () => {
  it('accepts assigned codes and refuses reserved or made-up ones', () => {
    for (const code of ['US', 'MX', 'AR', 'DE', 'XK']) expect(isIsoCountryCode(code)).toBe(true);
    for (const code of ['XX', 'ZZ', 'EU', 'UN', 'QO', 'AA', 'us', 'USA', '']) {
      expect(isIsoCountryCode(code)).toBe(false);
    }
  });
});

describe('parseReportYear', () => {
  const now = new Date('2026-03-01T00:00:00Z');

  it('accepts whole years from 2000 to the current year', () => {
    expect(parseReportYear('2000', now)).toBe(2000);
    expect(parseReportYear('2026', now)).toBe(2026);
  });

  it('refuses anything else', () => {
    for (const text of ['1999', '2027', '25', '2025.0', ' 2025', 'latest']) {
      expect(parseReportYear(text, now)).toBeUndefined();
    }
  });
});

describe('problemFor', () => {
  it('keeps the message of typed errors and hides everything about others', () => {
    expect(problemFor(new ValidationError('bad year')).problem).toMatchObject({
      status: 400,
      detail: 'bad year',
    });
    expect(problemFor(new NotFoundError('no report')).problem.status).toBe(404);
    const internal = problemFor(new Error('connect ECONNREFUSED 10.0.0.1:443'));
    expect(internal.internal).toBe(true);
    expect(JSON.stringify(internal.problem)).not.toContain('ECONNREFUSED');
  });
});

describe('mergeVary', () => {
  it('adds a field to the ones a response already varies on, once', () => {
    expect(mergeVary('accept', 'origin')).toBe('accept, origin');
    expect(mergeVary(undefined, 'origin')).toBe('origin');
    expect(mergeVary('Accept, Origin', 'origin')).toBe('Accept, Origin');
    expect(mergeVary('*', 'origin')).toBe('*');
  });
});
