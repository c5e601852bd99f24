import type { CsvRecord } from './csv-record.ts';

/** Characters a trie node has an edge for: every one-byte (Latin-1) character; others use the Map. */
const ALPHABET = 256;
const ALPHABET_BITS = 8;
/** Trie nodes allocated at first, and at most (512 bytes each, so at most 2 MB a cache): past that, new texts go through the Map only. */
const FIRST_NODES = 4;
const MAX_NODES = 4096;
/** No value id at a node. */
const NONE = -1;

/**
 * A value computed from a field's text, remembered per distinct text: survey columns repeat a few
 * spellings millions of times. Past `limit` distinct texts the table starts over, so a file of
 * distinct garbage cannot grow memory without bound.
 *
 * `ofField` finds a field's value from its position in the record's text without creating a
 * string: a trie of the texts seen so far is walked character by character (one typed-array read
 * each; in UTF-8 byte text, CsvRecord.bytes, byte by byte, so every text fits), and only a text
 * not in it (new, or with characters beyond Latin-1 in decoded text, or once the trie is full) is
 * turned into a string (decoded) and looked up in the `Map`. Slicing a field and hashing the fresh string costs
 * about twice the walk (bench/README.md).
 */
export class FieldCache<T> {
  private readonly cache = new Map<string, number>();
  /** Value ids index this: the trie's terminals and the Map point here. */
  private values: T[] = [];
  /** Node n's edge for character c is `edges[(n << 8) | c]`, 0 when absent (0 is the root). */
  private edges = new Int16Array(FIRST_NODES * ALPHABET);
  /** The value id of the text ending at node n, or NONE. */
  private terminals = new Int32Array(FIRST_NODES).fill(NONE);
  private nodes = 1;
  /** Whether the trie holds byte text (CsvRecord.bytes) or characters: a record of the other kind starts it over. */
  private trieBytes = false;

  constructor(
    private readonly compute: (text: string) => T,
    private readonly limit: number,
  ) {}

  ofText(text: string): T {
    // (`idOf` may start the table over: read `values` after it.)
    const id = this.idOf(text);
    return this.values[id] as T;
  }

  /** The value of field `index` of `record` ('' past the end of a short record). */
  ofField(record: CsvRecord, index: number): T {
    const start = index >= 0 && index < record.count ? (record.starts[index] as number) : -1;
    if (start < 0) return this.ofText(record.field(index));
    if (record.bytes !== this.trieBytes) this.clearTrie(record.bytes);
    const { text } = record;
    const end = record.ends[index] as number;
    const { edges } = this;
    let node = 0;
    for (let at = start; at < end; at++) {
      const code = text.charCodeAt(at);
      if (code >= ALPHABET) return this.ofText(record.field(index));
      node = edges[(node << ALPHABET_BITS) | code] as number;
      if (node === 0) return this.learn(record, index);
    }
    const id = this.terminals[node] as number;
    return id === NONE ? this.learn(record, index) : (this.values[id] as T);
  }

  /** The id of `text`'s value, computing it the first time. */
  private idOf(text: string): number {
    let id = this.cache.get(text);
    if (id === undefined) {
      if (this.cache.size >= this.limit) this.clear();
      id = this.values.length;
      this.values.push(this.compute(text));
      this.cache.set(text, id);
    }
    return id;
  }

  /**
   * A field the trie does not hold: its value through the Map (of the field's decoded text), then
   * its path in the trie (of the field's characters in the record's text: bytes in byte text).
   */
  private learn(record: CsvRecord, index: number): T {
    const id = this.idOf(record.field(index));
    const { text } = record;
    const start = record.starts[index] as number;
    const end = record.ends[index] as number;
    let node = 0;
    for (let at = start; at < end; at++) {
      const code = text.charCodeAt(at);
      if (code >= ALPHABET) return this.values[id] as T;
      const edge = (node << ALPHABET_BITS) | code;
      let next = this.edges[edge] as number;
      if (next === 0) {
        if (this.nodes === MAX_NODES) return this.values[id] as T;
        next = this.addNode();
        this.edges[edge] = next;
      }
      node = next;
    }
    this.terminals[node] = id;
    return this.values[id] as T;
  }

  private addNode(): number {
    if (this.nodes === this.terminals.length) {
      const capacity = Math.min(this.terminals.length * 2, MAX_NODES);
      const edges = new Int16Array(capacity * ALPHABET);
      edges.set(this.edges);
      this.edges = edges;
      const terminals = new Int32Array(capacity).fill(NONE);
      terminals.set(this.terminals);
      this.terminals = terminals;
    }
    return this.nodes++;
  }

  private clear(): void {
    this.cache.clear();
    this.values = [];
    this.clearTrie(this.trieBytes);
  }

  private clearTrie(bytes: boolean): void {
    this.edges.fill(0);
    this.terminals.fill(NONE);
    this.nodes = 1;
    this.trieBytes = bytes;
  }
}
