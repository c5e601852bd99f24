import { FileRejectedError } from '#shared/errors.ts';
import type { CsvRecord } from './csv-record.ts';
import {
  type CsvDelimiter,
  type CsvLineBreak,
  type CsvRecordCallback,
  CsvRecordSplitter,
} from './split-records.ts';
import {
  type ChunkDecoder,
  type CsvEncoding,
  createChunkDecoder,
  SNIFF_BYTES,
  sniffEncoding,
  utf8FromBytes,
} from './text-decoding.ts';

export type { CsvRecord } from './csv-record.ts';
export type { CsvDelimiter } from './split-records.ts';

export interface CsvFormat {
  encoding: CsvEncoding;
  bom: boolean;
  delimiter: CsvDelimiter;
}

export interface CsvReadHandlers {
  /**
   * Called before parsing starts, and again if parsing restarts with another encoding (then
   * discard everything received so far).
   */
  onStart(format: CsvFormat): void;
  onHeader(header: readonly string[], line: number): void;
  /**
   * One record: fields as parsed (trailing empty fields may be present), line = 1-based physical
   * line where the record starts. Called synchronously, must be fast. The array is reused for the
   * next record: copy it to keep it.
   */
  onRecord(fields: readonly string[], line: number): void;
}

/** As CsvReadHandlers, with each record as field positions (see CsvRecord), not strings. */
export interface CsvRecordHandlers extends Omit<CsvReadHandlers, 'onRecord' | 'onHeader'> {
  /**
   * The header; may return how many leading fields the records are needed for: then the rest of
   * a line can come as one last field (CsvRecordSplitter.fieldsWanted).
   */
  onHeader(header: readonly string[], line: number): number | undefined;
  /** One record, valid only during the call (see CsvReadHandlers.onRecord). */
  onRecord(record: CsvRecord, line: number): void;
}

export interface CsvReadSummary {
  format: CsvFormat;
  /** Records passed to onRecord: the header and blank lines are not records. */
  records: number;
  /** Physical lines in the file, blank ones included (a final line break ends the last line). */
  lines: number;
  bytes: number;
}

export interface CsvReadOptions {
  /**
   * Decoded characters collected before each parser call. Large batches amortize the parser's
   * per-call cost; tests pass tiny ones so records are split across calls everywhere.
   */
  parseBatchChars?: number;
  /**
   * Whether UTF-8 is split as bytes and decoded field by field (the default, see
   * text-decoding.ts's `utf8ByteDecoder`) or decoded up front. Both read every file the same:
   * tests compare them.
   */
  utf8Bytes?: boolean;
}

const DEFAULT_PARSE_BATCH_CHARS = 64 * 1024;
/**
 * No survey record is anywhere near this long. A record that grows past it is almost always a
 * quote that is never closed; stopping there keeps memory flat and avoids re-parsing the rest of
 * the file on every chunk.
 */
const MAX_RECORD_CHARS = 1024 * 1024;
/** On a tie the rarest character in ordinary header text wins: commas appear in labels, tabs never. */
const DELIMITERS_BY_TIE_PRIORITY: readonly CsvDelimiter[] = ['\t', ';', ','];
const BYTE_ORDER_MARK = '\uFEFF';
const HEADER_CONTENT = /[^\s,;"]/;
const NO_HEADER = 'no header: the file is empty or has only blank lines';

/**
 * Streams a CSV file into a header and records, with the physical line each starts on.
 * Memory holds one batch of text and one partial record, whatever the file size.
 *
 * Steps: 1. read the encoding from a byte order mark, else assume UTF-8; 2. find the header line
 * (first non-blank one) and take the delimiter and line break from it; 3. hand decoded text to
 * our record splitter (split-records.ts) in batches, keeping the unfinished last record for the
 * next batch; 4. skip blank records, report the first record as the header and the rest as records.
 * If a BOM-less file turns out not to be UTF-8 (even near its end), it is read again from the
 * start as windows-1252 and `onStart` is called again.
 * Throws FileRejectedError for an empty file, a file without a header, an unclosed quote, or
 * bytes invalid in the encoding its byte order mark announces. Other quoting mistakes (text after a
 * closing quote) are passed through as the splitter reads them: the normalizer rejects the fields.
 */
export function readCsv(
  fileName: string,
  open: () => Promise<AsyncIterable<Uint8Array>> | AsyncIterable<Uint8Array>,
  handlers: CsvReadHandlers,
  options: CsvReadOptions = {},
): Promise<CsvReadSummary> {
  const fields: string[] = [];
  return readCsvRecords(
    fileName,
    open,
    {
      onStart: (format) => handlers.onStart(format),
      onHeader: (header, line) => {
        handlers.onHeader(header, line);
        return undefined;
      },
      onRecord: (record, line) => handlers.onRecord(record.fieldsInto(fields), line),
    },
    // Every field becomes a string here: decoding the text up front is cheaper than field by field.
    { utf8Bytes: false, ...options },
  );
}

/**
 * As `readCsv`, handing each record over as field positions in the decoded text (CsvRecord), so
 * the caller creates strings only for the fields it needs.
 */
export async function readCsvRecords(
  fileName: string,
  open: () => Promise<AsyncIterable<Uint8Array>> | AsyncIterable<Uint8Array>,
  handlers: CsvRecordHandlers,
  options: CsvReadOptions = {},
): Promise<CsvReadSummary> {
  const pass: PassOptions = {
    batchChars: options.parseBatchChars ?? DEFAULT_PARSE_BATCH_CHARS,
    utf8Bytes: options.utf8Bytes ?? true,
  };
  try {
    return await readPass(fileName, await open(), handlers, 'utf-8', pass);
  } catch (error) {
    if (!(error instanceof NotUtf8Error)) throw error;
    return readPass(fileName, await open(), handlers, 'windows-1252', pass);
  }
}

/** The UTF-8 guess was wrong; internal signal to read the file again as windows-1252. */
class NotUtf8Error extends Error {}

interface PassOptions {
  batchChars: number;
  utf8Bytes: boolean;
}

async function readPass(
  fileName: string,
  source: AsyncIterable<Uint8Array>,
  handlers: CsvRecordHandlers,
  withoutBom: 'utf-8' | 'windows-1252',
  options: PassOptions,
): Promise<CsvReadSummary> {
  let bytes = 0;
  let head: Uint8Array = new Uint8Array(0);
  let pass: DecodingPass | undefined;
  for await (const chunk of source) {
    bytes += chunk.byteLength;
    if (pass) {
      pass.push(chunk, bytes);
      continue;
    }
    head = concatBytes(head, chunk);
    if (head.length < SNIFF_BYTES) continue;
    pass = new DecodingPass(fileName, head, withoutBom, handlers, options);
  }
  pass ??= new DecodingPass(fileName, head, withoutBom, handlers, options);
  return { ...pass.finish(bytes), bytes };
}

/** One read of the file in one encoding: bytes in, header and records out. */
class DecodingPass {
  private readonly decoder: ChunkDecoder;
  private readonly records: RecordReader;
  /** True when no byte order mark vouches for UTF-8, so invalid bytes mean "try windows-1252". */
  private readonly guessed: boolean;

  constructor(
    private readonly fileName: string,
    head: Uint8Array,
    withoutBom: 'utf-8' | 'windows-1252',
    handlers: CsvRecordHandlers,
    options: PassOptions,
  ) {
    const sniffed = sniffEncoding(head, withoutBom);
    if (!sniffed) {
      throw new FileRejectedError(
        `${fileName}: looks like UTF-16 text without a byte order mark; save it as "CSV UTF-8"`,
        { fileName },
      );
    }
    const bom = sniffed.bomLength > 0;
    this.decoder = createChunkDecoder(sniffed.encoding, { utf8Bytes: options.utf8Bytes });
    this.records = new RecordReader(
      fileName,
      { encoding: sniffed.encoding, bom },
      handlers,
      options.batchChars,
      this.decoder.bytes,
    );
    this.guessed = sniffed.encoding === 'utf-8' && !bom;
    this.push(head.subarray(sniffed.bomLength), head.length);
  }

  push(bytes: Uint8Array, bytesRead: number): void {
    this.records.push(this.decode(() => this.decoder.decode(bytes), bytesRead));
  }

  finish(bytesRead: number): Omit<CsvReadSummary, 'bytes'> {
    this.records.push(this.decode(() => this.decoder.finish(), bytesRead));
    return this.records.finish();
  }

  private decode(read: () => string, bytesRead: number): string {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
      if (this.guessed) throw new NotUtf8Error();
      const { encoding } = this.records.encoding;
      throw new FileRejectedError(
        `${this.fileName}: not valid ${encoding} text (invalid bytes within its first ${bytesRead} bytes)`,
        { fileName: this.fileName, encoding, bytesRead },
      );
    }
  }
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

/** Turns decoded text, pushed in pieces of any size, into header and record callbacks. */
class RecordReader {
  /** Text not parsed yet: the start of an unfinished record. */
  private pending = '';
  /** Decoded text that arrived since the last parse, joined to `pending` when the batch is full. */
  private readonly arrived: string[] = [];
  private arrivedChars = 0;
  private splitter: CsvRecordSplitter | undefined;
  /** Physical line on which the next unparsed record starts. */
  private nextLine = 1;
  private headerSeen = false;
  private records = 0;
  private readonly onRecord: CsvRecordCallback = (record, line) => this.accept(record, line);

  constructor(
    private readonly fileName: string,
    readonly encoding: Pick<CsvFormat, 'encoding' | 'bom'>,
    private readonly handlers: CsvRecordHandlers,
    private readonly batchChars: number,
    /** The text is UTF-8 bytes, one character per byte (text-decoding.ts). */
    private readonly bytes: boolean,
  ) {}

  push(text: string): void {
    if (text.length === 0) return;
    this.arrived.push(text);
    this.arrivedChars += text.length;
    if (this.pending.length + this.arrivedChars >= this.batchChars) this.parse(false);
  }

  /**
   * Makes `pending` one flat string of everything not parsed yet. Joined once per batch, not
   * appended with `+=` as pieces arrive: `+` makes a rope (a cons string), which V8 reads through
   * one more indirection on every charCodeAt and indexOf of the batch.
   */
  private gather(): void {
    if (this.arrived.length === 0) return;
    const { arrived } = this;
    this.pending =
      this.pending.length === 0 && arrived.length === 1
        ? (arrived[0] as string)
        : [this.pending, ...arrived].join('');
    arrived.length = 0;
    this.arrivedChars = 0;
  }

  finish(): Omit<CsvReadSummary, 'bytes'> {
    this.parse(true);
    if (!this.headerSeen) throw this.rejection(1, NO_HEADER);
    // The last line always ends with a line break by now (see parse).
    return { format: this.format(), records: this.records, lines: this.nextLine - 1 };
  }

  private format(): CsvFormat {
    return {
      ...this.encoding,
      delimiter: this.splitter?.delimiter ?? ',',
    };
  }

  private parse(final: boolean): void {
    this.gather();
    const splitter = this.splitter ?? this.start(final);
    if (!splitter) return;
    if (this.pending.length === 0) return;
    // Ending the last line lets a closing quote followed by spaces or a bare CR end the file.
    const text =
      final && !this.pending.endsWith(splitter.lineBreak)
        ? this.pending + splitter.lineBreak
        : this.pending;
    const result = splitter.splitRecords(text, this.nextLine, final, this.onRecord);
    if (result.unclosedQuoteLine !== undefined) {
      throw this.rejection(
        result.unclosedQuoteLine,
        'a quoted field starts here and its closing quote is missing',
      );
    }
    this.pending = result.consumed === text.length ? '' : text.slice(result.consumed);
    this.nextLine = result.nextLine;
    if (this.pending.length > MAX_RECORD_CHARS) throw this.recordTooLong(this.nextLine);
  }

  /** Reads delimiter and line break from the header line, once it is complete. */
  private start(final: boolean): CsvRecordSplitter | undefined {
    const scan = scanHeaderLine(this.pending, final, this.bytes);
    if (scan.kind === 'incomplete') {
      if (this.pending.length > MAX_RECORD_CHARS) throw this.recordTooLong(scan.line);
      return undefined;
    }
    if (scan.kind === 'absent') {
      throw this.rejection(1, NO_HEADER);
    }
    // Lines before the header are blank whatever the delimiter (",," is a value in a ";" file).
    this.pending = this.pending.slice(scan.start);
    this.nextLine = scan.line;
    this.splitter = new CsvRecordSplitter(scan.delimiter, scan.lineBreak, this.bytes);
    this.handlers.onStart(this.format());
    return this.splitter;
  }

  private accept(record: CsvRecord, line: number): void {
    if (record.isBlank()) return;
    if (this.headerSeen) {
      this.records += 1;
      this.handlers.onRecord(record, line);
      return;
    }
    this.headerSeen = true;
    const header = record.fieldsInto([]);
    const first = header[0];
    if (first?.startsWith(BYTE_ORDER_MARK)) header[0] = first.slice(1);
    const wanted = this.handlers.onHeader(header, line);
    if (wanted !== undefined && this.splitter) this.splitter.fieldsWanted = wanted;
  }

  private recordTooLong(line: number): FileRejectedError {
    return this.rejection(
      line,
      this.pending.includes('"')
        ? 'a quoted field starts here and its closing quote is missing'
        : `a record longer than ${MAX_RECORD_CHARS} ${this.bytes ? 'bytes' : 'characters'} starts here`,
    );
  }

  private rejection(line: number, problem: string): FileRejectedError {
    return new FileRejectedError(`${this.fileName}, line ${line}: ${problem}`, {
      fileName: this.fileName,
      line,
    });
  }
}

type HeaderScan =
  | {
      kind: 'found';
      delimiter: CsvDelimiter;
      lineBreak: CsvLineBreak;
      /** Where the header line starts in the text, and its line number. */
      start: number;
      line: number;
    }
  | { kind: 'incomplete'; line: number }
  | { kind: 'absent' };

/**
 * Finds the first line with content (past blank lines and lines of bare delimiters) and counts
 * the candidate delimiters outside quotes in it. The line break is taken from how that line ends:
 * CRLF and LF both read as LF (a CR left at a line's end is dropped), a lone CR means an old Mac file.
 */
function scanHeaderLine(text: string, final: boolean, bytes: boolean): HeaderScan {
  const counts: Record<CsvDelimiter, number> = { ',': 0, ';': 0, '\t': 0 };
  let line = 1;
  let start = 0;
  let inQuotes = false;
  let hasContent = false;
  for (let index = 0; index < text.length; index++) {
    const char = text.charAt(index);
    if (char === '"') {
      inQuotes = !inQuotes;
    } else if (!inQuotes && (char === '\n' || char === '\r')) {
      const next = text.charAt(index + 1);
      if (char === '\r' && next === '' && !final) return { kind: 'incomplete', line };
      if (hasContent) {
        return {
          kind: 'found',
          delimiter: mostFrequent(counts),
          lineBreak: char === '\r' && next !== '\n' ? '\r' : '\n',
          start,
          line,
        };
      }
      if (char === '\r' && next === '\n') index++;
      line += 1;
      start = index + 1;
      counts[','] = counts[';'] = counts['\t'] = 0;
    } else if (!inQuotes && (char === ',' || char === ';' || char === '\t')) {
      counts[char] += 1;
    } else if (!hasContent) {
      if (bytes && char >= '\u00c0') {
        // A UTF-8 sequence: content unless the character it encodes is a space.
        const length = char >= '\u00f0' ? 4 : char >= '\u00e0' ? 3 : 2;
        hasContent = HEADER_CONTENT.test(utf8FromBytes(text.slice(index, index + length)));
        index += length - 1;
      } else {
        hasContent = HEADER_CONTENT.test(char);
      }
    }
  }
  if (!final) return { kind: 'incomplete', line };
  if (!hasContent) return { kind: 'absent' };
  return { kind: 'found', delimiter: mostFrequent(counts), lineBreak: '\n', start, line };
}

function mostFrequent(counts: Record<CsvDelimiter, number>): CsvDelimiter {
  let best: CsvDelimiter = ',';
  let bestCount = 0;
  for (const delimiter of DELIMITERS_BY_TIE_PRIORITY) {
    if (counts[delimiter] > bestCount) {
      best = delimiter;
      bestCount = counts[delimiter];
    }
  }
  return best;
}
