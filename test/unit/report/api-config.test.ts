import { afterEach, describe, expect, it } from 'vitest';
import {
  ENV,
  loadApiConfig,
  loadReportThresholds,
  reportBaseCountry,
  THRESHOLD_ENV,
  thresholdEnvironment,
} from '#shared/config.ts';
import { DEFAULT_THRESHOLDS } from '#shared/domain/report/thresholds.ts';
import { ConfigError } from '#shared/errors.ts';

describe('reportBaseCountry', () => {
  it('accepts an ISO 3166-1 alpha-2 code in any case', () => {
    expect(reportBaseCountry('US')).toBe('US');
    expect(reportBaseCountry('mx')).toBe('MX');
  });

  it('refuses anything else with the variable named', () => {
    for (const value of ['USA', 'XX', 'United States', '']) {
      expect(() => reportBaseCountry(value)).toThrow(ConfigError);
    }
    expect(() => reportBaseCountry('USA')).toThrow(
      /REPORT_BASE_COUNTRY must be an ISO 3166-1 alpha-2 country code such as US, got "USA"/,
    );
  });
});

describe('loadApiConfig', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('fails when the configuration is loaded if REPORT_BASE_COUNTRY is not a country code', () => {
    process.env[ENV.tableName] = 'table';
    process.env[ENV.bucketName] = 'bucket';
    process.env[ENV.reportBaseCountry] = 'USA';
    expect(() => loadApiConfig()).toThrow(ConfigError);
    process.env[ENV.reportBaseCountry] = 'de';
    expect(loadApiConfig().reportBaseCountry).toBe('DE');
    delete process.env[ENV.reportBaseCountry];
    expect(loadApiConfig().reportBaseCountry).toBe('US');
  });
});

describe('loadReportThresholds', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('uses the documented defaults and lets each be overridden', () => {
    expect(loadReportThresholds()).toEqual(DEFAULT_THRESHOLDS);
    process.env[THRESHOLD_ENV.minRespondents] = '10';
    process.env[THRESHOLD_ENV.minRespondentsForOuterPercentiles] = '20';
    expect(loadReportThresholds()).toMatchObject({
      minRespondents: 10,
      minRespondentsForOuterPercentiles: 20,
    });
  });

  it('reads back exactly the set the stack writes into the environment', () => {
    const strict = {
      minRespondents: 8,
      minRespondentsForOuterPercentiles: 12,
      mediumConfidenceFrom: 20,
      highConfidenceFrom: 80,
    };
    Object.assign(process.env, thresholdEnvironment(strict));
    expect(loadReportThresholds()).toEqual(strict);
  });

  it('refuses a set that would publish cells below the suppression threshold', () => {
    process.env[THRESHOLD_ENV.minRespondents] = '20';
    expect(() => loadReportThresholds()).toThrow(RangeError);
  });
});
