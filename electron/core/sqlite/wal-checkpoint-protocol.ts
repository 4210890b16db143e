/** What the WAL checkpointer (wal-checkpointer.ts) and its thread (wal-checkpoint-worker.mjs) say to each other. */

export interface CheckpointerData {
  readonly path: string;
  readonly busyTimeoutMs: number;
  /** Set to 1 at stop: the thread opens nothing after it. */
  readonly stopped: Int32Array;
}

export type CheckpointRequest = { readonly kind: 'checkpoint' } | { readonly kind: 'stop' };

/** `wal_checkpoint(PASSIVE)`'s answer (pages in the WAL, pages copied back), or why it failed. */
export type CheckpointReply =
  | { readonly kind: 'done'; readonly busy: number; readonly log: number; readonly checkpointed: number }
  | { readonly kind: 'failed'; readonly error: string };
