import { createHash, webcrypto } from 'node:crypto';
import type { Logger } from '../log/logger';
import type { Clock } from '../time/clock';
import { every } from '../time/clock';
import type { Journal } from './journal';
import type { AnyReadModel, PartCodec, ReadModels } from './read-model';
import type { Block, DecodedBlock, DecodedSection } from './snapshot-codec';
import { BlockReader, BlockWriter, SnapshotFormatError, decodeManifest, encodeManifest } from './snapshot-codec';
import type { SnapshotRecord } from './snapshot-store';
import { MissingBlockError } from './snapshot-store';

/**
 * Snapshots of the read models, beside the journal they were folded from: the state of every read
 * model at one journal position, so a start restores the newest usable snapshot and replays only the
 * events after it.
 *
 * The container (journal/snapshot-codec.ts, format 2): a manifest listing, per read model (its
 * name and version), per part, the blocks of its entries, each block stored once under the SHA-256
 * of its bytes. A snapshot encodes only the blocks whose entries changed since the last one: the
 * entries are immutable, so "unchanged" is "the very same objects" (no change tracking in the folds).
 *
 * Guarantees, each with a test in snapshots.test.ts:
 * - never starts wrong: a snapshot of another format, of other read models or versions, one failing
 *   a hash, missing a block, not decoding, or whose anchor event is not the journal's any more is
 *   passed over with a log line; the next older one is tried, then a full replay.
 * - never refuses to start: whatever the snapshots hold, the worst is a full replay.
 * - a kill at any moment leaves the previous snapshot whole: new blocks are stored first (listed by
 *   nothing until the snapshot is), then the snapshot is one transaction (snapshot-store.ts).
 */
export const SNAPSHOT_FORMAT = 2;
/** New blocks are stored a few at a time, one small transaction per turn of the event loop, before the snapshot's own transaction. */
const BLOCK_BYTES_PER_TRANSACTION = 1 << 20;

export interface SnapshotPolicy {
  /** A snapshot once this many events were journaled since the last one (checked every `checkMs`). */
  readonly every: number;
  /** How many snapshots are kept (the newest; an older one is the fallback if the newest is damaged). */
  readonly keep: number;
  /** The longest stretch of encoding work in one turn of the event loop (ms). */
  readonly sliceMs: number;
  /** How often the desk checks whether a snapshot is due (ms, on the desk's clock). */
  readonly checkMs: number;
}

/**
 * Every 50,000 events, 3 kept, encoded in slices of at most 8 ms. A start after a kill -9 replays
 * at most that many events after the newest snapshot; a periodic snapshot costs desk-thread time in
 * proportion to what changed. Figures: bench/README.md, "Recovery".
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
  /** Capture and encoding time on the desk's thread (the sum of the slices). */
  readonly encodeMs: number;
  readonly slices: number;
  readonly longestSliceMs: number;
  /** Storing, on the desk's thread: hashing the new blocks and their transactions, and the snapshot's own. */
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
  /** The policy's checks and the snapshots' creation times. */
  readonly clock: Clock;
  readonly policy?: Partial<SnapshotPolicy>;
  /**
   * Runs right before a capture reads the journal's position (the desk writes the order summaries
   * due: a snapshot is never newer than them). A throw fails that snapshot only.
   */
  readonly beforeCapture?: () => void;
}

/** A part as last written or restored: its entries and their blocks, reused while the entries stay the same objects. */
interface Written {
  readonly entries: readonly unknown[];
  readonly blocks: readonly Block[];
}

interface Encoded {
  readonly sections: Array<{ readonly name: string; readonly version: number; readonly parts: Array<{ readonly name: string; readonly blocks: Block[] }> }>;
  /** Blocks encoded for this snapshot (not stored yet). */
  readonly fresh: Block[];
  /** What to remember once stored. */
  readonly written: Map<string, Written>;
}

interface Job {
  cancelled: boolean;
  readonly resolve: (figures: SnapshotWriteFigures | undefined) => void;
}

/**
 * The snapshot policy and its mechanics over a registry of read models: restore at start, write
 * every `every` events (sliced, off the hot path) and at a clean stop, keep the newest `keep`.
 */
export class Snapshotter {
  readonly policy: SnapshotPolicy;
  private lastSeq = 0;
  private ticker: { stop(): void } | undefined;
  private job: Job | undefined;
  private lastWrite: SnapshotWriteFigures | undefined;
  /** `model/part` → as last written or restored. */
  private written = new Map<string, Written>();
  private readonly models: ReadonlyArray<readonly [name: string, model: AnyReadModel]>;

  constructor(
    private readonly journal: Journal,
    models: ReadModels,
    private readonly options: SnapshotterOptions,
  ) {
    this.policy = { ...DEFAULT_SNAPSHOT_POLICY, ...options.policy };
    this.models = Object.entries(models);
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
   * Restores every read model from the newest usable snapshot; each block's hash is checked on the
   * thread pool ahead of its decoding here. `notAfter`: a snapshot covering a later event is passed
   * over (what is caught up from the replay, as the order summaries, is only that far).
   */
  async restore(notAfter = Number.POSITIVE_INFINITY): Promise<RestoreOutcome> {
    const t0 = performance.now();
    const ignored: Array<{ id: number; seq: number; reason: string }> = [];
    const latest = this.journal.latestSeq;
    for (const record of this.journal.snapshots.list()) {
      const reason = record.seq > notAfter ? `it covers event ${record.seq}, beyond what the replay may start after (${notAfter})` : await this.tryRestore(record, latest);
      if (reason === undefined) {
        this.lastSeq = record.seq;
        return { seq: record.seq, snapshot: record, ignored, loadMs: performance.now() - t0 };
      }
      ignored.push({ id: record.id, seq: record.seq, reason });
      this.options.log.warn('snapshot ignored: falling back to an older one or to a full replay', { snapshot: record.id, seq: record.seq, reason });
    }
    return { seq: 0, ignored, loadMs: performance.now() - t0 };
  }

  /** Checks every `checkMs` (on the clock) whether a snapshot is due, and writes it in slices when it is. */
  start(): void {
    this.ticker ??= every(
      this.options.clock,
      this.policy.checkMs,
      () => {
        if (this.job === undefined && this.due()) void this.writeInBackground();
      },
      { background: true },
    );
  }

  /** Stops the checks and drops a snapshot being written (nothing of it is stored). */
  stop(): void {
    this.ticker?.stop();
    this.ticker = undefined;
    this.cancelJob();
  }

  /**
   * Encodes and stores a snapshot now, on this thread (the clean stop; the bench journal generator).
   * Undefined when nothing was journaled since the newest snapshot.
   */
  writeNow(): SnapshotWriteFigures | undefined {
    this.cancelJob();
    this.options.beforeCapture?.();
    const seq = this.journal.latestSeq;
    if (seq === this.lastSeq) return undefined;
    const t0 = performance.now();
    const generator = this.encode();
    let step: IteratorResult<void, Encoded>;
    do step = generator.next();
    while (!step.done);
    const encoded = step.value;
    for (const block of encoded.fresh) hashed(block);
    const encodeMs = performance.now() - t0;
    const s0 = performance.now();
    this.journal.snapshots.putBlocks(encoded.fresh.map((b) => ({ hash: b.hash as string, data: b.data as Uint8Array })));
    const blocksMs = performance.now() - s0;
    return this.store(seq, encoded, { encodeMs, slices: 1, longestSliceMs: encodeMs, blocksMs, longestTransactionMs: blocksMs, t0 });
  }

  /**
   * Writes a snapshot the way the policy does: captured now, encoded in slices of at most `sliceMs`
   * with the event loop free in between, the new blocks hashed and stored ~1 MB per turn, then the
   * snapshot in one transaction. Resolves with what it cost, or undefined when it was not written
   * (cancelled, failed: logged, or one is being written already).
   */
  writeInBackground(): Promise<SnapshotWriteFigures | undefined> {
    if (this.job !== undefined) return Promise.resolve(undefined);
    return new Promise((resolve) => this.writeInSlices(resolve));
  }

  private writeInSlices(resolve: (figures: SnapshotWriteFigures | undefined) => void): void {
    const job: Job = { cancelled: false, resolve };
    this.job = job;
    let seq = this.journal.latestSeq;
    const t0 = performance.now();
    let encodeMs = 0;
    let slices = 0;
    let longestSliceMs = 0;
    const fail = (error: unknown) => {
      if (this.job === job) this.job = undefined;
      if (error instanceof MissingBlockError) this.written.clear();
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
        fail(error);
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
            const block = hashed(encoded.fresh[i] as Block);
            group.push({ hash: block.hash as string, data: block.data as Uint8Array });
            size += block.bytes as number;
          }
          this.journal.snapshots.putBlocks(group);
          const took = performance.now() - b0;
          blocksMs += took;
          longestTransactionMs = Math.max(longestTransactionMs, took);
        }
      })().then(
        () => {
          if (job.cancelled) return;
          this.job = undefined;
          try {
            resolve(this.store(seq, encoded, { encodeMs, slices, longestSliceMs, blocksMs, longestTransactionMs, t0 }));
          } catch (error) {
            fail(error);
          }
        },
        (error: unknown) => fail(error),
      );
    };
    try {
      this.options.beforeCapture?.();
    } catch (error) {
      fail(error);
      return;
    }
    seq = this.journal.latestSeq;
    // The capture is taken in this turn: the state is the one the journal's latest event left.
    const generator = this.encode();
    setImmediate(slice);
  }

  /** Captures every read model now; the generator encodes the blocks whose entries changed, yielding between blocks. */
  private encode(): Generator<void, Encoded> {
    const captured = this.models.map(([name, model]) => ({ name, model, parts: model.capture() as Record<string, readonly unknown[]> }));
    const previous = this.written;
    function* run(): Generator<void, Encoded> {
      const encoded: Encoded = { sections: [], fresh: [], written: new Map() };
      for (const { name, model, parts } of captured) {
        const section: Encoded['sections'][number] = { name, version: model.version, parts: [] };
        for (const [part, codec] of Object.entries(model.parts as Record<string, PartCodec<unknown>>)) {
          const entries = parts[part] ?? [];
          const before = previous.get(`${name}/${part}`);
          const blocks: Block[] = [];
          for (let start = 0, index = 0; start < entries.length; start += codec.entriesPerBlock, index++) {
            const end = Math.min(start + codec.entriesPerBlock, entries.length);
            const reused = before?.blocks[index];
            if (reused !== undefined && reused.count === end - start && sameEntries(entries, before?.entries as readonly unknown[], start, end)) {
              blocks.push(reused);
              continue;
            }
            const writer = new BlockWriter();
            for (let i = start; i < end; i++) codec.write(entries[i], writer);
            const block: Block = { count: end - start, data: writer.finish() };
            blocks.push(block);
            encoded.fresh.push(block);
            yield;
          }
          section.parts.push({ name: part, blocks });
          encoded.written.set(`${name}/${part}`, { entries, blocks });
        }
        encoded.sections.push(section);
      }
      return encoded;
    }
    return run();
  }

  private store(
    seq: number,
    encoded: Encoded,
    figures: { encodeMs: number; slices: number; longestSliceMs: number; blocksMs: number; longestTransactionMs: number; t0: number },
  ): SnapshotWriteFigures {
    const s0 = performance.now();
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
      const createdAt = this.options.clock.now().toISOString();
      this.journal.snapshots.write({ seq, createdAt, format: SNAPSHOT_FORMAT, checksum, bytes, manifest, blocks: hashes }, this.policy.keep);
    } catch (error) {
      // A block thought stored is not: every block is encoded and stored afresh next time.
      if (error instanceof MissingBlockError) this.written.clear();
      throw error;
    }
    const transactionMs = performance.now() - s0;
    this.lastSeq = Math.max(this.lastSeq, seq);
    this.written = encoded.written;
    let bytesWritten = 0;
    for (const b of encoded.fresh) {
      bytesWritten += b.bytes ?? 0;
      b.data = undefined; // stored: its count, size and hash are what a reuse needs
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
    this.job = undefined;
    job.resolve(undefined);
  }

  /** Restores from one snapshot; the reason it cannot be used, or undefined when it was. */
  private async tryRestore(record: SnapshotRecord, latest: number): Promise<string | undefined> {
    if (record.format !== SNAPSHOT_FORMAT) return `format ${record.format} is not one this desk reads (${SNAPSHOT_FORMAT})`;
    if (record.seq > latest) return `it covers event ${record.seq}, beyond the journal's last (${latest})`;
    if (!record.anchored) return `the journal's event ${record.seq} is not the one it was made from`;
    const manifest = this.journal.snapshots.readManifest(record.id);
    if (manifest === undefined) return 'it vanished';
    if (createHash('sha256').update(manifest).digest('hex') !== record.checksum) return 'its manifest does not match its checksum';
    const loading: Array<Promise<unknown>> = [];
    try {
      const sections = decodeManifest(manifest);
      const expected = this.models.map(([name, model]) => `${name}@${model.version}`).join(', ');
      const found = sections.map((s) => `${s.name}@${s.version}`).join(', ');
      if (expected !== found) throw new SnapshotFormatError(`it holds read models ${found}; this desk folds ${expected}`);
      const blocks = this.loadAll(sections, loading);
      const restored = new Map<string, Written>();
      const states: Array<Record<string, readonly unknown[]>> = [];
      for (const [i, [name, model]] of this.models.entries()) {
        const section = sections[i] as DecodedSection;
        const codecs = model.parts as Record<string, PartCodec<unknown>>;
        const names = section.parts.map((p) => p.name).join(', ');
        if (names !== Object.keys(codecs).join(', ')) throw new SnapshotFormatError(`${name} has parts ${names}; this desk's has ${Object.keys(codecs).join(', ')}`);
        const state: Record<string, readonly unknown[]> = {};
        for (const part of section.parts) {
          const codec = codecs[part.name] as PartCodec<unknown>;
          const entries: unknown[] = [];
          const partBlocks: Block[] = [];
          for (const b of part.blocks) {
            const reader = new BlockReader(await blocks(b));
            for (let n = 0; n < b.count; n++) entries.push(codec.read(reader));
            reader.end();
            partBlocks.push({ count: b.count, bytes: b.bytes, hash: b.hash });
          }
          state[part.name] = entries;
          restored.set(`${name}/${part.name}`, { entries, blocks: partBlocks });
        }
        states.push(state);
      }
      try {
        for (const [i, [, model]] of this.models.entries()) model.restore(states[i] as Record<string, readonly unknown[]>);
      } catch (error) {
        this.emptyAll();
        throw error;
      }
      this.written = restored;
      return undefined;
    } catch (error) {
      await Promise.allSettled(loading);
      return error instanceof SnapshotFormatError ? error.message : `failed to restore: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  /** Every read model back to the state before any event (a restore that failed half way). */
  private emptyAll(): void {
    for (const [, model] of this.models) model.restore(Object.fromEntries(Object.keys(model.parts).map((part) => [part, []])));
  }

  /**
   * Reads every block of the snapshot and starts checking its hash on the thread pool, in manifest
   * order: the blocks are verified ahead of the decoding here.
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

/** True when entries [start, end) are the very same objects in both captures. */
function sameEntries(now: readonly unknown[], before: readonly unknown[], start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (now[i] !== before[i]) return false;
  return true;
}

/** A block hashed: ready to be stored and listed. */
function hashed(block: Block): Block {
  if (block.hash === undefined) {
    block.hash = createHash('sha256')
      .update(block.data as Uint8Array)
      .digest('hex');
    block.bytes = (block.data as Uint8Array).length;
  }
  return block;
}
