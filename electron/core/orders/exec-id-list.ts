import type { AppendOnlyList } from './append-only-list';

/**
 * An order's ExecIDs: an immutable list that only grows (one more per report). Whether a report's
 * ExecID is already in it is asked for every report: long lists answer from an index kept beside
 * their shared array (never in an order, a snapshot or an event).
 */
export type ExecIdList = AppendOnlyList<string>;

/** True when `execId` is in the list. */
export function hasExecId(execIds: ExecIdList, execId: string): boolean {
  return execIds.includes(execId);
}

/** The list with one more ExecID (the same list when it holds it already). */
export function withExecId(execIds: ExecIdList, execId: string): ExecIdList {
  return execIds.includes(execId) ? execIds : execIds.with(execId);
}
