import { closeSync, openSync, writeSync } from 'node:fs';
import Database from 'better-sqlite3';

/**
 * Overwrites a leaf page of the journal's events table in the first half of the file with garbage:
 * damage a start from a snapshot never reads (its events are older than the snapshot).
 */
export function damageAnEventsPage(journalPath: string): number {
  const db = new Database(journalPath);
  let page: number;
  let pageSize: number;
  try {
    const leaves = db.prepare("SELECT pageno FROM dbstat WHERE name = 'events' AND pagetype = 'leaf' ORDER BY pageno").pluck().all() as number[];
    if (leaves.length < 4) throw new Error(`too few pages of events to damage one in the middle (${leaves.length})`);
    page = leaves[Math.floor(leaves.length / 3)] as number;
    pageSize = db.pragma('page_size', { simple: true }) as number;
  } finally {
    db.close();
  }
  const fd = openSync(journalPath, 'r+');
  try {
    writeSync(fd, Buffer.alloc(pageSize, 0x5a), 0, pageSize, (page - 1) * pageSize);
  } finally {
    closeSync(fd);
  }
  return page;
}
