/**
 * Privacy and confidence thresholds: the defaults, the confidence label and the consistency check.
 * What each threshold means: `ReportThresholdsSchema` in `model.ts`.
 */
import type { Confidence, ReportThresholds } from './model.ts';

/** The thresholds of `ReportThresholdsSchema` unless a deployment sets others (shared/config.ts). */
export const DEFAULT_THRESHOLDS: ReportThresholds = {
  minRespondents: 5,
  minRespondentsForOuterPercentiles: 10,
  mediumConfidenceFrom: 15,
  highConfidenceFrom: 50,
};

/** The label a published cell carries; only called for cells at or above `minRespondents`. */
export function confidenceFor(n: number, thresholds: ReportThresholds): Confidence {
  if (n >= thresholds.highConfidenceFrom) return 'high';
  if (n >= thresholds.mediumConfidenceFrom) return 'medium';
  return 'low';
}

/** Rejects threshold sets that would publish smaller cells than they suppress, or the like. */
export function validateThresholds(thresholds: ReportThresholds): ReportThresholds {
  const { minRespondents, minRespondentsForOuterPercentiles, mediumConfidenceFrom } = thresholds;
  const ordered =
    Number.isInteger(minRespondents) &&
    minRespondents >= 1 &&
    minRespondentsForOuterPercentiles >= minRespondents &&
    mediumConfidenceFrom >= minRespondents &&
    thresholds.highConfidenceFrom >= mediumConfidenceFrom;
  if (!ordered) {
    throw new RangeError(
      `report thresholds must satisfy 1 <= minRespondents <= minRespondentsForOuterPercentiles and minRespondents <= mediumConfidenceFrom <= highConfidenceFrom (got ${JSON.stringify(thresholds)})`,
    );
  }
  return thresholds;
}
