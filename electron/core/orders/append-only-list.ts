/**
 * An immutable list that only grows, one item at a time (an order's fills and ExecIDs). Appending to the
 * newest version pushes onto the array it shares with its older versions, each of which reads only
 * its own `length` of it: one push per item instead of a copy of the whole list (O(n²) per order).
 * Appending to an older version (two lists made from one) copies its part first. Iterates like an
 * array; `toEqual` compares the items.
 */
export class AppendOnlyList<T> implements Iterable<T> {
  static readonly #EMPTY = new AppendOnlyList<never>({ items: [] }, 0);
  readonly #shared: Shared<T>;
  readonly length: number;

  private constructor(shared: Shared<T>, length: number) {
    this.#shared = shared;
    this.length = length;
  }

  static empty<T>(): AppendOnlyList<T> {
    return AppendOnlyList.#EMPTY;
  }

  static of<T>(items: readonly T[]): AppendOnlyList<T> {
    return items.length === 0 ? AppendOnlyList.#EMPTY : new AppendOnlyList({ items: [...items] }, items.length);
  }

  /** The list with `item` after the others. */
  with(item: T): AppendOnlyList<T> {
    const shared = this.#shared;
    if (shared.items.length === this.length && this.length > 0) { // the empty list is shared by every order: never pushed onto
      shared.items.push(item);
      if (shared.index !== undefined && !shared.index.has(item)) shared.index.set(item, this.length);
      return new AppendOnlyList(shared, this.length + 1);
    }
    const items = shared.items.slice(0, this.length);
    items.push(item);
    return new AppendOnlyList({ items }, this.length + 1);
  }

  at(i: number): T | undefined {
    return i >= 0 && i < this.length ? this.#shared.items[i] : undefined;
  }

  /** True when `item` is in the list: a scan while short, then a Map kept for the shared array. */
  includes(item: T): boolean {
    const items = this.#shared.items;
    if (this.length < INDEXED_FROM) {
      for (let i = 0; i < this.length; i++) if (items[i] === item) return true;
      return false;
    }
    const at = this.#indexOf().get(item);
    return at !== undefined && at < this.length;
  }

  some(test: (item: T) => boolean): boolean {
    const items = this.#shared.items;
    for (let i = 0; i < this.length; i++) if (test(items[i] as T)) return true;
    return false;
  }

  find(test: (item: T) => boolean): T | undefined {
    const items = this.#shared.items;
    for (let i = 0; i < this.length; i++) if (test(items[i] as T)) return items[i];
    return undefined;
  }

  map<U>(fn: (item: T) => U): U[] {
    const items = this.#shared.items;
    const out: U[] = new Array(this.length);
    for (let i = 0; i < this.length; i++) out[i] = fn(items[i] as T);
    return out;
  }

  filter(test: (item: T) => boolean): T[] {
    const items = this.#shared.items;
    const out: T[] = [];
    for (let i = 0; i < this.length; i++) if (test(items[i] as T)) out.push(items[i] as T);
    return out;
  }

  toArray(): T[] {
    return this.#shared.items.slice(0, this.length);
  }

  /** JSON (a log line, a debug dump) carries the items, as for an array. */
  toJSON(): T[] {
    return this.toArray();
  }

  *[Symbol.iterator](): Iterator<T> {
    const items = this.#shared.items;
    for (let i = 0; i < this.length; i++) yield items[i] as T;
  }

  /** Item → its first position in the shared array (items there never change: positions stay true for every version). */
  #indexOf(): Map<T, number> {
    const shared = this.#shared;
    if (shared.index === undefined) {
      const index = new Map<T, number>();
      for (let i = 0; i < shared.items.length; i++) if (!index.has(shared.items[i] as T)) index.set(shared.items[i] as T, i);
      shared.index = index;
    }
    return shared.index;
  }
}

const INDEXED_FROM = 16;

interface Shared<T> {
  readonly items: T[];
  index?: Map<T, number>;
}
