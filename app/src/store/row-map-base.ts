/** A removed row (in a base: a slot whose key is gone; in a change: a removal). */
export const DELETED: unique symbol = Symbol('deleted');
export type Slot<T> = T | typeof DELETED;

/**
 * The keys that have entered the bases of a lineage, in that order, and each key's slot: shared by
 * those bases and only ever appended to, so a new base reuses it instead of copying a Map.
 */
class KeyTable {
  readonly slots = new Map<string, number>();
  readonly keys: string[] = [];

  slotFor(key: string): number {
    let slot = this.slots.get(key);
    if (slot === undefined) {
      slot = this.keys.length;
      this.slots.set(key, slot);
      this.keys.push(key);
    }
    return slot;
  }
}

/** Past this many removed slots (and more than the rows held), a new base is built without them. */
const COMPACT_MIN = 4_096;

/**
 * The frozen rows of a RowMap version: a value (or DELETED) per slot of a shared KeyTable. Making the
 * next base copies an array of values (100,000 pointers: well under a millisecond) where copying a
 * Map of 100,000 entries took 15–30 ms, a long task waiting to happen every few seconds. Slots the
 * base does not reach, or holds as DELETED, are keys it does not have; a key keeps its slot, so its
 * place in iteration order, until the removed slots are compacted away.
 */
export class Base<T> {
  private constructor(
    private readonly table: KeyTable,
    private readonly values: readonly Slot<T>[],
    /** How many slots hold a row. */
    readonly size: number,
  ) {}

  static from<T>(rows: Iterable<readonly [string, T]>): Base<T> {
    const table = new KeyTable();
    const values: Slot<T>[] = [];
    for (const [key, row] of rows) values[table.slotFor(key)] = row;
    return new Base(table, values, values.length);
  }

  get(key: string): T | undefined {
    const slot = this.table.slots.get(key);
    if (slot === undefined || slot >= this.values.length) return undefined;
    const value = this.values[slot];
    return value === DELETED ? undefined : value;
  }

  /** Whether `key` has a place in this base's order (a row, or a removed one not compacted away). */
  placed(key: string): boolean {
    const slot = this.table.slots.get(key);
    return slot !== undefined && slot < this.values.length;
  }

  /** How many places this base's order has (rows and removed ones). */
  get places(): number {
    return this.values.length;
  }

  /** The key at `place` in this base's order. */
  keyAt(place: number): string {
    return this.table.keys[place]!;
  }

  /** The row at `place`, or DELETED. */
  valueAt(place: number): Slot<T> {
    return this.values[place]!;
  }

  /** A new base with `changes` applied (the latest value of each key, DELETED for a removal); `size` rows in all. */
  with(changes: ReadonlyMap<string, { readonly value: Slot<T> }>, size: number): Base<T> {
    const values = this.values.slice();
    changes.forEach(({ value }, key) => {
      const slot = value === DELETED ? this.table.slots.get(key) : this.table.slotFor(key);
      if (slot === undefined) return;
      // Slots other bases of the lineage gave keys this one never had (filled: keeps the array packed).
      for (let i = values.length; i < slot; i++) values.push(DELETED);
      values[slot] = value;
    });
    if (values.length - size > Math.max(COMPACT_MIN, size)) return this.compacted(values);
    return new Base(this.table, values, size);
  }

  private compacted(values: readonly Slot<T>[]): Base<T> {
    const table = new KeyTable();
    const kept: Slot<T>[] = [];
    values.forEach((value, slot) => {
      if (value !== DELETED) kept[table.slotFor(this.table.keys[slot]!)] = value;
    });
    return new Base(table, kept, kept.length);
  }
}
