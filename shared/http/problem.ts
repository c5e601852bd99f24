import { NotFoundError, SalaryReportError, ValidationError } from '../errors.ts';
import type { InvalidParameter, ProblemDocument } from './api-schemas.ts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** An error that already knows its HTTP status and a message safe to show to the caller. */
export class HttpProblem extends SalaryReportError {
  constructor(
    readonly status: number,
    detail: string,
    readonly extra: { invalidParams?: InvalidParameter[]; headers?: Record<string, string> } = {},
  ) {
    super(detail);
  }
}

/** A bad query, path or body parameter (400), naming the parameter. */
export function invalidParameter(name: string, reason: string): HttpProblem {
  return new HttpProblem(400, `invalid parameter "${name}": ${reason}`, {
    invalidParams: [{ name, reason }],
  });
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
};

/**
 * The one place errors become HTTP: typed errors keep their (caller-safe) message; anything else is
 * a 500 whose body says nothing about the internals (the full error goes to the log only).
 */
export function problemFor(error: unknown): {
  problem: ProblemDocument;
  headers: Record<string, string>;
  internal: boolean;
} {
  if (error instanceof HttpProblem) {
    return {
      problem: document(error.status, error.message, error.extra.invalidParams),
      headers: error.extra.headers ?? {},
      internal: false,
    };
  }
  if (error instanceof ValidationError) {
    return { problem: document(400, error.message), headers: {}, internal: false };
  }
  if (error instanceof NotFoundError) {
    return { problem: document(404, error.message), headers: {}, internal: false };
  }
  return {
    problem: document(500, 'The server could not answer this request. Please try again later.'),
    headers: {},
    internal: true,
  };
}

function document(
  status: number,
  detail: string,
  invalidParams?: InvalidParameter[],
): ProblemDocument {
  return {
    type: 'about:blank',
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    ...(invalidParams ? { invalidParams } : {}),
  };
}
