import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toCsvLine } from '../domain/csv/write-csv.ts';
import type { RowRejection } from '../domain/submission.ts';
import type { ObjectStore } from '../ports/object-store.ts';
import type { RejectionLog } from '../ports/rejection-log.ts';

export const REJECTION_LOG_HEADER = ['line', 'column', 'value', 'reason', 'message'] as const;
const FLUSH_AT_CHARS = 64 * 1024;

/**
 * The rejected-rows CSV, written to a temporary file as rows are rejected (a file of a million
 * bad rows must not sit in memory) and uploaded once the whole file has been read.
 */
export class TempFileRejectionLog implements RejectionLog {
  private readonly path: string;
  private readonly directory: string;
  private descriptor: number;
  private buffer = '';
  count = 0;

  constructor(private readonly objects: ObjectStore) {
    this.directory = mkdtempSync(join(tmpdir(), 'salary-report-rejected-'));
    this.path = join(this.directory, 'errors.csv');
    this.descriptor = this.openFresh();
  }

  add(rejection: RowRejection): void {
    this.count += 1;
    this.buffer += toCsvLine([
      rejection.line,
      rejection.column,
      rejection.value,
      rejection.reason,
      rejection.message,
    ]);
    if (this.buffer.length >= FLUSH_AT_CHARS) this.flush();
  }

  addFileError(message: string): void {
    this.count += 1;
    this.buffer += toCsvLine([1, '', '', 'file_rejected', message]);
  }

  reset(): void {
    closeSync(this.descriptor);
    this.buffer = '';
    this.count = 0;
    this.descriptor = this.openFresh();
  }

  async saveTo(key: string): Promise<void> {
    this.flush();
    closeSync(this.descriptor);
    this.descriptor = -1;
    await this.objects.putFile(key, this.path, 'text/csv; charset=utf-8');
  }

  dispose(): void {
    if (this.descriptor >= 0) closeSync(this.descriptor);
    this.descriptor = -1;
    rmSync(this.directory, { recursive: true, force: true });
  }

  private flush(): void {
    if (this.buffer.length === 0) return;
    writeSync(this.descriptor, this.buffer);
    this.buffer = '';
  }

  private openFresh(): number {
    const descriptor = openSync(this.path, 'w');
    // A BOM makes Excel read the UTF-8 file as UTF-8 ("México", not "MÃ©xico").
    writeSync(descriptor, `\uFEFF${toCsvLine([...REJECTION_LOG_HEADER])}`);
    return descriptor;
  }
}
