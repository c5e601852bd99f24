import type {
  AggregateReader,
  IngestionRecord,
  YearSnapshot,
} from '#shared/ports/ingestion-store.ts';
import { baseCellsOf, type RawRow } from './raw-rows.ts';

/** The aggregate read port over raw rows kept in memory: what the report sees, without DynamoDB. */
export class InMemoryAggregates implements AggregateReader {
  private readonly rowsByYear = new Map<number, RawRow[]>();
  records: IngestionRecord[] = [];

  setYear(year: number, rows: RawRow[]): void {
    this.rowsByYear.set(year, rows);
  }

  async readYear(year: number): Promise<YearSnapshot> {
    const rows = this.rowsByYear.get(year) ?? [];
    return {
      year,
      cells: baseCellsOf(rows, year),
      files:
        rows.length > 0
          ? [
              {
                key: `uploads/${year}/survey.csv`,
                sequencer: '0001',
                accepted: rows.length,
                rejected: 2,
                rejectedByReason: { unknown_role: 2 },
              },
            ]
          : [],
    };
  }

  async listIngestionRecords(year?: number): Promise<IngestionRecord[]> {
    return this.records.filter((record) => year === undefined || record.years.includes(year));
  }
}
