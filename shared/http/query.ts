import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type * as z from 'zod';
import { invalidParameter } from './problem.ts';

/**
 * One query parameter of a route: how one value is read (a zod schema from the text to the typed
 * value), whether it takes a list, whether it is required, and how it is described. The router
 * reads a route's parameters with these and the OpenAPI document describes them from the same.
 */
export interface QueryParameter<T = unknown, List extends boolean = boolean> {
  value: z.ZodType<T>;
  /** A list: the parameter may repeat (`?country=MX&country=AR`) or hold a comma list (`MX,AR`). */
  list: List;
  required: boolean;
  /** Completes "… is not <expected>" in the 400 answer. */
  expected: string;
  description?: string;
}

export type QueryContract = Readonly<Record<string, QueryParameter>>;

/** What a route's handler gets: each list as a set, each single value as is; absent: undefined. */
export type QueryValues<C extends QueryContract> = {
  [K in keyof C]: C[K] extends QueryParameter<infer T, infer List>
    ? (List extends true ? ReadonlySet<T> : T) | (C[K]['required'] extends true ? never : undefined)
    : never;
};

/** A parameter that takes a list of values; absent means "no filter". */
export function listOf<T>(
  value: z.ZodType<T>,
  options: { expected: string; description: string },
): QueryParameter<T, true> & { required: false } {
  return { value, list: true, required: false, ...options };
}

/** A parameter that takes exactly one value. */
export function oneOf<T, Required extends boolean = false>(
  value: z.ZodType<T>,
  options: { expected: string; description?: string; required?: Required },
): QueryParameter<T, false> & { required: Required } {
  const { required, ...rest } = options;
  return { value, list: false, required: (required ?? false) as Required, ...rest };
}

/**
 * The query of a request, read against a route's contract: any parameter the route does not take
 * is refused (400), so a typo never silently widens an answer; every value is checked.
 */
export function readQuery<C extends QueryContract>(
  contract: C,
  event: APIGatewayProxyEventV2,
): QueryValues<C> {
  return readQueryParameters(contract, queryParameters(event));
}

/**
 * Parameters read against a contract, wherever they come from: the API's query string, or the
 * CLI's options (`salary-report report --country XX` fails with the API's own 400 message).
 */
export function readQueryParameters<C extends QueryContract>(
  contract: C,
  parameters: ReadonlyMap<string, string[]>,
): QueryValues<C> {
  const allowed = Object.keys(contract);
  for (const name of parameters.keys()) {
    if (!Object.hasOwn(contract, name)) {
      throw invalidParameter(
        name,
        allowed.length > 0
          ? `unknown parameter; this resource accepts ${allowed.join(', ')}`
          : 'unknown parameter; this resource takes no query parameters',
      );
    }
  }
  const values: Record<string, unknown> = {};
  for (const [name, parameter] of Object.entries(contract)) {
    values[name] = readParameter(name, parameter, parameters.get(name));
  }
  return values as QueryValues<C>;
}

function readParameter(name: string, parameter: QueryParameter, texts: string[] | undefined) {
  if (texts === undefined) {
    if (parameter.required) throw invalidParameter(name, 'required');
    return undefined;
  }
  if (texts.length === 0) throw invalidParameter(name, `expected ${parameter.expected}`);
  const parsed = new Set<unknown>();
  for (const text of texts) {
    const result = parameter.value.safeParse(text);
    if (!result.success) throw invalidParameter(name, `"${text}" is not ${parameter.expected}`);
    parsed.add(result.data);
  }
  if (parameter.list) return parsed;
  const [only, ...rest] = [...parsed];
  if (rest.length > 0) throw invalidParameter(name, `expected one ${parameter.expected}`);
  return only;
}

/**
 * Query parameters as lists: a parameter may be repeated (`?country=MX&country=AR`) or hold a
 * comma list (`?country=MX,AR`), both mean the same. Read from `rawQueryString`, because the
 * payload's `queryStringParameters` already joins repeats with commas and loses nothing else.
 */
export function queryParameters(event: APIGatewayProxyEventV2): Map<string, string[]> {
  return parameterLists(new URLSearchParams(event.rawQueryString ?? ''));
}

/** Name → values, each value split at commas and trimmed. */
export function parameterLists(search: URLSearchParams): Map<string, string[]> {
  const parameters = new Map<string, string[]>();
  for (const [name, value] of search) {
    const values = value
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '');
    parameters.set(name, [...(parameters.get(name) ?? []), ...values]);
  }
  return parameters;
}
