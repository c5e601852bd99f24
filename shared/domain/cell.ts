import type { CountryCode, Role, Seniority } from './taxonomy.ts';

/** The finest grain the pipeline aggregates at: one year, country, role and seniority. */
export interface CellKey {
  year: number;
  country: CountryCode;
  role: Role;
  seniority: Seniority;
}

const SEPARATOR = '#';

/** A stable string form of a cell key, used as a map key and inside storage sort keys. */
export function cellId(cell: CellKey): string {
  return [cell.year, cell.country, cell.role, cell.seniority].join(SEPARATOR);
}

/** Total order on cells (year, country, role, seniority) so every listing is deterministic. */
export function compareCells(a: CellKey, b: CellKey): number {
  return (
    a.year - b.year ||
    compareStrings(a.country, b.country) ||
    compareStrings(a.role, b.role) ||
    compareStrings(a.seniority, b.seniority)
  );
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
