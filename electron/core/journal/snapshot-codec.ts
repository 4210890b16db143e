import { Dec } from '../decimal/decimal';

/**
 * The byte encoding of snapshots (container format 1).
 *
 * A snapshot is a list of sections (the order book, the drop-copy memory), each a list of parts
 * (orders, execution rows…), each a list of **blocks** of a fixed number of entries. A block is
 * self-contained and stored under the SHA-256 of its bytes, so a block whose entries did not change
 * since the last snapshot is reused as it is, and stored once: writing a snapshot encodes and stores
 * what changed (plus the newest, partial blocks), not the whole day again. See ARCHITECTURE.md,
 * "The journal: snapshots".
 *
 *   manifest: 'MDSNAP01' | header JSON (sections → parts → blocks: [entries, bytes, hash])
 *   block: u32 string-table bytes | string table JSON | pad to 4 | u32 words…
 *
 * Inside a block every field is a 32-bit word: a string is its index in the block's string table
 * (+1, 0 = absent), a decimal the index of its exact text (`valueOf`, which keeps a negative zero),
 * a count or a flag itself. The string table is a JSON array: JSON.parse is the fastest way V8 has
 * to make many strings. Two ways in: `str` looks the text up in the block's dictionary first, for
 * words that repeat (accounts, symbols, statuses, prices); `inline` appends it, for identifiers and
 * times, which are nearly all distinct (looking up millions of them cost more than it saved).
 */
const MAGIC = 'MDSNAP01';
const ABSENT = 0;

/** One block, as a section keeps it between snapshots (its entry count, size and hash) and, until it is stored, its bytes. */
export interface Block {
  /** Entries encoded in it. */
  readonly count: number;
  /** The encoded bytes: only until the block is stored. */
  data?: Uint8Array;
  /** Size of the encoded bytes. */
  bytes?: number;
  /** SHA-256 of the bytes, hex: the block's key in the store. */
  hash?: string;
}

export interface PartHeader {
  readonly name: string;
  /** Per block: entries, bytes, SHA-256 of the bytes. */
  readonly blocks: ReadonlyArray<readonly [count: number, bytes: number, hash: string]>;
}

export interface SectionHeader {
  readonly name: string;
  readonly version: number;
  readonly parts: readonly PartHeader[];
}

export interface PayloadHeader {
  readonly sections: readonly SectionHeader[];
}

/** A section's parts as a snapshot job produced them. */
export type SectionParts = ReadonlyArray<{ readonly name: string; readonly blocks: readonly Block[] }>;

/** Encodes one block. */
export class BlockWriter {
  private words: Uint32Array;
  private length = 0;
  private readonly dictionary = new Map<string, number>();
  /** Decimals whose digits are a safe integer, by (scale, sign) then their digits as a number: no text built to find one. */
  private readonly decimals = new Map<number, Map<number, number>>();
  private readonly strings: string[] = [];

  constructor(expectedWords = 4096) {
    this.words = new Uint32Array(Math.max(16, expectedWords));
  }

  u32(value: number): void {
    if (this.length === this.words.length) this.grow();
    this.words[this.length++] = value;
  }

  bool(value: boolean | undefined): void {
    this.u32(value === true ? 1 : 0);
  }

  /** A word that repeats: stored once per block. */
  str(value: string): void {
    let i = this.dictionary.get(value);
    if (i === undefined) {
      i = this.strings.push(value);
      this.dictionary.set(value, i);
    }
    this.u32(i);
  }

  optStr(value: string | undefined): void {
    if (value === undefined) this.u32(ABSENT);
    else this.str(value);
  }

  /** An identifier or a time: appended as it is. */
  inline(value: string): void {
    this.u32(this.strings.push(value));
  }

  optInline(value: string | undefined): void {
    if (value === undefined) this.u32(ABSENT);
    else this.u32(this.strings.push(value));
  }

  dec(value: Dec): void {
    const digits = value.coefficient;
    if (typeof digits === 'number') {
      const key = Math.abs(digits);
      const group = value.scale * 2 + (value.isNegative() ? 1 : 0);
      let byDigits = this.decimals.get(group);
      if (byDigits === undefined) {
        byDigits = new Map();
        this.decimals.set(group, byDigits);
      }
      let i = byDigits.get(key);
      if (i === undefined) {
        i = this.strings.push(value.valueOf());
        byDigits.set(key, i);
      }
      this.u32(i);
      return;
    }
    this.str(value.valueOf());
  }

  optDec(value: Dec | undefined): void {
    if (value === undefined) this.u32(ABSENT);
    else this.dec(value);
  }

  /** The block's bytes. */
  finish(): Uint8Array {
    const table = Buffer.from(JSON.stringify(this.strings), 'utf8');
    const wordsAt = (4 + table.length + 3) & ~3;
    const out = new Uint8Array(wordsAt + this.length * 4);
    new DataView(out.buffer).setUint32(0, table.length, true);
    out.set(table, 4);
    out.set(new Uint8Array(this.words.buffer, 0, this.length * 4), wordsAt);
    return out;
  }

  private grow(): void {
    const bigger = new Uint32Array(this.words.length * 2);
    bigger.set(this.words);
    this.words = bigger;
  }
}

/** Thrown for anything that is not a well-formed snapshot: the caller falls back to an older one, or to replay. */
export class SnapshotFormatError extends Error {}

/** Decodes one block. */
export class BlockReader {
  private readonly strings: string[];
  private readonly decs: Array<Dec | undefined>;
  /** The enumeration each string was found in (so a repeated word is checked once). */
  private readonly checked: Array<ReadonlySet<string> | undefined>;
  private readonly words: Uint32Array;
  private at = 0;

  constructor(block: Uint8Array) {
    if (block.length < 4) throw new SnapshotFormatError('truncated block');
    const tableLength = new DataView(block.buffer, block.byteOffset, block.byteLength).getUint32(0, true);
    const wordsAt = (4 + tableLength + 3) & ~3;
    if (wordsAt > block.length || (block.length - wordsAt) % 4 !== 0) throw new SnapshotFormatError('truncated block');
    let strings: unknown;
    try {
      strings = JSON.parse(Buffer.from(block.buffer, block.byteOffset + 4, tableLength).toString('utf8'));
    } catch (error) {
      throw new SnapshotFormatError(`unreadable string table: ${String(error)}`);
    }
    if (!Array.isArray(strings)) throw new SnapshotFormatError('malformed string table');
    this.strings = strings as string[];
    this.decs = new Array<Dec | undefined>(this.strings.length + 1);
    this.checked = new Array<ReadonlySet<string> | undefined>(this.strings.length + 1);
    const count = (block.length - wordsAt) / 4;
    const offset = block.byteOffset + wordsAt;
    if (offset % 4 === 0) {
      this.words = new Uint32Array(block.buffer, offset, count);
    } else {
      // Copied into an aligned buffer (a Uint32Array cannot start at an odd offset).
      const aligned = new Uint8Array(count * 4);
      aligned.set(block.subarray(wordsAt));
      this.words = new Uint32Array(aligned.buffer);
    }
  }

  get remaining(): number {
    return this.words.length - this.at;
  }

  u32(): number {
    if (this.at >= this.words.length) throw new SnapshotFormatError('read past the end of a block');
    return this.words[this.at++] as number;
  }

  bool(): boolean {
    return this.u32() === 1;
  }

  count(max = this.remaining): number {
    const n = this.u32();
    if (n > max) throw new SnapshotFormatError(`implausible count ${n}`);
    return n;
  }

  str(): string {
    const i = this.u32();
    const s = this.strings[i - 1];
    if (s === undefined) throw new SnapshotFormatError(i === ABSENT ? 'a required string is absent' : `string ${i} out of range`);
    return s;
  }

  optStr(): string | undefined {
    const i = this.u32();
    if (i === ABSENT) return undefined;
    const s = this.strings[i - 1];
    if (s === undefined) throw new SnapshotFormatError(`string ${i} out of range`);
    return s;
  }

  /** One of `allowed` (an enumerated field): anything else means the snapshot is not ours. */
  oneOf<T extends string>(allowed: ReadonlySet<T>): T {
    const i = this.u32();
    const s = this.strings[i - 1];
    if (s === undefined) throw new SnapshotFormatError(i === ABSENT ? 'a required string is absent' : `string ${i} out of range`);
    if (this.checked[i] !== allowed) {
      if (!allowed.has(s as T)) throw new SnapshotFormatError(`unexpected value ${JSON.stringify(s)}`);
      this.checked[i] = allowed;
    }
    return s as T;
  }

  dec(): Dec {
    const d = this.optDec();
    if (d === undefined) throw new SnapshotFormatError('a required decimal is absent');
    return d;
  }

  optDec(): Dec | undefined {
    const i = this.u32();
    if (i === ABSENT) return undefined;
    const cached = this.decs[i];
    if (cached !== undefined) return cached;
    const s = this.strings[i - 1];
    if (s === undefined) throw new SnapshotFormatError(`decimal ${i} out of range`);
    let d: Dec;
    try {
      d = new Dec(s);
    } catch {
      throw new SnapshotFormatError(`not a decimal: ${JSON.stringify(s)}`);
    }
    this.decs[i] = d;
    return d;
  }

  /** Every word read: a block holds exactly what its entries need. */
  end(): void {
    if (this.at !== this.words.length) throw new SnapshotFormatError(`${this.words.length - this.at} words left over in a block`);
  }
}

/** The manifest: which blocks, in which order, make the snapshot. Every block must have been hashed. */
export function encodeManifest(sections: ReadonlyArray<{ readonly name: string; readonly version: number; readonly parts: SectionParts }>): Uint8Array {
  const header: PayloadHeader = {
    sections: sections.map((s) => ({
      name: s.name,
      version: s.version,
      parts: s.parts.map((p) => ({
        name: p.name,
        blocks: p.blocks.map((b) => {
          if (b.hash === undefined || b.bytes === undefined) throw new Error('a block was not hashed');
          return [b.count, b.bytes, b.hash] as const;
        }),
      })),
    })),
  };
  return Buffer.concat([Buffer.from(MAGIC, 'latin1'), Buffer.from(JSON.stringify(header), 'utf8')]);
}

export interface DecodedBlock {
  readonly count: number;
  readonly bytes: number;
  readonly hash: string;
}

export interface DecodedPart {
  readonly name: string;
  readonly blocks: readonly DecodedBlock[];
}

export interface DecodedSection {
  readonly name: string;
  readonly version: number;
  readonly parts: readonly DecodedPart[];
}

const HASH = /^[0-9a-f]{64}$/;

/** Reads a manifest: the sections, parts and blocks of a snapshot (nothing read from the blocks yet). */
export function decodeManifest(manifest: Uint8Array): DecodedSection[] {
  if (manifest.length < 8 || Buffer.from(manifest.buffer, manifest.byteOffset, 8).toString('latin1') !== MAGIC) {
    throw new SnapshotFormatError('not a snapshot manifest (bad magic)');
  }
  let header: PayloadHeader;
  try {
    header = JSON.parse(Buffer.from(manifest.buffer, manifest.byteOffset + 8, manifest.length - 8).toString('utf8')) as PayloadHeader;
  } catch (error) {
    throw new SnapshotFormatError(`unreadable manifest: ${String(error)}`);
  }
  try {
    return header.sections.map((s) => ({
      name: String(s.name),
      version: Number(s.version),
      parts: s.parts.map((p) => ({
        name: String(p.name),
        blocks: p.blocks.map(([count, bytes, hash]) => {
          if (!Number.isSafeInteger(count) || count < 0 || !Number.isSafeInteger(bytes) || bytes < 0 || typeof hash !== 'string' || !HASH.test(hash)) {
            throw new SnapshotFormatError('malformed block entry');
          }
          return { count, bytes, hash };
        }),
      })),
    }));
  } catch (error) {
    if (error instanceof SnapshotFormatError) throw error;
    throw new SnapshotFormatError(`malformed manifest: ${String(error)}`);
  }
}

/** What a section's `restore` reads: its parts, each block read and hash-checked ahead of the decoding. */
export interface SectionSource {
  /** The blocks of a part, in order; an absent part reads as no blocks. */
  blocks(part: string): AsyncIterable<{ readonly reader: BlockReader; readonly block: Block }>;
  readonly partNames: readonly string[];
}
