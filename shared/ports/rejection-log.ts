import type { RejectionSink } from '../domain/survey-file.ts';

/** The rejected rows of one file, collected while it is read and then saved next to it. */
export interface RejectionLog extends RejectionSink {
  readonly count: number;
  /** A whole-file rejection, listed as one line so the analyst finds it in the same place. */
  addFileError(message: string): void;
  /** Stores the log as a CSV object under `key`. */
  saveTo(key: string): Promise<void>;
  /** Releases local resources; safe to call more than once. */
  dispose(): void;
}
