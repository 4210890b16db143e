/**
 * An immutable map of rows that is cheap to update at blotter rates (5,000 rows/s into 100,000).
 *
 * A version is three never-mutated layers, like a small LSM tree: a big shared `base`, a `mid`
 * overlay of the rows changed since the base, and a `top` overlay of the rows changed since `mid`.
 * Upserting a batch copies only `top` (at most TOP_MAX entries); `top` is merged into a new `mid`
 * every TOP_MAX rows, and `mid` is folded into a new `base` when it passes an eighth of it: amortised
 * O(1) per row, and no single batch copies the whole map except on a fold. (The previous design
 * copied a 12,000-entry overlay on every batch.) A removal is a tombstone in the overlays. At 5,000
 * rows/s into 100,000 that is ~16 Map entries copied per row.
 *
 * Every version also knows which keys changed since an older version of the same lineage, in the
 * number of changes (not of rows), across folds: a lineage shares one append-only change log, and
 * a version is a prefix of it. The grid feed uses that to build its transactions.
 *
 * Iteration order is a Map's: first insertion order; an upsert keeps a row's place, a removal drops it
 * (one exception: a key removed and added again before the next fold keeps its old place).
 */
const TOP_MAX = 1_024;
const MIN_MID = 1_024;
/** A lineage's change log is restarted past this many entries (per row held, plus a floor). */
const LOG_ROWS_FACTOR = 4;
const LOG_MIN = 65_536;

const DELETED: unique symbol = Symbol('deleted');
type Slot<T> = T | typeof DELETED;

/** Keys in the order they were changed, shared by the versions of one lineage; only ever appended. */
type ChangeLog = string[];

/**
 * A copy of a Map. `new Map(map)` goes through the iterator protocol: an entry array and an iterator
 * result per row, which at blotter rates was most of the renderer's garbage (~10 MB/s).
 */
function copy<K, V>(map: ReadonlyMap<K, V>): Map<K, V> {
  const out = new Map<K, V>();
  map.forEach((value, key) => out.set(key, value));
  return out;
}

export class RowMap<T> implements ReadonlyMap<string, T> {
  private constructor(
    private readonly base: ReadonlyMap<string, T>,
    private readonly mid: ReadonlyMap<string, Slot<T>>,
    private readonly top: ReadonlyMap<string, Slot<T>>,
    readonly size: number,
    private readonly log: ChangeLog,
    /** This version has seen log[0 .. logEnd). */
    private readonly logEnd: number,
  ) {}

  static from<T>(rows: Iterable<readonly [string, T]>): RowMap<T> {
    const base = new Map(rows);
    return new RowMap<T>(base, new Map(), new Map(), base.size, [], 0);
  }

  static empty<T>(): RowMap<T> {
    return RowMap.from<T>([]);
  }

  private slot(key: string): Slot<T> | undefined {
    const t = this.top.get(key);
    if (t !== undefined) return t;
    const m = this.mid.get(key);
    if (m !== undefined) return m;
    return this.base.get(key);
  }

  get(key: string): T | undefined {
    const v = this.slot(key);
    return v === DELETED ? undefined : v;
  }

  has(key: string): boolean {
    const v = this.slot(key);
    return v !== undefined && v !== DELETED;
  }

  /** A new version with `rows` upserted (`this` is unchanged). */
  upsert(rows: Iterable<readonly [string, T]>): RowMap<T> {
    return this.change(rows);
  }

  /** A new version without `keys` (`this` is unchanged); keys it does not hold are ignored. */
  remove(keys: Iterable<string>): RowMap<T> {
    const changes: Array<readonly [string, typeof DELETED]> = [];
    for (const key of keys) if (this.has(key)) changes.push([key, DELETED]);
    return changes.length === 0 ? this : this.change(changes);
  }

  /**
   * A new version with `rows` upserted and, when that makes more than `max` rows, the oldest dropped
   * (one copy of the overlay, where upsert then remove made two).
   */
  upsertKeepingNewest(rows: Iterable<readonly [string, T]>, max: number): RowMap<T> {
    const changes: Array<readonly [string, Slot<T>]> = [];
    let added = 0;
    const fresh = new Set<string>();
    for (const [key, row] of rows) {
      if (!this.has(key) && !fresh.has(key)) {
        fresh.add(key);
        added++;
      }
      changes.push([key, row]);
    }
    const excess = this.size + added - max;
    // New rows go last, so the oldest rows of the result are the oldest of this version (or, past
    // them, the first of the new ones).
    if (excess > 0) {
      const oldest = this.oldestKeys(excess);
      for (const key of oldest) changes.push([key, DELETED]);
      if (oldest.length < excess) for (const key of [...fresh].slice(0, excess - oldest.length)) changes.push([key, DELETED]);
    }
    return this.change(changes);
  }

  /** The first `n` keys in iteration order (the oldest rows). */
  oldestKeys(n: number): string[] {
    const keys: string[] = [];
    if (n <= 0) return keys;
    for (const key of this.keys()) {
      keys.push(key);
      if (keys.length >= n) break;
    }
    return keys;
  }

  private change(changes: Iterable<readonly [string, Slot<T>]>): RowMap<T> {
    const top = copy(this.top);
    let size = this.size;
    // Append to the lineage's log when this version is its head; a branch (an older version changed
    // again) or a long log starts a new one, and readers of the old one fall back to a full diff.
    const extend = this.logEnd === this.log.length && this.log.length < Math.max(LOG_MIN, LOG_ROWS_FACTOR * this.size);
    const log = extend ? this.log : [];
    let changed = 0;
    for (const [key, value] of changes) {
      const had = top.has(key) ? top.get(key) !== DELETED : this.has(key);
      const has = value !== DELETED;
      if (had !== has) size += has ? 1 : -1;
      top.set(key, value);
      log.push(key);
      changed++;
    }
    if (changed === 0) return this;
    let mid = this.mid;
    let base = this.base;
    let nextTop: ReadonlyMap<string, Slot<T>> = top;
    if (top.size > TOP_MAX) {
      const merged = copy(mid);
      top.forEach((value, key) => merged.set(key, value));
      mid = merged;
      nextTop = new Map();
      if (merged.size > Math.max(MIN_MID, base.size / 8)) {
        const folded = copy(base);
        merged.forEach((value, key) => {
          if (value === DELETED) folded.delete(key);
          else folded.set(key, value);
        });
        base = folded;
        mid = new Map();
      }
    }
    return new RowMap(base, mid, nextTop, size, log, log.length);
  }

  /**
   * The keys whose rows may differ between `previous` and this version, in the number of changes
   * since `previous`, when `previous` is an older version of the same lineage; undefined otherwise
   * (then only a full comparison can tell). Keys may repeat.
   */
  changedKeysSince(previous: ReadonlyMap<string, T>): Iterable<string> | undefined {
    if (!(previous instanceof RowMap) || previous.log !== this.log || previous.logEnd > this.logEnd) return undefined;
    return this.log.slice(previous.logEnd, this.logEnd);
  }

  *entries(): MapIterator<[string, T]> {
    for (const key of this.keys()) yield [key, this.get(key) as T];
  }

  /** Keys in iteration order (see the class comment), without building an entry per row. */
  *keys(): MapIterator<string> {
    const { base, mid, top } = this;
    for (const key of base.keys()) if (this.has(key)) yield key;
    for (const key of mid.keys()) if (!base.has(key) && this.has(key)) yield key;
    for (const key of top.keys()) if (!base.has(key) && !mid.has(key) && this.has(key)) yield key;
  }

  *values(): MapIterator<T> {
    for (const key of this.keys()) yield this.get(key) as T;
  }

  [Symbol.iterator](): MapIterator<[string, T]> {
    return this.entries();
  }

  forEach(callback: (value: T, key: string, map: ReadonlyMap<string, T>) => void, thisArg?: unknown): void {
    for (const key of this.keys()) callback.call(thisArg, this.get(key) as T, key, this);
  }
}
