import type Database from 'better-sqlite3';

/** A stored snapshot, without its content. */
export interface SnapshotRecord {
  readonly id: number;
  /** The last journal event folded into it. */
  readonly seq: number;
  readonly createdAt: string;
  /** Container format of the manifest and blocks (journal/snapshot-codec.ts). */
  readonly format: number;
  /** SHA-256 of the manifest, hex (each block is checked by its own hash, which the manifest lists). */
  readonly checksum: string;
  /** Manifest and blocks, stored bytes. */
  readonly bytes: number;
  /** The event at `seq` is still the one the snapshot was made from (type@at match). */
  readonly anchored: boolean;
}

export interface NewSnapshot {
  readonly seq: number;
  readonly createdAt: string;
  readonly format: number;
  readonly checksum: string;
  /** Manifest and every block it lists, stored bytes. */
  readonly bytes: number;
  readonly manifest: Uint8Array;
  /** The hash of every block the manifest lists: each must be stored already (`putBlocks`). */
  readonly blocks: readonly string[];
}

/** Where snapshots are kept, beside the events they were folded from. Part of the `Journal` port. */
export interface SnapshotStore {
  /** Every stored snapshot, newest (highest seq) first. */
  list(): SnapshotRecord[];
  readManifest(id: number): Uint8Array | undefined;
  readBlock(hash: string): Uint8Array | undefined;
  /**
   * Stores blocks (those not stored yet), in one transaction. Blocks are immutable and listed by no
   * snapshot until `write`: a crash after this leaves them unlisted, and the next `write` deletes them.
   */
  putBlocks(blocks: ReadonlyArray<{ readonly hash: string; readonly data: Uint8Array }>): void;
  /**
   * Stores a snapshot (its manifest, listing blocks already stored) and deletes all but the newest
   * `keep`, and every block no kept snapshot lists, in one transaction: a crash during it leaves the
   * snapshots as they were.
   */
  write(snapshot: NewSnapshot, keep: number): SnapshotRecord;
}

/**
 * The snapshot tables of the journal database (migration 2): `snapshots` (one row per snapshot: the
 * seq it covers, its anchor, format, checksum and manifest), `snapshot_blocks` (content-addressed
 * blocks: a block unchanged since the last snapshot is stored once and listed by both) and
 * `snapshot_block_refs` (which snapshot lists which block, so a block is deleted with the last
 * snapshot that listed it).
 */
export class SqliteSnapshotStore implements SnapshotStore {
  private readonly anchorOf: Database.Statement;
  private readonly insert: Database.Statement;
  private readonly insertBlock: Database.Statement;
  private readonly insertRef: Database.Statement;
  private readonly prune: Database.Statement;
  private readonly pruneRefs: Database.Statement;
  private readonly pruneBlocks: Database.Statement;
  private readonly listAll: Database.Statement;
  private readonly readOne: Database.Statement;
  private readonly readBlockData: Database.Statement;
  private readonly blockExists: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.anchorOf = db.prepare("SELECT type || '@' || at FROM events WHERE seq = ?").pluck();
    this.insert = db.prepare('INSERT INTO snapshots (seq, anchor, created_at, format, checksum, bytes, manifest) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.insertBlock = db.prepare('INSERT OR IGNORE INTO snapshot_blocks (hash, data) VALUES (?, ?)');
    this.insertRef = db.prepare('INSERT OR IGNORE INTO snapshot_block_refs (snapshot_id, hash) VALUES (?, ?)');
    this.prune = db.prepare('DELETE FROM snapshots WHERE id NOT IN (SELECT id FROM snapshots ORDER BY seq DESC, id DESC LIMIT ?)');
    this.pruneRefs = db.prepare('DELETE FROM snapshot_block_refs WHERE snapshot_id NOT IN (SELECT id FROM snapshots)');
    this.pruneBlocks = db.prepare('DELETE FROM snapshot_blocks WHERE hash NOT IN (SELECT hash FROM snapshot_block_refs)');
    this.listAll = db.prepare(`
      SELECT s.id, s.seq, s.created_at AS createdAt, s.format, s.checksum, s.bytes,
             (s.seq = 0 AND s.anchor = '') OR s.anchor = (SELECT e.type || '@' || e.at FROM events e WHERE e.seq = s.seq) AS anchored
      FROM snapshots s ORDER BY s.seq DESC, s.id DESC`);
    this.readOne = db.prepare('SELECT manifest FROM snapshots WHERE id = ?').pluck();
    this.readBlockData = db.prepare('SELECT data FROM snapshot_blocks WHERE hash = ?').pluck();
    this.blockExists = db.prepare('SELECT 1 FROM snapshot_blocks WHERE hash = ?').pluck();
  }

  list(): SnapshotRecord[] {
    return (this.listAll.all() as Array<Omit<SnapshotRecord, 'anchored'> & { anchored: number | null }>).map((r) => ({ ...r, anchored: r.anchored === 1 }));
  }

  readManifest(id: number): Uint8Array | undefined {
    return this.readOne.get(id) as Buffer | undefined;
  }

  readBlock(hash: string): Uint8Array | undefined {
    return this.readBlockData.get(hash) as Buffer | undefined;
  }

  putBlocks(blocks: ReadonlyArray<{ readonly hash: string; readonly data: Uint8Array }>): void {
    this.db.transaction(() => {
      for (const block of blocks) this.insertBlock.run(block.hash, asBuffer(block.data));
    })();
  }

  write(snapshot: NewSnapshot, keep: number): SnapshotRecord {
    const run = this.db.transaction(() => {
      const anchor = snapshot.seq === 0 ? '' : (this.anchorOf.get(snapshot.seq) as string | undefined);
      if (anchor === undefined) throw new Error(`no event ${snapshot.seq} to anchor the snapshot to`);
      for (const hash of snapshot.blocks) if (this.blockExists.get(hash) === undefined) throw new MissingBlockError(hash);
      const info = this.insert.run(snapshot.seq, anchor, snapshot.createdAt, snapshot.format, snapshot.checksum, snapshot.bytes, asBuffer(snapshot.manifest));
      const id = Number(info.lastInsertRowid);
      for (const hash of snapshot.blocks) this.insertRef.run(id, hash);
      this.prune.run(Math.max(1, keep));
      this.pruneRefs.run();
      this.pruneBlocks.run();
      return id;
    });
    const id = run();
    return { id, seq: snapshot.seq, createdAt: snapshot.createdAt, format: snapshot.format, checksum: snapshot.checksum, bytes: snapshot.bytes, anchored: true };
  }
}

/** A snapshot listed a block that is not stored (the writer's record of what is stored was wrong): nothing was written. */
export class MissingBlockError extends Error {
  constructor(readonly hash: string) {
    super(`block ${hash} is not stored`);
  }
}

function asBuffer(data: Uint8Array): Buffer {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}
