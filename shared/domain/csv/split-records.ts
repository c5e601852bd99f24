/**
 * Our CSV record splitter: decoded text in, records (arrays of field strings) out, with the
 * physical line each record starts on. It reads what RFC 4180 writers produce and what
 * spreadsheets export, with the leniency PapaParse has (its behaviour is the reference the tests
 * compare against):
 * - a field is quoted only when its first character is a quote; inside, `""` is one quote, and
 *   delimiters and line breaks are data;
 * - a quote closes the field when spaces or nothing stand between it and a delimiter or the line
 *   break; any other quote inside a quoted field is kept as data;
 * - a quote in the middle of an unquoted field is data;
 * - with LF line breaks, a CR before the LF (CRLF files) is dropped from the record's last field.
 *
 * Speed: fields are found with `indexOf` (native, vectorized scans) for the delimiter, the line
 * break and the quote, each position remembered until the cursor passes it, so every character is
 * scanned a bounded number of times; a record is one reused `CsvRecord` of field positions, so no
 * string is created for a field until someone asks for it.
 */

import { CsvRecord } from './csv-record.ts';
import { utf8FromBytes } from './text-decoding.ts';

export type CsvDelimiter = ',' | ';' | '\t';
export type CsvLineBreak = '\n' | '\r';

/**
 * Receives one record: `fields` is only valid during the call (the array is reused for the next
 * record; copy it to keep it). `line` is the 1-based physical line where the record starts.
 */
export type RecordCallback = (fields: string[], line: number) => void;

/** Receives one record as field positions (see CsvRecord): only valid during the call. */
export type CsvRecordCallback = (record: CsvRecord, line: number) => void;

export interface SplitResult {
  /** Where the first unfinished record starts in the text: pass the text from here again, with more. */
  consumed: number;
  /** The line the next record starts on. */
  nextLine: number;
  /**
   * When the text ends the file and a quoted field in it is never closed: the line its record
   * starts on (records before it were delivered). Otherwise undefined.
   */
  unclosedQuoteLine?: number;
}

const QUOTE = '"';
const QUOTE_CODE = 34;
const CARRIAGE_RETURN = 13;
const DOUBLED_QUOTE = '""';

export class CsvRecordSplitter {
  private readonly delimiterCode: number;
  private readonly lineBreakCode: number;
  private readonly record = new CsvRecord();
  private readonly fields: string[] = [];
  /**
   * Records are needed only up to this many fields: when the rest of a line holds no quote, it is
   * not split but handed over as one last field (see CsvRecord.rest). Every field by default.
   */
  fieldsWanted = Number.POSITIVE_INFINITY;

  /**
   * @param bytes the texts to split are UTF-8 bytes, one character per byte (text-decoding.ts):
   *   records then carry them as such (CsvRecord.bytes), and what the splitter itself reads as text
   *   (a doubled-quote field, what follows a closing quote) is decoded first.
   */
  constructor(
    readonly delimiter: CsvDelimiter,
    readonly lineBreak: CsvLineBreak,
    readonly bytes = false,
  ) {
    this.delimiterCode = delimiter.charCodeAt(0);
    this.lineBreakCode = lineBreak.charCodeAt(0);
    this.record.delimiter = delimiter;
    this.record.bytes = bytes;
  }

  /**
   * Calls `onRecord` for every record of `text` that ends with a line break, starting at line
   * `firstLine`. With `final`, the text is the end of the file and must end with a line break
   * (the caller appends one), so every record in it is complete unless a quote is never closed.
   */
  split(text: string, firstLine: number, final: boolean, onRecord: RecordCallback): SplitResult {
    const { fields } = this;
    return this.splitRecords(text, firstLine, final, (record, line) =>
      onRecord(record.fieldsInto(fields), line),
    );
  }

  /** As `split`, with each record as field positions in `text` instead of strings. */
  splitRecords(
    text: string,
    firstLine: number,
    final: boolean,
    onRecord: CsvRecordCallback,
  ): SplitResult {
    const { delimiter, lineBreak, delimiterCode, lineBreakCode, record, fieldsWanted } = this;
    const { starts, ends, unescaped, bytes } = record;
    record.text = text;
    const end = text.length;
    const dropCarriageReturn = lineBreak === '\n';
    let pos = 0;
    let line = firstLine;
    // The next delimiter, line break and quote at or after the cursor (`end` when there is none).
    let nextDelimiter = indexOrEnd(text, delimiter, 0);
    let nextBreak = indexOrEnd(text, lineBreak, 0);
    let nextQuote = indexOrEnd(text, QUOTE, 0);

    records: while (pos < end) {
      const recordStart = pos;
      const recordLine = line;
      let count = 0;
      let lastQuoted = false;
      record.rest = -1;
      for (;;) {
        if (nextQuote < pos) nextQuote = indexOrEnd(text, QUOTE, pos);
        if (nextDelimiter < pos) nextDelimiter = indexOrEnd(text, delimiter, pos);
        if (nextBreak < pos) nextBreak = indexOrEnd(text, lineBreak, pos);
        if (nextQuote !== pos) {
          // Unquoted: up to the next delimiter or line break.
          if (nextDelimiter < nextBreak) {
            starts[count] = pos;
            ends[count++] = nextDelimiter;
            pos = nextDelimiter + 1;
            if (count === fieldsWanted && nextQuote > nextBreak && nextBreak !== end) {
              // Enough fields, and no quote before the line break: the rest is one field.
              record.rest = count;
              starts[count] = pos;
              ends[count++] = nextBreak;
              pos = nextBreak + 1;
              line += 1;
              break;
            }
            continue;
          }
          if (nextBreak === end) {
            pos = recordStart;
            line = recordLine;
            break records;
          }
          let fieldEnd = nextBreak;
          if (
            dropCarriageReturn &&
            fieldEnd > pos &&
            text.charCodeAt(fieldEnd - 1) === CARRIAGE_RETURN
          ) {
            fieldEnd -= 1;
          }
          starts[count] = pos;
          ends[count++] = fieldEnd;
          pos = nextBreak + 1;
          line += 1;
          lastQuoted = false;
          break;
        }

        // Quoted: find the quote that closes it.
        let quote = pos;
        let doubled = false;
        let after = -1;
        let endsRecord = false;
        for (;;) {
          quote = text.indexOf(QUOTE, quote + 1);
          if (quote === -1 || quote + 1 === end) {
            // Not closed within this text (or not known yet whether the quote is doubled).
            if (final)
              return { consumed: recordStart, nextLine: recordLine, unclosedQuoteLine: recordLine };
            pos = recordStart;
            line = recordLine;
            break records;
          }
          const next = text.charCodeAt(quote + 1);
          if (next === QUOTE_CODE) {
            doubled = true;
            quote += 1;
            continue;
          }
          if (next === delimiterCode) {
            after = quote + 2;
            break;
          }
          if (next === lineBreakCode) {
            after = quote + 2;
            endsRecord = true;
            break;
          }
          // Spaces between the closing quote and the delimiter or line break are dropped.
          const delimiterAfter = indexOrEnd(text, delimiter, quote + 1);
          const breakAfter = indexOrEnd(text, lineBreak, quote + 1);
          const upTo = Math.min(delimiterAfter, breakAfter);
          if (upTo === end) {
            // Only before the end of the file: what follows the spaces is not known yet.
            pos = recordStart;
            line = recordLine;
            break records;
          }
          const between = text.slice(quote + 1, upTo);
          if ((bytes ? utf8FromBytes(between) : between).trim() === '') {
            after = upTo + 1;
            endsRecord = upTo === breakAfter;
            break;
          }
          // A quote followed by other text is data; keep looking.
        }
        if (doubled) {
          starts[count] = -1;
          const value = text.slice(pos + 1, quote).replaceAll(DOUBLED_QUOTE, QUOTE);
          unescaped[count] = bytes ? utf8FromBytes(value) : value;
        } else {
          starts[count] = pos + 1;
        }
        ends[count++] = quote;
        line += countOf(text, lineBreak, pos + 1, quote);
        pos = after;
        if (endsRecord) {
          line += 1;
          lastQuoted = true;
          break;
        }
      }
      record.count = count;
      if (lastQuoted && dropCarriageReturn) dropFinalCarriageReturn(record);
      onRecord(record, recordLine);
    }
    return { consumed: pos, nextLine: line };
  }
}

function indexOrEnd(text: string, search: string, from: number): number {
  const at = text.indexOf(search, from);
  return at === -1 ? text.length : at;
}

function countOf(text: string, search: string, from: number, to: number): number {
  let count = 0;
  for (
    let at = text.indexOf(search, from);
    at !== -1 && at < to;
    at = text.indexOf(search, at + 1)
  ) {
    count += 1;
  }
  return count;
}

/** Matches how unquoted last fields lose the CR of a CRLF, for quoted ones that end in a CR. */
function dropFinalCarriageReturn(record: CsvRecord): void {
  const last = record.count - 1;
  const start = record.starts[last] as number;
  if (start >= 0) {
    const end = record.ends[last] as number;
    if (end > start && record.text.charCodeAt(end - 1) === CARRIAGE_RETURN)
      record.ends[last] = end - 1;
    return;
  }
  const value = record.unescaped[last] as string;
  if (value.charCodeAt(value.length - 1) === CARRIAGE_RETURN) {
    record.unescaped[last] = value.slice(0, -1);
  }
}
