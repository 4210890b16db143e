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
  for (const [id, row] of next) {
    const before = previous.get(id);
    if (before === undefined) add.push(row);
    else if (before !== row) update.push(row);
  }
  for (const [id, row] of previous) if (!next.has(id)) remove.push(row);
  return add.length + update.length + remove.length === 0 ? null : { add, update, remove };
}
