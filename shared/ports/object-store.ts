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

/** The small slice of S3 ingestion needs. */
export interface ObjectStore {
  /** Streams one version of an object; throws ObjectChangedError if it is gone or replaced. */
  openRead(version: ObjectVersion): Promise<AsyncIterable<Uint8Array>>;
  /**
   * The user metadata (`x-amz-meta-*`, keys in lower case) of the same version `openRead` reads;
   * throws ObjectChangedError if it is gone or replaced.
   */
  readMetadata(version: ObjectVersion): Promise<Record<string, string>>;
  /** The key's current object (version id and ETag), or undefined when there is none. */
  headCurrent(key: string): Promise<Omit<ObjectVersion, 'key'> | undefined>;
  /** Reads a small text object; undefined when it does not exist. */
  readText(key: string): Promise<string | undefined>;
  listKeys(prefix: string): Promise<string[]>;
  /** Uploads a local file (streamed, never loaded whole). */
  putFile(key: string, path: string, contentType: string): Promise<void>;
  delete(key: string): Promise<void>;
}
