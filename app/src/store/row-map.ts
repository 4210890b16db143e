import type { Slot } from './row-map-base';
import { Base, DELETED } from './row-map-base';

/**
 * An immutable map of rows that is cheap to update at blotter rates (5,000 rows/s into 100,000).
 *
 * A version is a frozen `base` (row-map-base.ts) plus the changes made since it was built, kept in a
 * `Segment` that the versions made since share: per key, its latest change first, each change linking the one
 * it replaced and numbered in the order made. A version sees the changes numbered below its `seen`,
 * so reading an older version walks back past the changes made after it (for a key changed k times
 * since, k steps). Only the newest version of a segment appends to it; changing an older one first
 * copies what that version sees into a segment of its own (a branch: rare, tests do it).
 *
 * Upserting a batch therefore costs one small object per row, whatever the size of the map. (The
 * previous design copied an overlay of up to 1,024 entries on every batch and two more layers every
 * 1,024 rows: ~200,000 Map entries copied a second at 5,000 rows/s, most of the renderer's garbage.)
 * When a segment holds more than an eighth of the base (at least FOLD_MIN keys), or too many
 * changes, it is folded into a new base: a copy of the base's array of values and the segment's
 * latest values written in (~12,500 rows every 2.5 s at 5,000 rows/s into 100,000 orders: 3–7 ms in
 * Node, where a quarter took up to 16). A version keeps at most its base and its segment alive.
 *
 * Iteration order is a Map's: first insertion order; an upsert keeps a row's place, a removal drops it
 * (one exception: a key removed and added again keeps its old place until the base drops removed rows).
 */
const FOLD_MIN = 4_096;
/** A segment is folded past this many keys per key of the base… */
const FOLD_BASE_FRACTION = 8;
/** …or past this many changes per key it holds (a few rows changed again and again: sessions). */
const FOLD_CHANGES_PER_KEY = 4;

/** One change of a key: its value from change number `at` on, and the change it replaced. */
interface Change<T> {
  readonly value: Slot<T>;
  readonly at: number;
  readonly before: Change<T> | undefined;
}

/** The changes made since `base` was built, shared by the versions made since (see the class comment). */
class Segment<T> {
  readonly changes = new Map<string, Change<T>>();
  /** Changes made so far (the next change's number). */
  count = 0;

  constructor(readonly base: Base<T>) {}
}

/** Calls `apply` once per change: no entry array per row. */
type Changes<T> = (apply: (key: string, value: Slot<T>) => void) => void;

export class RowMap<T> implements ReadonlyMap<string, T> {
  /** How many of the base's first places are known to be empty in this version (a cache for oldestKeys). */
  private removedBasePrefix: number;

  private constructor(
    private readonly segment: Segment<T>,
    /** This version sees the segment's changes numbered below this. */
    private readonly seen: number,
    readonly size: number,
    removedBasePrefix: number,
  ) {
    this.removedBasePrefix = removedBasePrefix;
  }

  static from<T>(rows: Iterable<readonly [string, T]>): RowMap<T> {
    const base = Base.from(rows);
    return new RowMap<T>(new Segment(base), 0, base.size, 0);
  }

  static empty<T>(): RowMap<T> {
    return RowMap.from<T>([]);
  }

  private slot(key: string): Slot<T> | undefined {
    let change = this.segment.changes.get(key);
    while (change !== undefined && change.at >= this.seen) change = change.before;
    return change !== undefined ? change.value : this.segment.base.get(key);
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
    return this.change((apply) => {
      if (rows instanceof Map) (rows as ReadonlyMap<string, T>).forEach((row, key) => apply(key, row));
      else for (const [key, row] of rows) apply(key, row);
    });
  }

  /** A new version with `rows` upserted, each under `key(row)`, without an entry per row. */
  upsertRows(rows: readonly T[], key: (row: T) => string): RowMap<T> {
    return this.change((apply) => {
      for (const row of rows) apply(key(row), row);
    });
  }

  /** A new version without `keys` (`this` is unchanged); keys it does not hold are ignored. */
  remove(keys: Iterable<string>): RowMap<T> {
    const held: string[] = [];
    for (const key of keys) if (this.has(key)) held.push(key);
    if (held.length === 0) return this;
    return this.change((apply) => {
      for (const key of held) apply(key, DELETED);
    });
  }

  /**
   * A new version with `rows` upserted (each under `key(row)`) and, when that makes more than `max`
   * rows, the oldest dropped, in one version.
   */
  upsertKeepingNewest(rows: readonly T[], key: (row: T) => string, max: number): RowMap<T> {
    let added = 0;
    let fresh: Set<string> | undefined;
    for (const row of rows) {
      const k = key(row);
      if (this.has(k) || fresh?.has(k) === true) continue;
      (fresh ??= new Set()).add(k);
      added++;
    }
    const excess = this.size + added - max;
    // New rows go last, so the oldest rows of the result are the oldest of this version (or, past
    // them, the first of the new ones).
    const oldest = excess > 0 ? this.oldestKeys(excess) : [];
    return this.change((apply) => {
      for (const row of rows) apply(key(row), row);
      for (const k of oldest) apply(k, DELETED);
      if (oldest.length < excess && fresh !== undefined) {
        let more = excess - oldest.length;
        for (const k of fresh) {
          if (more-- <= 0) break;
          apply(k, DELETED);
        }
      }
    });
  }

  /** The first `n` keys in iteration order (the oldest rows). */
  oldestKeys(n: number): string[] {
    const keys: string[] = [];
    if (n <= 0) return keys;
    const { base, changes } = this.segment;
    let place = this.removedBasePrefix;
    while (place < base.places && !this.has(base.keyAt(place))) place++;
    this.removedBasePrefix = place;
    for (; place < base.places && keys.length < n; place++) if (this.has(base.keyAt(place))) keys.push(base.keyAt(place));
    if (keys.length < n) {
      for (const key of changes.keys()) {
        if (base.placed(key) || !this.has(key)) continue;
        keys.push(key);
        if (keys.length >= n) break;
      }
    }
    return keys;
  }

  private change(changes: Changes<T>): RowMap<T> {
    // Only the newest version of a segment appends to it; an older one starts a segment of its own.
    const branch = this.seen !== this.segment.count;
    const segment = branch ? this.visibleSegment() : this.segment;
    const { base } = segment;
    let size = this.size;
    let removedBasePrefix = this.removedBasePrefix;
    let changed = 0;
    changes((key, value) => {
      const latest = segment.changes.get(key);
      const had = latest !== undefined ? latest.value !== DELETED : base.get(key) !== undefined;
      const has = value !== DELETED;
      if (had !== has) {
        size += has ? 1 : -1;
        if (has && base.placed(key)) removedBasePrefix = 0;
      }
      segment.changes.set(key, { value, at: segment.count++, before: latest });
      changed++;
    });
    if (changed === 0) return this;
    const foldAt = Math.max(FOLD_MIN, base.size / FOLD_BASE_FRACTION);
    if (segment.changes.size > foldAt || segment.count > FOLD_CHANGES_PER_KEY * foldAt) {
      return new RowMap(new Segment(base.with(segment.changes, size)), 0, size, 0);
    }
    return new RowMap(segment, segment.count, size, removedBasePrefix);
  }

  /** A new segment over the same base holding the changes this version sees, and only those. */
  private visibleSegment(): Segment<T> {
    const { base } = this.segment;
    const segment = new Segment<T>(base);
    this.segment.changes.forEach((_, key) => {
      const value = this.slot(key);
      const held = base.get(key);
      if (value === undefined || value === held || (value === DELETED && held === undefined)) return;
      segment.changes.set(key, { value, at: segment.count++, before: undefined });
    });
    return segment;
  }

  /** Calls `callback` for each row in iteration order (see the class comment), without an iterator. */
  forEach(callback: (value: T, key: string, map: ReadonlyMap<string, T>) => void, thisArg?: unknown): void {
    const { base, changes } = this.segment;
    for (let place = 0; place < base.places; place++) {
      const key = base.keyAt(place);
      const value = changes.has(key) ? this.slot(key) : base.valueAt(place);
      if (value !== undefined && value !== DELETED) callback.call(thisArg, value, key, this);
    }
    changes.forEach((_, key) => {
      if (base.placed(key)) return;
      const value = this.slot(key);
      if (value !== undefined && value !== DELETED) callback.call(thisArg, value, key, this);
    });
  }

  /** The rows in iteration order, as an array. */
  toArray(): T[] {
    const rows: T[] = [];
    this.forEach((row) => rows.push(row));
    return rows;
  }

  *entries(): MapIterator<[string, T]> {
    for (const key of this.keys()) yield [key, this.get(key) as T];
  }

  /** Keys in iteration order (see the class comment), without building an entry per row. */
  *keys(): MapIterator<string> {
    const { base, changes } = this.segment;
    for (let place = 0; place < base.places; place++) if (this.has(base.keyAt(place))) yield base.keyAt(place);
    for (const key of changes.keys()) if (!base.placed(key) && this.has(key)) yield key;
  }

  *values(): MapIterator<T> {
    for (const key of this.keys()) yield this.get(key) as T;
  }

  [Symbol.iterator](): MapIterator<[string, T]> {
    return this.entries();
  }
}
