/** What the data folder's jobs on the journal (journal-backups.ts, journal-integrity.ts) and their thread (journal-worker.mjs) say to each other. */

/** The job a thread is started for: one per thread. */
export type JournalJob =
  /** An online backup of `source` into `target` (created here, must not exist), checked and made standalone. */
  | { readonly job: 'backup'; readonly source: string; readonly target: string }
  /** SQLite's quick_check of the whole journal, on a connection of the thread's own (the desk keeps writing). */
  | { readonly job: 'check'; readonly path: string; readonly maxFindings: number };

export type JournalJobReply =
  | { readonly ok: true; readonly job: 'backup'; readonly tag: string; readonly seq: number }
  /** `findings` is `['ok']` for a sound file; `raised`: SQLite failed with the damage instead of listing it; `ms`: the check's own time. */
  | { readonly ok: true; readonly job: 'check'; readonly findings: readonly string[]; readonly raised?: boolean; readonly ms: number }
  | { readonly ok: false; readonly error: string };
