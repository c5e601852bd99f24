import { describe, expect, it } from 'vitest';
import {
  GRANTED_UPLOAD_KEY_PATTERN,
  isExchangeRatesKey,
  isIngestibleUploadKey,
  RULES_KEY,
  rejectedRowsKey,
  reportSnapshotKeys,
  uploadKey,
  yearOfUploadKey,
} from '#shared/bucket-layout.ts';

describe('upload keys', () => {
  it('puts a file under uploads/<year>/ and reads the year back', () => {
    expect(uploadKey(2025, 'encuesta México.csv')).toBe('uploads/2025/encuesta México.csv');
    expect(yearOfUploadKey(uploadKey(2024, 'a.csv'))).toBe(2024);
  });

  it('reads the year of uploads/<year>/ keys only', () => {
    expect(yearOfUploadKey('uploads/2024/encuesta.csv')).toBe(2024);
    expect(yearOfUploadKey('uploads/2024/nested/encuesta.csv')).toBe(2024);
    for (const key of [
      'uploads/encuesta-2024.csv',
      'uploads/20245/encuesta.csv',
      'uploads/202a/encuesta.csv',
      'uploads/2024',
      'rejected/uploads/2024/encuesta.csv',
    ]) {
      expect(yearOfUploadKey(key), key).toBeUndefined();
    }
  });

  it('ingests .csv keys under uploads/ in any case, nothing else', () => {
    expect(isIngestibleUploadKey('uploads/2025/Survey.CSV')).toBe(true);
    expect(isIngestibleUploadKey('uploads/2025/survey.csv.gz')).toBe(false);
    expect(isIngestibleUploadKey('config/2025/survey.csv')).toBe(false);
  });

  it('describes the keys POST /uploads grants', () => {
    const pattern = new RegExp(GRANTED_UPLOAD_KEY_PATTERN);
    expect(uploadKey(2025, '0b6e1c1e-4a8a-4c55-9a7e-0d9f3a1e2b3c.csv')).toMatch(pattern);
    expect('uploads/2025/../reports/x.csv').not.toMatch(pattern);
    expect('uploads/2025/abcdef.CSV').not.toMatch(pattern);
  });
});

describe('derived keys', () => {
  it('keeps the rejected rows of an upload under rejected/, named after the upload', () => {
    expect(rejectedRowsKey('uploads/2025/my survey.csv')).toBe(
      'rejected/uploads/2025/my survey.csv.errors.csv',
    );
  });

  it('puts each report version in its own folder', () => {
    expect(reportSnapshotKeys(2025, '20260105T060000Z-abc')).toEqual({
      jsonKey: 'reports/2025/20260105T060000Z-abc/report.json',
      csvKey: 'reports/2025/20260105T060000Z-abc/report.csv',
    });
  });

  it('finds the operator files under config/', () => {
    expect(RULES_KEY).toBe('config/rules.json');
    expect(isExchangeRatesKey('config/exchange-rates.csv')).toBe(true);
    expect(isExchangeRatesKey('config/Exchange-Rates-2025.CSV')).toBe(true);
    expect(isExchangeRatesKey('config/old/exchange-rates.csv')).toBe(false);
    expect(isExchangeRatesKey('config/rates.csv')).toBe(false);
    expect(isExchangeRatesKey('uploads/exchange-rates.csv')).toBe(false);
  });
});
