import type { CsvRecord } from './csv-record.ts';

/**
 * A value computed from a field's text, remembered per distinct text: survey columns repeat a few
 * spellings millions of times. Past `limit` distinct texts the table starts over, so a file of
 * distinct garbage cannot grow memory without bound.
 */
export class FieldCache<T> {
  private readonly cache = new Map<string, T>();

  constructor(
    private readonly compute: (text: string) => T,
    private readonly limit: number,
  ) {}

  ofText(text: string): T {
    let value = this.cache.get(text);
    if (value === undefined) {
      value = this.compute(text);
      if (this.cache.size >= this.limit) this.cache.clear();
      this.cache.set(text, value);
    }
    return value;
  }

  /** The value of field `index` of `record` ('' past the end of a short record). */
  ofField(record: CsvRecord, index: number): T {
    return this.ofText(record.field(index));
  }
}
