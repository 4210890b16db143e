import { Worker } from 'node:worker_threads';
import type { JournalJob, JournalJobReply } from './journal-worker-protocol';

/** The thread (journal-worker.mjs: beside this module in the source tree and in the Electron bundle). */
const WORKER = new URL('./journal-worker.mjs', import.meta.url);

export interface RunningJournalJob<R> {
  /** Its outcome; rejects with the error the thread met (or its end). */
  readonly result: Promise<R>;
  /** Stops the thread (the result rejects, unless it was already in). */
  cancel(): Promise<void>;
}

/**
 * The thread itself failed (its module missing from an install, an uncaught error, stopped), not the
 * job: the job's own failures (SQLite's errors) are the job's answer, a plain Error.
 */
export class JournalThreadFailed extends Error {}

/** A long job on the journal (a backup, a whole-file check), on a thread of its own: the desk's thread waits for nothing. */
export function runJournalJob<J extends JournalJob>(job: J, thread: URL = WORKER): RunningJournalJob<Extract<JournalJobReply, { ok: true; job: J['job'] }>> {
  const worker = new Worker(thread, { workerData: job });
  const result = new Promise<Extract<JournalJobReply, { ok: true; job: J['job'] }>>((resolve, reject) => {
    worker.once('message', (m: JournalJobReply) => (m.ok ? resolve(m as Extract<JournalJobReply, { ok: true; job: J['job'] }>) : reject(new Error(m.error))));
    worker.once('error', (error) => reject(new JournalThreadFailed(`the journal's ${job.job} thread failed: ${error.message}`)));
    worker.once('exit', (code) => reject(new JournalThreadFailed(`the journal's ${job.job} thread stopped (exit code ${code})`)));
  });
  return {
    result,
    cancel: async () => {
      await worker.terminate();
    },
  };
}
