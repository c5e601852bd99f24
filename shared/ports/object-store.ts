/** Identifies one version of an object, so a late event never reads a newer upload's bytes. */
export interface ObjectVersion {
  key: string;
  versionId?: string;
  etag?: string;
}

/** The object is gone or was replaced since the event; a later event will describe what is there. */
export class ObjectChangedError extends Error {
  constructor(readonly key: string) {
    super(`s3 object ${key} no longer exists in the version the event describes`);
    this.name = 'ObjectChangedError';
  }
}

/** One version of an object, opened: its user metadata, and its bytes as they arrive. */
export interface OpenedObject {
  /** User metadata (`x-amz-meta-*`, keys in lower case), from the same response as the bytes. */
  metadata: Record<string, string>;
  body: AsyncIterable<Uint8Array>;
}

/** The small slice of S3 ingestion needs. */
export interface ObjectStore {
  /**
   * Opens one version of an object (one `GetObject`: metadata and stream); throws
   * ObjectChangedError if it is gone or replaced.
   */
  openRead(version: ObjectVersion): Promise<OpenedObject>;
  /** The key's current object (version id and ETag), or undefined when there is none. */
  headCurrent(key: string): Promise<Omit<ObjectVersion, 'key'> | undefined>;
  /** Reads a small text object; undefined when it does not exist. */
  readText(key: string): Promise<string | undefined>;
  listKeys(prefix: string): Promise<string[]>;
  /** Uploads a local file (streamed, never loaded whole). */
  putFile(key: string, path: string, contentType: string): Promise<void>;
  delete(key: string): Promise<void>;
}
