// @ts-check
/**
 * The thread of the data folder's long jobs on the journal (journal-worker-protocol.ts): an online
 * backup, or a quick_check of the whole file, each on a connection of its own, its outcome or its
 * error posted back. Plain JavaScript, typed by JSDoc and checked by tsc, so it loads as it is from
 * the source tree (tsx, vitest) and from the Electron bundle (electron.vite.config.mts emits it).
 */
import fs from 'node:fs';
import os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

/** @typedef {import('./journal-worker-protocol').JournalJob} JournalJob */
/** @typedef {import('./journal-worker-protocol').JournalJobReply} JournalJobReply */

/** Memory-mapped reads: a quick_check reads every page (journal-integrity.ts). */
const CHECK_MMAP_BYTES = 1 << 30;

const port = parentPort;
if (port === null) throw new Error('journal-worker.mjs runs as a worker thread only');
const job = /** @type {JournalJob} */ (workerData);

/** @param {JournalJobReply} reply */
function reply(reply) {
  port?.postMessage(reply);
}

/**
 * @param {Extract<JournalJob, { job: 'backup' }>} job
 * @returns {Promise<JournalJobReply>}
 */
async function backup({ source, target }) {
  fs.closeSync(fs.openSync(target, 'wx', 0o600));
  const from = new Database(source, { fileMustExist: true, timeout: 5000 });
  try {
    from.pragma('query_only = 1');
    // After the first step, the rest in one step: on this thread it blocks nobody, and a step that is
    // not the last would start over whenever the desk commits in between.
    await from.backup(target, { progress: () => 0x7fffffff });
  } finally {
    from.close();
  }
  const copy = new Database(target, { fileMustExist: true });
  /** @type {{ tag: string; seq: number }} */
  let facts;
  try {
    copy.pragma('journal_mode = DELETE');
    const check = /** @type {Array<{ quick_check: string }>} */ (copy.pragma('quick_check(5)')).map((r) => r.quick_check);
    if (check.length !== 1 || check[0] !== 'ok') throw new Error(`the copy failed its quick_check: ${check.join('; ')}`);
    const tag = copy.prepare("SELECT value FROM meta WHERE key = 'journal_tag'").pluck().get();
    const seq = copy.prepare('SELECT max(seq) FROM events').pluck().get();
    facts = { tag: typeof tag === 'string' ? tag : 'NOTAG', seq: typeof seq === 'number' ? seq : 0 };
  } finally {
    copy.close();
  }
  const fd = fs.openSync(target, 'r+');
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  return { ok: true, job: 'backup', ...facts };
}

/**
 * quick_check's findings; damage SQLite raises as an error instead (SQLITE_CORRUPT, SQLITE_NOTADB) is a finding too.
 * @param {Extract<JournalJob, { job: 'check' }>} job
 * @returns {JournalJobReply}
 */
function check({ path, maxFindings }) {
  yieldToTheDesk();
  const t0 = performance.now();
  const ms = () => Math.round(performance.now() - t0);
  // Read-only: its close never checkpoints a -wal into the file, even if it is the last (wal-hold.ts).
  const db = new Database(path, { readonly: true, fileMustExist: true, timeout: 5000 });
  try {
    db.pragma(`mmap_size = ${CHECK_MMAP_BYTES}`);
    const findings = /** @type {Array<{ quick_check: string }>} */ (db.pragma(`quick_check(${maxFindings})`)).map((r) => r.quick_check);
    return { ok: true, job: 'check', findings, ms: ms() };
  } catch (error) {
    const code = /** @type {{ code?: unknown }} */ (error).code;
    if (error instanceof Error && typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB')) {
      return { ok: true, job: 'check', findings: [`${error.message} (${code})`], raised: true, ms: ms() };
    }
    throw error;
  } finally {
    try {
      db.close();
    } catch {
      // a connection to a damaged file may fail to close: the finding is what counts
    }
  }
}

/**
 * The check at a lower priority than the desk's threads (nice 10: about a tenth of a core they want),
 * so the restore beside it keeps the cores it had without it. At equal priority, on 2 cores, the
 * restore slowed by as much as the check saved (host start after a kill -9, 1M events: 0.96-1.06x
 * the check before the open; at nice 10, 0.82-0.91x). Linux only (a thread's id is a pid to
 * setpriority, for that thread alone); elsewhere the thread runs as it is.
 */
const CHECK_NICE = 10;
function yieldToTheDesk() {
  try {
    const tid = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) os.setPriority(tid, CHECK_NICE);
  } catch {
    // no per-thread priority here
  }
}

(job.job === 'backup' ? backup(job) : Promise.resolve().then(() => check(job))).then(reply, (/** @type {unknown} */ error) =>
  reply({ ok: false, error: error instanceof Error ? error.message : String(error) }),
);
