/**
 * Typed errors. Each carries the context a reader needs to act (file, line, field...) and sets
 * `name`, so logs and the HTTP error mapper can tell them apart without string matching.
 */
export class SalaryReportError extends Error {
  readonly context: Record<string, unknown>;

  constructor(message: string, context: Record<string, unknown> = {}, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.context = context;
  }
}

/** A whole file cannot be ingested (missing required columns, undeterminable year, bad encoding). */
export class FileRejectedError extends SalaryReportError {}

/** Operator configuration (rates CSV, rules JSON, environment) is invalid. */
export class ConfigError extends SalaryReportError {}

/**
 * A mapping profile (config/profiles/<name>.json) is missing or invalid; the upload that names it
 * is rejected as a whole, with this message.
 */
export class ProfileError extends SalaryReportError {}

/** A request or command argument is invalid; maps to HTTP 400. */
export class ValidationError extends SalaryReportError {}

/** The thing asked for does not exist; maps to HTTP 404. */
export class NotFoundError extends SalaryReportError {}

/** A year has respondents, but too few to publish even their count without identifying them. */
export class TooFewRespondentsError extends SalaryReportError {}

/**
 * Stored aggregates are damaged or incomplete: a payload that does not decode, or chunks of a
 * partial missing, repeated or mixed with another partial's. Never retried silently.
 */
export class StoredAggregateError extends SalaryReportError {}
