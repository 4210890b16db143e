import { createHash, webcrypto } from 'node:crypto';
import type { Logger } from '../log/logger';
import type { Journal } from './journal';
import type { Block, BlockReader, DecodedBlock, DecodedSection, SectionParts, SectionSource } from './snapshot-codec';
import { BlockReader as Reader, SnapshotFormatError, decodeManifest, encodeManifest } from './snapshot-codec';
import type { SnapshotRecord } from './snapshot-store';
import { MissingBlockError } from './snapshot-store';

/**
 * The container this desk writes and reads (journal/snapshot-codec.ts: a manifest listing blocks,
 * each stored under its hash). Sections carry their own versions inside.
 *
 * Blocks are stored as encoded, not deflated. Measured at 1M events: deflate makes them 5.5× smaller
 * (110 → 21 MB) but no start was faster (inflating, even on the thread pool, and its per-block
 * overhead here cost what reading the larger blocks saves), and every snapshot paid for deflating.
 * The budget is start time; the events themselves take 760 MB.
 */
export const SNAPSHOT_FORMAT = 1;
/** New blocks are stored a few at a time, one small transaction per turn of the event loop, before the snapshot's own transaction. */
const BLOCK_BYTES_PER_TRANSACTION = 1 << 20;

/** One part of the state folded from the journal (the order book, the drop-copy memory). */
export interface SnapshotSection {
  readonly name: string;
  /** The layout and fold version this code writes and accepts: any other is ignored (full replay). */
  readonly version: number;
  /** Marks the state as it is now (cheap: no copy); the job encodes exactly that state, even over several turns of the event loop. */
  open(): SectionJob;
  /** Restores the state from a snapshot, into a section holding nothing yet; throws on anything unexpected. */
  restore(source: SectionSource): Promise<void>;
  /** Drops what `restore` put in (a later section of the same snapshot failed). */
  discard(): void;
  /** Forgets the blocks kept for reuse: the next snapshot encodes and stores every block. */
  forgetBlocks(): void;
}

export interface SectionJob {
  /** Encodes the section's parts (reusing unchanged blocks); yields now and then so the caller can slice the work. */
  write(): Generator<void, SectionParts>;
  /** Ends the job; `completed` false when it stopped before `write` finished (what it took for itself is handed back). */
  close(completed: boolean): void;
}

export interface SnapshotPolicy {
  /** A snapshot once this many events were journaled since the last one (checked every `checkMs`). */
  readonly every: number;
  /** How many snapshots are kept (the newest; an older one is the fallback if the newest is damaged). */
  readonly keep: number;
  /** The longest stretch of encoding work in one turn of the event loop (ms). */
  readonly sliceMs: number;
  /** How often the desk checks whether a snapshot is due (ms). */
  readonly checkMs: number;
}

/**
 * Every 50,000 events, 3 kept, encoded in slices of at most 8 ms. Why 50,000 (measured at 1M events):
 * a start after a kill -9 replays at most that many events after the newest snapshot (~1.2 s at
 * ~25 µs an event); a periodic snapshot costs ~0.24 s of desk-thread time (it encodes only what
 * changed, but walks every order and ExecID to find it), ~5 µs per event covered: half the interval
 * would double that. See ARCHITECTURE.md, "The journal: snapshots".
 */
export const DEFAULT_SNAPSHOT_POLICY: SnapshotPolicy = { every: 50_000, keep: 3, sliceMs: 8, checkMs: 1_000 };

/** What writing one snapshot cost. */
export interface SnapshotWriteFigures {
  readonly seq: number;
  /** Size of the whole snapshot: manifest and every block it lists. */
  readonly bytes: number;
  /** Blocks in the snapshot, and how many of them were encoded for it (the others were reused: not encoded, not stored again). */
  readonly blocks: number;
  readonly blocksWritten: number;
  /** Size of the blocks written for it. */
  readonly bytesWritten: number;
  /** Encoding time on the desk's thread (the sum of the slices). */
  readonly encodeMs: number;
  readonly slices: number;
  readonly longestSliceMs: number;
  /** Storing, on the desk's thread: hashing the new blocks and their transactions, and the snapshot's own (in the desk, ~1 MB per turn of the event loop). */
  readonly storeMs: number;
  /** The longest of those turns. */
  readonly longestTransactionMs: number;
  /** From the decision to write to the snapshot stored (wall time, other work in between). */
  readonly elapsedMs: number;
}

export interface RestoreOutcome {
  /** The seq the restored state covers: replay the events after it. 0 = nothing restored, replay everything. */
  readonly seq: number;
  readonly snapshot?: SnapshotRecord;
  /** Snapshots passed over, and why. */
  readonly ignored: ReadonlyArray<{ readonly id: number; readonly seq: number; readonly reason: string }>;
  readonly loadMs: number;
}

export interface SnapshotterOptions {
  readonly log: Logger;
  readonly policy?: Partial<SnapshotPolicy>;
  /** ISO time for `created_at`. */
  readonly now?: () => string;
}

interface Job {
  cancelled: boolean;
  readonly close: (completed: boolean) => void;
}

interface Encoded {
  readonly sections: Array<{ readonly name: string; readonly version: number; readonly parts: SectionParts }>;
  /** Blocks encoded for this snapshot (not stored yet). */
  readonly fresh: Block[];
}

/**
 * The snapshot policy and its mechanics: restore at start, write every `every` events (sliced, off
 * the hot path) and at a clean stop, keep the newest `keep`. A snapshot that cannot be used (unknown
 * format or section version, checksum or anchor mismatch, anything failing to decode) is passed over
 * with a log line: the next older one is tried, then a full replay. Never a refusal to start.
 */
export class Snapshotter {
  readonly policy: SnapshotPolicy;
  private lastSeq = 0;
  private timer: NodeJS.Timeout | undefined;
  private job: Job | undefined;
  private lastWrite: SnapshotWriteFigures | undefined;

  constructor(
    private readonly journal: Journal,
    private readonly sections: readonly SnapshotSection[],
    private readonly options: SnapshotterOptions,
  ) {
    this.policy = { ...DEFAULT_SNAPSHOT_POLICY, ...options.policy };
  }

  /** The seq of the newest snapshot restored or written. */
  get coveredSeq(): number {
    return this.lastSeq;
  }

  get lastWritten(): SnapshotWriteFigures | undefined {
    return this.lastWrite;
  }

  /** True when `every` events or more were journaled since the newest snapshot. */
  due(): boolean {
    return this.journal.latestSeq - this.lastSeq >= this.policy.every;
  }

  /**
   * Restores every section from the newest usable snapshot. Each block's hash is checked on the
   * thread pool ahead of its decoding here.
   */
  async restore(): Promise<RestoreOutcome> {
    const t0 = performance.now();
    const ignored: Array<{ id: number; seq: number; reason: string }> = [];
    const latest = this.journal.latestSeq;
    for (const record of this.journal.snapshots.list()) {
      const reason = await this.tryRestore(record, latest);
      if (reason === undefined) {
        this.lastSeq = record.seq;
        return { seq: record.seq, snapshot: record, ignored, loadMs: performance.now() - t0 };
      }
      ignored.push({ id: record.id, seq: record.seq, reason });
      this.options.log.warn('snapshot ignored: falling back to an older one or to a full replay', { snapshot: record.id, seq: record.seq, reason });
    }
    return { seq: 0, ignored, loadMs: performance.now() - t0 };
  }

  /** Checks every `checkMs` whether a snapshot is due, and writes it in slices when it is. */
  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => {
      if (this.job === undefined && this.due()) void this.writeInBackground();
    }, this.policy.checkMs);
    this.timer.unref();
  }

  /** Stops the checks and drops a snapshot being written (nothing of it is stored). */
  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.cancelJob();
  }

  /**
   * Encodes and stores a snapshot now, on this thread (the clean stop; the bench journal generator).
   * Undefined when nothing was journaled since the newest snapshot.
   */
  writeNow(): SnapshotWriteFigures | undefined {
    this.cancelJob();
    const seq = this.journal.latestSeq;
    if (seq === this.lastSeq) return undefined;
    const t0 = performance.now();
    const { generator, close } = this.encode();
    let step: IteratorResult<void, Encoded>;
    let completed = false;
    try {
      do step = generator.next();
      while (!step.done);
      completed = true;
    } finally {
      close(completed);
    }
    const encoded = step.value;
    for (const block of encoded.fresh) hashed(block, createHash('sha256').update(block.data as Uint8Array).digest('hex'));
    const encodeMs = performance.now() - t0;
    const s0 = performance.now();
    this.journal.snapshots.putBlocks(encoded.fresh.map((b) => ({ hash: b.hash as string, data: b.data as Uint8Array })));
    const blocksMs = performance.now() - s0;
    return this.store(seq, encoded, { encodeMs, slices: 1, longestSliceMs: encodeMs, blocksMs, longestTransactionMs: blocksMs, t0 });
  }

  /**
   * Writes a snapshot the way the policy does: encoded in slices of at most `sliceMs` with the event
   * loop free in between, the new blocks hashed and stored ~1 MB per turn, then the snapshot in one
   * transaction. Resolves with what it cost, or undefined when it was not written
   * (cancelled, failed: logged, or one is being written already).
   */
  writeInBackground(): Promise<SnapshotWriteFigures | undefined> {
    if (this.job !== undefined) return Promise.resolve(undefined);
    return new Promise((resolve) => this.writeInSlices(resolve));
  }

  private writeInSlices(resolve: (figures: SnapshotWriteFigures | undefined) => void): void {
    const seq = this.journal.latestSeq;
    const t0 = performance.now();
    const { generator, close } = this.encode();
    const job: Job = {
      cancelled: false,
      close: (completed) => {
        close(completed);
        resolve(undefined);
      },
    };
    this.job = job;
    let encodeMs = 0;
    let slices = 0;
    let longestSliceMs = 0;
    const fail = (error: unknown, completed: boolean) => {
      close(completed);
      if (this.job === job) this.job = undefined;
      if (error instanceof MissingBlockError) for (const section of this.sections) section.forgetBlocks();
      this.options.log.error('snapshot not written', { seq, error: error instanceof Error ? error.message : String(error) });
      resolve(undefined);
    };
    const slice = () => {
      if (job.cancelled) return;
      const s0 = performance.now();
      let step: IteratorResult<void, Encoded>;
      try {
        do step = generator.next();
        while (!step.done && performance.now() - s0 < this.policy.sliceMs);
      } catch (error) {
        fail(error, false);
        return;
      }
      const spent = performance.now() - s0;
      encodeMs += spent;
      slices += 1;
      longestSliceMs = Math.max(longestSliceMs, spent);
      if (!step.done) {
        setImmediate(slice);
        return;
      }
      close(true);
      const encoded = step.value;
      let blocksMs = 0;
      let longestTransactionMs = 0;
      // The new blocks hashed and stored ~1 MB per turn of the event loop (SHA-256 runs at ~1.6 GB/s
      // here: hashing on the thread pool would first copy every block on this thread); then the snapshot's transaction.
      (async () => {
        for (let i = 0; i < encoded.fresh.length; ) {
          await new Promise((r) => setImmediate(r));
          if (job.cancelled) return;
          const b0 = performance.now();
          const group: Array<{ hash: string; data: Uint8Array }> = [];
          for (let size = 0; i < encoded.fresh.length && (group.length === 0 || size < BLOCK_BYTES_PER_TRANSACTION); i++) {
            const block = encoded.fresh[i] as Block;
            const data = block.data as Uint8Array;
            hashed(block, createHash('sha256').update(data).digest('hex'));
            group.push({ hash: block.hash as string, data });
            size += data.length;
          }
          this.journal.snapshots.putBlocks(group);
          const took = performance.now() - b0;
          blocksMs += took;
          longestTransactionMs = Math.max(longestTransactionMs, took);
        }
      })()
        .then(
          () => {
            if (job.cancelled) return;
            this.job = undefined;
            try {
              resolve(this.store(seq, encoded, { encodeMs, slices, longestSliceMs, blocksMs, longestTransactionMs, t0 }));
            } catch (error) {
              fail(error, true);
            }
          },
          (error: unknown) => fail(error, true),
        );
    };
    setImmediate(slice);
  }

  private encode(): { generator: Generator<void, Encoded>; close: (completed: boolean) => void } {
    const opened: SectionJob[] = [];
    let closed = false;
    const close = (completed: boolean) => {
      if (closed) return;
      closed = true;
      for (const o of opened) o.close(completed);
    };
    try {
      for (const section of this.sections) opened.push(section.open());
    } catch (error) {
      close(false);
      throw error;
    }
    const sections = this.sections;
    function* run(): Generator<void, Encoded> {
      const out: Encoded['sections'] = [];
      const fresh: Block[] = [];
      for (let i = 0; i < sections.length; i++) {
        const section = sections[i] as SnapshotSection;
        const parts = yield* (opened[i] as SectionJob).write();
        for (const part of parts) for (const block of part.blocks) if (block.data !== undefined) fresh.push(block);
        out.push({ name: section.name, version: section.version, parts });
      }
      return { sections: out, fresh };
    }
    return { generator: run(), close };
  }

  private store(
    seq: number,
    encoded: Encoded,
    figures: { encodeMs: number; slices: number; longestSliceMs: number; blocksMs: number; longestTransactionMs: number; t0: number },
  ): SnapshotWriteFigures {
    const s0 = performance.now();
    const createdAt = this.options.now?.() ?? new Date().toISOString();
    const manifest = encodeManifest(encoded.sections);
    const checksum = createHash('sha256').update(manifest).digest('hex');
    const hashes: string[] = [];
    let bytes = manifest.length;
    for (const s of encoded.sections) {
      for (const p of s.parts) {
        for (const b of p.blocks) {
          hashes.push(b.hash as string);
          bytes += b.bytes as number;
        }
      }
    }
    try {
      this.journal.snapshots.write({ seq, createdAt, format: SNAPSHOT_FORMAT, checksum, bytes, manifest, blocks: hashes }, this.policy.keep);
    } catch (error) {
      // A block thought stored is not: every block is encoded and stored afresh next time.
      if (error instanceof MissingBlockError) for (const section of this.sections) section.forgetBlocks();
      throw error;
    }
    const transactionMs = performance.now() - s0;
    this.lastSeq = Math.max(this.lastSeq, seq);
    let bytesWritten = 0;
    for (const b of encoded.fresh) {
      bytesWritten += b.bytes ?? 0;
      b.data = undefined; // stored: the section keeps its count, size and hash only
    }
    const written: SnapshotWriteFigures = {
      seq,
      bytes,
      blocks: hashes.length,
      blocksWritten: encoded.fresh.length,
      bytesWritten,
      encodeMs: figures.encodeMs,
      slices: figures.slices,
      longestSliceMs: figures.longestSliceMs,
      storeMs: figures.blocksMs + transactionMs,
      longestTransactionMs: Math.max(figures.longestTransactionMs, transactionMs),
      elapsedMs: performance.now() - figures.t0,
    };
    this.lastWrite = written;
    this.options.log.info('snapshot written', { ...written });
    return written;
  }

  private cancelJob(): void {
    const job = this.job;
    if (job === undefined) return;
    job.cancelled = true;
    job.close(false);
    this.job = undefined;
  }

  /** Restores from one snapshot; the reason it cannot be used, or undefined when it was. */
  private async tryRestore(record: SnapshotRecord, latest: number): Promise<string | undefined> {
    if (record.format !== SNAPSHOT_FORMAT) return `format ${record.format} is not one this desk reads (${SNAPSHOT_FORMAT})`;
    if (record.seq > latest) return `it covers event ${record.seq}, beyond the journal's last (${latest})`;
    if (!record.anchored) return `the journal's event ${record.seq} is not the one it was made from`;
    const manifest = this.journal.snapshots.readManifest(record.id);
    if (manifest === undefined) return 'it vanished';
    if (createHash('sha256').update(manifest).digest('hex') !== record.checksum) return 'its manifest does not match its checksum';
    const restored: SnapshotSection[] = [];
    const loading: Array<Promise<unknown>> = [];
    try {
      const decoded = decodeManifest(manifest);
      const expected = this.sections.map((s) => `${s.name}@${s.version}`).join(', ');
      const found = decoded.map((s) => `${s.name}@${s.version}`).join(', ');
      if (expected !== found) throw new SnapshotFormatError(`it holds sections ${found}; this desk reads ${expected}`);
      const blocks = this.loadAll(decoded, loading);
      for (let i = 0; i < this.sections.length; i++) {
        const section = this.sections[i] as SnapshotSection;
        restored.push(section);
        await section.restore(sourceOf(decoded[i] as DecodedSection, blocks));
      }
      return undefined;
    } catch (error) {
      for (const section of restored) section.discard();
      await Promise.allSettled(loading);
      return error instanceof SnapshotFormatError ? error.message : `failed to decode: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  /**
   * Reads every block of the snapshot and starts checking its hash on the thread pool, in manifest
   * order: the blocks are verified ahead of the decoding here. (Reading them a window at a time,
   * to keep fewer in memory, measured slower: the decoding then waits on the hashing.)
   */
  private loadAll(sections: readonly DecodedSection[], loading: Array<Promise<unknown>>): (block: DecodedBlock) => Promise<Uint8Array> {
    const out = new Map<DecodedBlock, Promise<Uint8Array>>();
    for (const s of sections) {
      for (const p of s.parts) {
        for (const b of p.blocks) {
          const data = this.journal.snapshots.readBlock(b.hash);
          const promise = (async () => {
            if (data === undefined) throw new SnapshotFormatError(`block ${b.hash} is missing`);
            if (data.length !== b.bytes) throw new SnapshotFormatError(`block ${b.hash} is ${data.length} bytes, not ${b.bytes}`);
            const digest = await webcrypto.subtle.digest('SHA-256', data);
            if (Buffer.from(digest).toString('hex') !== b.hash) throw new SnapshotFormatError(`block ${b.hash} is damaged (its bytes do not match its hash)`);
            return data;
          })();
          promise.catch(() => {}); // observed where it is awaited
          loading.push(promise);
          out.set(b, promise);
        }
      }
    }
    return (block) => {
      const promise = out.get(block) as Promise<Uint8Array>;
      out.delete(block); // decoded once: its bytes need not stay reachable from here
      return promise;
    };
  }
}

/** A block hashed: ready to be stored and listed. */
function hashed(block: Block, hash: string): void {
  block.hash = hash;
  block.bytes = (block.data as Uint8Array).length;
}

function sourceOf(section: DecodedSection, blocks: (block: DecodedBlock) => Promise<Uint8Array>): SectionSource {
  return {
    partNames: section.parts.map((p) => p.name),
    async *blocks(name: string): AsyncGenerator<{ reader: BlockReader; block: Block }> {
      const part = section.parts.find((p) => p.name === name);
      for (const b of part?.blocks ?? []) {
        const data = await blocks(b);
        yield { reader: new Reader(data), block: { count: b.count, bytes: b.bytes, hash: b.hash } };
      }
    },
  };
}
