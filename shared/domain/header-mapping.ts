import { FileRejectedError } from '#shared/errors.ts';
import type { MappingProfile } from './profile.ts';
import {
  CANONICAL_COLUMNS,
  type CanonicalColumn,
  COLUMN_ALIASES,
  REQUIRED_COLUMNS,
} from './rules/canonical-columns.ts';
import { headerKey } from './rules/text.ts';

export type { CanonicalColumn } from './rules/canonical-columns.ts';

/** Where each canonical column sits in a file's header. */
export interface ColumnMapping {
  /** The header as written in the file. */
  header: readonly string[];
  /** Field index of each canonical column, -1 when the file does not have it. */
  index: Readonly<Record<CanonicalColumn, number>>;
  /** Headers that name no canonical column; their values are not read. */
  ignored: string[];
  /** Fields a profile gives one value for every row (raw text, normalized like a cell). */
  constants: Readonly<Partial<Record<CanonicalColumn, string>>>;
}

const COLUMN_BY_HEADER_KEY: ReadonlyMap<string, CanonicalColumn> = new Map(
  CANONICAL_COLUMNS.flatMap((column) =>
    COLUMN_ALIASES[column].map((alias) => [headerKey(alias), column] as const),
  ),
);

/**
 * Maps a header row onto the canonical columns.
 *
 * With a profile: 1. each field the profile maps is the column whose header reduces like the
 * profile's (a header that is missing, or appears twice, rejects the file); 2. fields the profile
 * maps or gives as constants are not looked for by alias; 3. every other field is found by its
 * header aliases as without a profile. A salary_usd column stands for salary and currency.
 * Throws FileRejectedError when a required column is missing (naming the missing columns and the
 * headers seen) or when two headers name the same column.
 */
export function mapColumns(
  header: readonly string[],
  fileName: string,
  profile?: MappingProfile,
): ColumnMapping {
  const index = Object.fromEntries(CANONICAL_COLUMNS.map((column) => [column, -1])) as Record<
    CanonicalColumn,
    number
  >;
  const keys = header.map(headerKey);
  const claimed = new Set<number>();
  for (const [column, name] of Object.entries(profile?.columns ?? {}) as [
    CanonicalColumn,
    string,
  ][]) {
    const positions = keys.flatMap((key, position) => (key === headerKey(name) ? [position] : []));
    const [position, twice] = positions;
    if (position === undefined) {
      throw new FileRejectedError(
        `${fileName}: profile "${profile?.name}" maps ${column} to the column "${name}", which the file does not have; headers seen: ${seen(header)}`,
        { fileName, profile: profile?.name, column, headers: [...header] },
      );
    }
    if (twice !== undefined) {
      throw new FileRejectedError(
        `${fileName}: profile "${profile?.name}" maps ${column} to "${name}", but the file has that header ${positions.length} times (columns ${positions.map((at) => at + 1).join(', ')})`,
        { fileName, profile: profile?.name, column },
      );
    }
    index[column] = position;
    claimed.add(position);
  }
  const constants = profile?.constants ?? {};
  const settled = (column: CanonicalColumn) =>
    profile?.columns[column] !== undefined || constants[column] !== undefined;

  const ignored: string[] = [];
  header.forEach((name, position) => {
    if (claimed.has(position)) return;
    const column = COLUMN_BY_HEADER_KEY.get(keys[position] ?? '');
    if (!column || settled(column)) {
      if (name.trim() !== '') ignored.push(name);
      return;
    }
    const previous = index[column];
    if (previous !== -1) {
      throw new FileRejectedError(
        `${fileName}: headers "${header[previous]}" and "${name}" both name the ${column} column`,
        { fileName, column, headers: [header[previous], name] },
      );
    }
    index[column] = position;
  });

  const present = (column: CanonicalColumn) =>
    index[column] !== -1 || constants[column] !== undefined;
  const inUsd = index.salary_usd !== -1;
  const missing: string[] = REQUIRED_COLUMNS.filter(
    (column) => !present(column) && !(inUsd && (column === 'salary' || column === 'currency')),
  );
  if (!present('seniority') && !present('years_experience')) {
    missing.push('seniority or years_experience');
  }
  if (missing.length > 0) {
    const withProfile = profile
      ? ` (profile "${profile.name}" maps or sets none of them either)`
      : '';
    // Survey tools name columns after their questions ("What country do you work in?"): a
    // mapping profile names them, and `profile suggest` drafts one from the file.
    const hint = profile
      ? ''
      : '. A mapping profile can name them: `salary-report profile suggest <file.csv>` drafts one (docs/profiles.md)';
    throw new FileRejectedError(
      `${fileName}: missing required column(s) ${missing.join(', ')}${withProfile}; headers seen: ${seen(header)}${hint}`,
      { fileName, missing, headers: [...header] },
    );
  }
  return { header, index, ignored, constants };
}

function seen(header: readonly string[]): string {
  return header.map((name) => `"${name}"`).join(', ');
}
