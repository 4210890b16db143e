import type { DeskEvent } from './desk-events';
import type { SnapshotStore } from './snapshot-store';

/**
 * The write-ahead journal: the desk's only source of truth. A port, so the SQLite adapter can be
 * joined by a PostgreSQL one when the desk becomes a server.
 *
 * Durability, stated: `append` returns after the transaction committed (WAL, synchronous=NORMAL):
 * the event survives the process being killed. Surviving a power cut needs the WAL synced to disk;
 * that happens by group sync a few milliseconds later (see SqliteJournal), never per event.
 */
export interface Journal {
  /** Appends one event; returns its sequence number once committed. */
  append(event: DeskEvent): number;
  /**
   * Allocates the next ClOrdID and appends the event built with it, in one transaction: a ClOrdID
   * is never handed out twice, across restarts, even if the process dies right after.
   */
  appendWithClOrdId(build: (clOrdId: string) => DeskEvent): { seq: number; event: DeskEvent };
  /**
   * Runs `fn` with every append inside one transaction, committed when `fn` returns (or throws:
   * what was appended was already applied, so it is kept). Used for one read from a broker socket:
   * a burst of execution reports costs one commit, and the journal still commits before anything
   * is acted on outside the desk (the FIX session writes to the socket after the batch). A command
   * is one batch too: its events and the FIX messages it sends commit together.
   */
  batch<T>(fn: () => T): T;
  /**
   * Runs `fn` now, in a batch that stays open to the end of this turn of the event loop: the
   * commands one turn delivers (a basket submitted at once) share one commit and their FIX messages
   * one socket write. Resolves with `fn`'s result once committed.
   */
  groupCommit<T>(fn: () => T): Promise<T>;
  /** Runs `fn` once everything appended so far is committed: at the end of the open batch, or now. */
  afterCommit(fn: () => void, onFail?: () => void): void;
  /** Every event of one order (before `beforeSeq`, when given), in order: the order's audit trail. */
  eventsForOrder(orderId: string, beforeSeq?: number): Array<{ seq: number; event: DeskEvent }>;
  /** The order that a ClOrdID this journal handed out belongs to, whatever its day (undefined for any other ClOrdID). */
  orderIdOfClOrdId(clOrdId: string): string | undefined;
  /** Calls `visit` for every event after `afterSeq` (default: all of them), in order. */
  replay(visit: (event: DeskEvent, seq: number) => void, afterSeq?: number): void;
  /** The seq of the newest event (0 when there is none). */
  readonly latestSeq: number;
  /** Snapshots of the state folded from the events (journal/snapshots.ts). */
  readonly snapshots: SnapshotStore;
  readonly eventCount: number;
  close(): void;
}
