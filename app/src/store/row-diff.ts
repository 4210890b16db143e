import { RowMap } from './row-map';

/** The transaction that turns the rows of `previous` into those of `next` (compared by object identity). */
export interface RowTransaction<T> {
  readonly add: T[];
  readonly update: T[];
  readonly remove: T[];
}

export function diffRowMaps<T>(previous: ReadonlyMap<string, T>, next: ReadonlyMap<string, T>): RowTransaction<T> | null {
  if (previous === next) return null;
  const add: T[] = [];
  const update: T[] = [];
  const remove: T[] = [];
  // Successive versions of a RowMap name the rows that may have changed: no need to visit them all.
  const changed = next instanceof RowMap ? next.changedKeysSince(previous) : undefined;
  if (changed !== undefined) {
    for (const id of changed) {
      const row = next.get(id);
      const before = previous.get(id);
      if (row === undefined) {
        if (before !== undefined) remove.push(before);
      } else if (before === undefined) add.push(row);
      else if (before !== row) update.push(row);
    }
    return add.length + update.length + remove.length === 0 ? null : { add, update, remove };
  }
  for (const [id, row] of next) {
    const before = previous.get(id);
    if (before === undefined) add.push(row);
    else if (before !== row) update.push(row);
  }
  for (const [id, row] of previous) if (!next.has(id)) remove.push(row);
  return add.length + update.length + remove.length === 0 ? null : { add, update, remove };
}
