/**
 * Privacy and confidence thresholds, modelled on the trusted compensation surveys: a cell with too
 * few respondents publishes nothing but the fact that it is suppressed, and the outer percentiles
 * need more respondents than the middle ones because they sit close to one individual's pay.
 */
export interface ReportThresholds {
  /** Fewer respondents than this: the cell is suppressed (no numbers, not even n). */
  minRespondents: number;
  /** Fewer respondents than this: p10 and p90 are withheld (null). */
  minRespondentsForOuterPercentiles: number;
  /** From this many respondents the confidence label is "medium". */
  mediumConfidenceFrom: number;
  /** From this many respondents the confidence label is "high". */
  highConfidenceFrom: number;
}

export const DEFAULT_THRESHOLDS: ReportThresholds = {
  minRespondents: 5,
  minRespondentsForOuterPercentiles: 10,
  mediumConfidenceFrom: 15,
  highConfidenceFrom: 50,
};

export const CONFIDENCE_LEVELS = ['low', 'medium', 'high'] as const;
export type Confidence = (typeof CONFIDENCE_LEVELS)[number];

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
