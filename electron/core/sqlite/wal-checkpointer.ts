import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/**
 * Checkpoints (copying the WAL back into the database file, with its fsyncs) run on a worker
 * thread with its own connection, so they never stall the thread that writes: with SQLite's
 * automatic checkpoint, every ~1,000 pages one commit paid for the copy and two fsyncs (measured on
 * the journal: 59 µs per appended execution report on average, 31 µs without, and the p99 of the
 * order round trip). A PASSIVE checkpoint never blocks the writer.
 */
const CHECKPOINTER = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.modulePath);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = NORMAL');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
}, workerData.intervalMs);
parentPort.on('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

export interface WalCheckpointer {
  stop(): void;
}

/**
 * Turns off `db`'s automatic checkpoint and checkpoints `path` from a worker every `intervalMs`.
 * Falls back to the automatic checkpoint (on the caller's thread) if the worker cannot start or fails.
 */
export function startWalCheckpointer(db: Database.Database, path: string, intervalMs = 100): WalCheckpointer | undefined {
  try {
    const modulePath = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(CHECKPOINTER, { eval: true, workerData: { path, modulePath, intervalMs } });
    worker.unref();
    worker.on('error', () => {
      if (db.open) db.pragma('wal_autocheckpoint = 1000');
    });
    db.pragma('wal_autocheckpoint = 0');
    return { stop: () => worker.postMessage('stop') };
  } catch {
    return undefined;
  }
}
