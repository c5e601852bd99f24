import { FileRejectedError } from '#shared/errors.ts';
import {
  CANONICAL_COLUMNS,
  type CanonicalColumn,
  COLUMN_ALIASES,
  REQUIRED_COLUMNS,
} from './rules/columns.ts';
import { headerKey } from './rules/text.ts';

export type { CanonicalColumn } from './rules/columns.ts';

/** Where each canonical column sits in a file's header. */
export interface ColumnMapping {
  /** The header as written in the file. */
  header: readonly string[];
  /** Field index of each canonical column, -1 when the file does not have it. */
  index: Readonly<Record<CanonicalColumn, number>>;
  /** Headers that name no canonical column; their values are not read. */
  ignored: string[];
}

const COLUMN_BY_HEADER_KEY: ReadonlyMap<string, CanonicalColumn> = new Map(
  CANONICAL_COLUMNS.flatMap((column) =>
    COLUMN_ALIASES[column].map((alias) => [headerKey(alias), column] as const),
  ),
);

/**
 * Maps a header row onto the canonical columns.
 * Throws FileRejectedError when a required column is missing (naming the missing columns and the
 * headers seen) or when two headers name the same column.
 */
export function mapColumns(header: readonly string[], fileName: string): ColumnMapping {
  const index = Object.fromEntries(CANONICAL_COLUMNS.map((column) => [column, -1])) as Record<
    CanonicalColumn,
    number
  >;
  const ignored: string[] = [];
  header.forEach((name, position) => {
    const column = COLUMN_BY_HEADER_KEY.get(headerKey(name));
    if (!column) {
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

  const missing: string[] = REQUIRED_COLUMNS.filter((column) => index[column] === -1);
  if (index.seniority === -1 && index.years_experience === -1) {
    missing.push('seniority or years_experience');
  }
  if (missing.length > 0) {
    const seen = header.map((name) => `"${name}"`).join(', ');
    throw new FileRejectedError(
      `${fileName}: missing required column(s) ${missing.join(', ')}; headers seen: ${seen}`,
      { fileName, missing, headers: [...header] },
    );
  }
  return { header, index, ignored };
}
