// @ts-check
/**
 * The thread of the WAL checkpointer (wal-checkpointer.ts): a connection of its own to the database,
 * one PASSIVE checkpoint per request, the outcome or the error posted back, nothing swallowed.
 * Plain JavaScript, typed by JSDoc and checked by tsc, so the worker loads as it is from the source
 * tree (tsx, vitest) and from the Electron bundle (electron.vite.config.mts emits it beside the main).
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

/** @typedef {import('./wal-checkpoint-protocol').CheckpointerData} CheckpointerData */
/** @typedef {import('./wal-checkpoint-protocol').CheckpointRequest} CheckpointRequest */
/** @typedef {import('./wal-checkpoint-protocol').CheckpointReply} CheckpointReply */

const port = parentPort;
if (port === null) throw new Error('wal-checkpoint-worker.mjs runs as a worker thread only');
const data = /** @type {CheckpointerData} */ (workerData);
/** @type {Database.Database | undefined} */
let db;

/** @param {CheckpointReply} reply */
function reply(reply) {
  port?.postMessage(reply);
}

function stop() {
  if (db !== undefined && db.open) db.close();
  db = undefined;
  port?.close();
}

port.on('message', (/** @type {CheckpointRequest} */ request) => {
  // Set at stop, read before the file is opened: a database closed at once (tests) never gets a
  // second connection recreating its -wal and -shm files after it was closed.
  if (request.kind === 'stop' || Atomics.load(data.stopped, 0) === 1) {
    stop();
    return;
  }
  try {
    if (db === undefined) {
      db = new Database(data.path, { fileMustExist: true });
      db.pragma(`busy_timeout = ${data.busyTimeoutMs}`);
      db.pragma('synchronous = NORMAL');
    }
    const [result] = /** @type {Array<{ busy: number; log: number; checkpointed: number }>} */ (db.pragma('wal_checkpoint(PASSIVE)'));
    reply({ kind: 'done', busy: result?.busy ?? 0, log: result?.log ?? 0, checkpointed: result?.checkpointed ?? 0 });
  } catch (error) {
    reply({ kind: 'failed', error: error instanceof Error ? error.message : String(error) });
  }
});
