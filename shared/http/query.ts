import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { invalidParameter } from './problem.ts';

/**
 * Query parameters as lists: a parameter may be repeated (`?country=MX&country=AR`) or hold a
 * comma list (`?country=MX,AR`), both mean the same. Read from `rawQueryString`, because the
 * payload's `queryStringParameters` already joins repeats with commas and loses nothing else.
 */
export function queryParameters(event: APIGatewayProxyEventV2): Map<string, string[]> {
  const parameters = new Map<string, string[]>();
  const search = new URLSearchParams(event.rawQueryString ?? '');
  for (const [name, value] of search) {
    const values = value
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '');
    parameters.set(name, [...(parameters.get(name) ?? []), ...values]);
  }
  return parameters;
}

/** 400 for any parameter the route does not know, so a typo never silently widens an answer. */
export function rejectUnknownParameters(
  parameters: Map<string, string[]>,
  allowed: readonly string[],
): void {
  for (const name of parameters.keys()) {
    if (!allowed.includes(name)) {
      throw invalidParameter(
        name,
        allowed.length > 0
          ? `unknown parameter; this resource accepts ${allowed.join(', ')}`
          : 'unknown parameter; this resource takes no query parameters',
      );
    }
  }
}

/** The values of a list parameter, each checked; undefined when the parameter is absent. */
export function listParameter<T extends string>(
  parameters: Map<string, string[]>,
  name: string,
  parse: (value: string) => T | undefined,
  expected: string,
): Set<T> | undefined {
  const values = parameters.get(name);
  if (values === undefined) return undefined;
  if (values.length === 0) throw invalidParameter(name, `expected ${expected}`);
  const parsed = new Set<T>();
  for (const value of values) {
    const item = parse(value);
    if (item === undefined) throw invalidParameter(name, `"${value}" is not ${expected}`);
    parsed.add(item);
  }
  return parsed;
}

/** A parameter that takes exactly one value; undefined when absent. */
export function singleParameter<T extends string>(
  parameters: Map<string, string[]>,
  name: string,
  parse: (value: string) => T | undefined,
  expected: string,
): T | undefined {
  const values = listParameter(parameters, name, parse, expected);
  if (values === undefined) return undefined;
  const [only, ...rest] = [...values];
  if (only === undefined || rest.length > 0)
    throw invalidParameter(name, `expected one ${expected}`);
  return only;
}
