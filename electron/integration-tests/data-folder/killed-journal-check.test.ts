import { createHash, randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkJournal } from '../../core/data-folder/journal-integrity';
import { damageAnEventsPage } from '../../core/data-folder/journal-integrity.test-support';
import { readJournalMarker } from '../../core/data-folder/journal-marker';
import { appendThenKill } from '../../core/data-folder/killed-journal.test-support';
import { EXIT_JOURNAL_REFUSED } from '../../core/data-folder/open-data-folder';
import type { DeskEvent } from '../../core/journal/desk-events';
import { SqliteJournal } from '../../core/journal/sqlite-journal';
import { freePort } from '../../simulator/launch';
import { brokerEntriesFor } from '../support/broker-entries';
import type { HostProcess } from '../support/host-process';
import { runHostToExit, startHostProcess } from '../support/host-process';

/**
 * A desk killed -9 leaves its journal with a -wal. The host checks it whole on a worker while the desk
 * restores (data-folder/open-data-folder.ts), as it does a journal stopped cleanly: a damaged one must
 * still be refused with the one message and exit code 3, its main file and -wal byte for byte as the
 * kill left them (the -shm is not compared: SQLite's index of the -wal, rebuilt from it by whichever
 * connection opens first); a sound one starts with every event the killed process committed.
 */
const KILLED_EVENTS = 100;

describe('a journal a kill left with a -wal, checked beside the restore by the host', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meridian-killed-'));
  const configPath = join(dir, 'desk.json');
  const killedDir = join(dir, 'killed');
  const token = randomBytes(16).toString('hex');
  let host: HostProcess | undefined;

  beforeAll(async () => {
    // A broker nobody listens on: the desk starts and keeps trying to connect, which is all this needs.
    writeFileSync(configPath, JSON.stringify({ accounts: ['FUND-ALPHA'], brokers: brokerEntriesFor([{ name: 'SIM-A', port: await freePort() }]) }));
    const journal = new SqliteJournal(join(killedDir, 'desk.sqlite'));
    const event = (n: number): DeskEvent => ({ type: 'cancelRequested', at: '2026-12-07T08:00:00Z', orderId: `O${n}`, clOrdId: `C${n}`, origClOrdId: 'X' });
    for (let i = 1; i <= 3_000; i++) journal.append(event(i));
    journal.close();
    // A desk ran on it and stopped cleanly (its snapshot covers those events: a start reads none of them),
    // then a process appended to it and was killed with it open.
    host = await startHostProcess({ configPath, dataDir: killedDir, token });
    await host.stop();
    host = undefined;
    appendThenKill(join(killedDir, 'desk.sqlite'), 1, KILLED_EVENTS);
  }, 60_000);

  afterAll(async () => {
    await host?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  function copyOfKilled(name: string): { folder: string; journal: string } {
    const folder = join(dir, name);
    cpSync(killedDir, folder, { recursive: true });
    return { folder, journal: join(folder, 'desk.sqlite') };
  }

  it('damaged in a page the restore does not read: refused with the one message and exit code 3, its file and -wal unchanged', async () => {
    const { folder, journal } = copyOfKilled('damaged');
    damageAnEventsPage(journal);
    const before = journalBytes(journal);
    // Past the checks before the open: the damage is the worker's to find.
    expect(checkJournal(journal, readJournalMarker(folder), { wholeBesideRestore: true })).toMatchObject({ status: 'ok', besideRestore: true });
    const beforeOpen = checkJournal(journal, readJournalMarker(folder));
    if (beforeOpen.status !== 'refused') throw new Error(`the check before the open passed the damaged journal: ${JSON.stringify(beforeOpen)}`);
    expect(journalBytes(journal)).toEqual(before);

    for (let attempt = 1; attempt <= 2; attempt++) {
      const outcome = await runHostToExit({ configPath, dataDir: folder, token });
      expect(outcome.code, `attempt ${attempt}\n${outcome.stderr}`).toBe(EXIT_JOURNAL_REFUSED);
      expect(outcome.stdout).toBe('');
      // The message the check before the open gives (one message, not a log; no stack trace).
      expect(outcome.stderr).toMatch(new RegExp(`^Meridian Desk will not start: the journal ${escape(journal)} is damaged: ${escape(beforeOpen.detail)}\\.\nNothing was changed\\. Either\n`));
      expect(outcome.stderr).toContain(`npm run serve -- --new-journal --data-dir ${folder}`);
      expect(outcome.stderr).not.toMatch(/^\s+at /m);
      expect(outcome.stderr).not.toContain('"level"');
      expect(journalBytes(journal), `attempt ${attempt}: the journal and its -wal as the kill left them`).toEqual(before);
    }
  }, 90_000);

  it('sound: starts beside the check, with every event the killed process committed', async () => {
    const { folder, journal } = copyOfKilled('sound');
    host = await startHostProcess({ configPath, dataDir: folder, token });
    await host.stop();
    const stderr = host.stderr();
    host = undefined;
    const checked = stderr.split('\n').find((l) => l.includes('"journal checked"'));
    expect(checked, stderr).toMatch(/"whole":true,"besideRestore":true/);
    const db = new Database(journal, { readonly: true });
    try {
      const clOrdIds = new Set(db.prepare("SELECT json_extract(payload, '$.clOrdId') FROM events WHERE type = 'cancelRequested'").pluck().all() as string[]);
      const lost = [...Array.from({ length: 3_000 }, (_, i) => `C${i + 1}`), ...Array.from({ length: KILLED_EVENTS }, (_, i) => `K${i + 1}`)].filter((id) => !clOrdIds.has(id));
      expect(lost, 'events committed before the kill, missing after the start').toEqual([]);
    } finally {
      db.close();
    }
  }, 60_000);
});

/** The journal's main file and -wal, byte for byte. */
function journalBytes(journal: string): { main: string; wal: string } {
  const hash = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
  return { main: hash(journal), wal: hash(`${journal}-wal`) };
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
