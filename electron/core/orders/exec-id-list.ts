/**
 * An order's ExecIDs are an immutable list that only grows (one more per report). Whether a report's
 * ExecID is already in it is asked for every report, and `includes` over ExecIDs that share a long
 * prefix cost ~5 µs at 60 fills, more with every fill. So each family of lists (a list and those made
 * from it by `withExecId`) shares one index, ExecID → position, kept beside the lists (never in an
 * order, a snapshot or an event): a position past a list's end, or holding another ExecID (two lists
 * made from the same one), is checked against the list itself. Short lists are scanned.
 */
const INDEXED_FROM = 16;
const indexes = new WeakMap<readonly string[], Map<string, number>>();

/** True when `execId` is in the list. */
export function hasExecId(execIds: readonly string[], execId: string): boolean {
  if (execIds.length < INDEXED_FROM) return execIds.includes(execId);
  const at = indexOf(execIds).get(execId);
  if (at === undefined) return false; // never in any list of this family
  return (at < execIds.length && execIds[at] === execId) || execIds.includes(execId);
}

/** The list with one more ExecID (the same list when it holds it already). */
export function withExecId(execIds: readonly string[], execId: string): readonly string[] {
  if (hasExecId(execIds, execId)) return execIds;
  const next = [...execIds, execId];
  const index = indexes.get(execIds);
  if (index !== undefined) {
    if (!index.has(execId)) index.set(execId, execIds.length);
    indexes.set(next, index);
  }
  return next;
}

function indexOf(execIds: readonly string[]): Map<string, number> {
  let index = indexes.get(execIds);
  if (index === undefined) {
    index = new Map();
    for (let i = 0; i < execIds.length; i++) if (!index.has(execIds[i]!)) index.set(execIds[i]!, i);
    indexes.set(execIds, index);
  }
  return index;
}
