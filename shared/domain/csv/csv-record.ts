/**
 * One CSV record as positions in the text it was split from: a field becomes a string only when
 * someone asks for it (`field`), so columns nobody reads (free text, ids, timestamps) and values
 * looked up by their position (`FieldCache.ofField`) cost no string per row. Reused for every
 * record of a split: valid only during the callback that receives it.
 */
export class CsvRecord {
  /** The text the ranges point into. */
  text = '';
  /** Fields in this record (ragged records have fewer or more than the header). */
  count = 0;
  /** Field i is `text.slice(starts[i], ends[i])`, or `unescaped[i]` when `starts[i]` is -1. */
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  /**
   * The value of a field that is not a plain range of the text: a quoted field with doubled
   * quotes, or a field handed over as a string (`setFields`).
   */
  readonly unescaped: string[] = [];

  /** Field `index` as a string; '' past the end of a short record (or for index -1). */
  field(index: number): string {
    if (index >= this.count || index < 0) return '';
    const start = this.starts[index] as number;
    return start < 0
      ? (this.unescaped[index] as string)
      : this.text.slice(start, this.ends[index] as number);
  }

  /** Every field as a string, written into `into` (which is returned, its length set). */
  fieldsInto(into: string[]): string[] {
    const { count } = this;
    for (let index = 0; index < count; index++) into[index] = this.field(index);
    if (into.length !== count) into.length = count;
    return into;
  }

  /** Makes this record hold `fields` as they are (for callers that already have strings). */
  setFields(fields: readonly string[]): this {
    const count = fields.length;
    for (let index = 0; index < count; index++) {
      this.starts[index] = -1;
      this.unescaped[index] = fields[index] as string;
    }
    this.count = count;
    return this;
  }

  /** Blank: every field empty or whitespace (an empty line, or a line of bare delimiters). */
  isBlank(): boolean {
    const { count, text, starts, ends } = this;
    for (let index = 0; index < count; index++) {
      const start = starts[index] as number;
      if (start >= 0) {
        const end = ends[index] as number;
        if (start === end) continue;
        const first = text.charCodeAt(start);
        if (first > 32 && first < 127) return false;
      }
      if (this.field(index).trim().length > 0) return false;
    }
    return true;
  }
}
