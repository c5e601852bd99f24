import { hasHighCharacter, utf8FromBytes } from './text-decoding.ts';

/**
 * One CSV record as positions in the text it was split from: a field becomes a string only when
 * someone asks for it (`field`), so columns nobody reads (free text, ids, timestamps) and values
 * looked up by their position (`FieldCache.ofField`) cost no string per row. Reused for every
 * record of a split: valid only during the callback that receives it.
 */
export class CsvRecord {
  /** The text the ranges point into. */
  text = '';
  /**
   * True when `text` is UTF-8 bytes, one character per byte (text-decoding.ts): a range holding a
   * byte above 0x7F is then decoded when it becomes a string. `unescaped` is always decoded text.
   */
  bytes = false;
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
  /**
   * When the splitter was told to stop early (`CsvRecordSplitter.fieldsWanted`), the index of the
   * last field, which then holds the rest of the line, delimiters included; otherwise -1.
   */
  rest = -1;
  /** The delimiter the record was split on (to tell whether the rest of a line is blank). */
  delimiter = ',';

  /** Field `index` as a string; '' past the end of a short record (or for index -1). */
  field(index: number): string {
    if (index >= this.count || index < 0) return '';
    const start = this.starts[index] as number;
    if (start < 0) return this.unescaped[index] as string;
    const value = this.text.slice(start, this.ends[index] as number);
    return this.bytes ? utf8FromBytes(value) : value;
  }

  /**
   * True when field `index` reads the same character by character in `text` as it does decoded:
   * a range of the text, and, in byte text, ASCII only. In-place readers need this.
   */
  isPlain(index: number): boolean {
    if (index >= this.count || index < 0) return false;
    const start = this.starts[index] as number;
    if (start < 0) return false;
    return !this.bytes || !hasHighCharacter(this.text, start, this.ends[index] as number);
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
    this.rest = -1;
    return this;
  }

  /** Blank: every field empty or whitespace (an empty line, or a line of bare delimiters). */
  isBlank(): boolean {
    const { count, text, starts, ends, rest } = this;
    for (let index = 0; index < count; index++) {
      const start = starts[index] as number;
      if (start >= 0 && index !== rest) {
        const end = ends[index] as number;
        if (start === end) continue;
        const first = text.charCodeAt(start);
        if (first > 32 && first < 127) return false;
      }
      const value = this.field(index);
      const parts = index === rest ? value.split(this.delimiter) : [value];
      if (parts.some((part) => part.trim().length > 0)) return false;
    }
    return true;
  }
}
