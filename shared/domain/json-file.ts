import type { z } from 'zod';

/** Where a hand-written JSON file goes wrong: the line and the dotted field path. */
export interface JsonFileProblem {
  line: number;
  /** Dotted path of the offending field ("roles.backend"), absent for a syntax error. */
  field?: string;
  message: string;
}

/**
 * Parses an operator's JSON file against a zod schema. On a syntax error or the first schema
 * issue, calls `fail` with the line (of the error, or of the deepest named key of the issue's
 * path) and the field, so the message can name the file, line and field.
 */
export function parseJsonFile<T>(
  text: string,
  schema: z.ZodType<T>,
  fail: (problem: JsonFileProblem) => never,
): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message)?.[1];
    const line = position === undefined ? 1 : lineAt(text, Number(position));
    return fail({ line, message: `invalid JSON (${message})` });
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue?.path.map(String) ?? [];
  // An unknown key is reported on its parent: point at the key itself.
  if (issue?.code === 'unrecognized_keys' && issue.keys[0] !== undefined) path.push(issue.keys[0]);
  return fail({
    line: lineOfField(text, path),
    field: path.join('.') || '(root)',
    message: issue?.message ?? 'invalid',
  });
}

export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * The line of the deepest named key on `path` ("roles" → "backend" → 0: the line of "backend"),
 * found by searching each key in turn after the previous one. Good enough to point a reader at
 * the right place in a hand-written file; line 1 when nothing matches.
 */
export function lineOfField(text: string, path: readonly string[]): number {
  let offset = 0;
  let found = -1;
  for (const segment of path) {
    if (/^\d+$/.test(segment)) continue;
    const at = text.indexOf(JSON.stringify(segment), offset);
    if (at === -1) break;
    found = at;
    offset = at + segment.length;
  }
  return found === -1 ? 1 : lineAt(text, found);
}
