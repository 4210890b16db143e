import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DeskEvent } from '../journal/desk-events';
import { SqliteJournal } from '../journal/sqlite-journal';

/**
 * A journal as a desk killed -9 leaves it: a process of its own opens it with the desk's
 * `SqliteJournal`, appends `count` events (ClOrdIDs `K<from>`…), then SIGKILLs itself with the journal
 * open. What it committed is in the -wal (SQLite's own checkpoints aside), the -shm is left as it was.
 */
export function appendThenKill(journalPath: string, from: number, count: number): void {
  const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), journalPath, String(from), String(count)], {
    cwd: resolve(import.meta.dirname, '../../..'),
    encoding: 'utf8',
  });
  if (child.signal !== 'SIGKILL' || !existsSync(`${journalPath}-wal`)) throw new Error(`the writer was not killed with its journal open (${child.status ?? child.signal}): ${child.stderr}`);
}

/** The events `appendThenKill` appends. */
export function killedWriterEvent(n: number): DeskEvent {
  return { type: 'cancelRequested', at: '2026-12-07T10:00:00Z', orderId: `K${n}`, clOrdId: `K${n}`, origClOrdId: 'X' };
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [path, from, count] = process.argv.slice(2);
  const journal = new SqliteJournal(path!);
  for (let i = Number(from); i < Number(from) + Number(count); i++) journal.append(killedWriterEvent(i));
  process.kill(process.pid, 'SIGKILL');
}
