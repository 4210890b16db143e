import type { DeskEvent } from './desk-events';
import type { BlockReader, BlockWriter } from './snapshot-codec';

/**
 * A read model: a plain fold over the journal's events. The desk feeds every event to every read
 * model through one path (`applyAll`), live and on replay alike, so what a desk that lived through
 * the events holds and what a restarted one rebuilds are the same by construction. Effects that only
 * happen live (publishing, timers, alerts, sends) hang off the result `apply` returns, never inside it.
 *
 * A read model's state is kept in snapshots (journal/snapshots.ts) as named parts of immutable
 * entries: `capture` hands them over as they stand (no copy of an entry), `restore` takes them back.
 * Each part's entries are cut into blocks; a block whose entries are the very objects of the last
 * snapshot is not encoded again (immutability is the change tracking: no hooks in the fold).
 *
 * Adding one: a file with a class like this, and one line in the desk's registry
 * (desk/read-models.ts). Its `version` changes whenever what its fold or its parts mean changes: a
 * snapshot of another version is not used (the desk replays instead).
 */
export interface ReadModel<Result, View, Parts extends PartEntries = PartEntries> {
  /** Its name in snapshots and logs. */
  readonly name: string;
  /** The version of its fold and of its parts' encoding. */
  readonly version: number;
  /** What the desk reads. */
  readonly view: View;
  /** How each part's entries are encoded in a snapshot. */
  readonly parts: { readonly [K in keyof Parts]: PartCodec<Parts[K]> };
  /** Folds one journaled event; deterministic. What it returns is what changed. */
  apply(event: DeskEvent, seq: number): Result;
  /** The state as it stands, as parts of immutable entries (cheap: the entries are not copied). */
  capture(): { readonly [K in keyof Parts]: readonly Parts[K][] };
  /** Replaces the whole state with a captured one (empty parts: the state before any event). Throws on anything inconsistent. */
  restore(parts: { readonly [K in keyof Parts]: readonly Parts[K][] }): void;
}

export type PartEntries = Record<string, unknown>;

/** A part's entry codec: the entries of one block are written and read in order. */
export interface PartCodec<T> {
  write(entry: T, writer: BlockWriter): void;
  /** Throws a SnapshotFormatError on anything unexpected. */
  read(reader: BlockReader): T;
  /** Entries per block: a changed entry costs re-encoding its block. */
  readonly entriesPerBlock: number;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a registry holds read models of every kind
export type AnyReadModel = ReadModel<unknown, unknown, any>;

export type ReadModels = { readonly [name: string]: AnyReadModel };

/** What one event did to each read model. */
export type Folded<R extends ReadModels> = { readonly [K in keyof R]: ReturnType<R[K]['apply']> };

/** The one path: an event to every read model, in the registry's order. */
export function applyAll<R extends ReadModels>(models: R, event: DeskEvent, seq: number): Folded<R> {
  const out: Record<string, unknown> = {};
  for (const name in models) out[name] = (models[name] as AnyReadModel).apply(event, seq);
  return out as Folded<R>;
}
