import { readdirSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../log/logger';
import type { Clock, TimerHandle } from '../time/clock';
import type { BackupPolicy } from './backup-policy';
import { ensurePrivateDir, syncFolder } from './private-files';

/**
 * Online backups of the journal with SQLite's backup API, taken on a worker thread with its own
 * connection: the copy is one consistent state of the journal (a WAL read transaction: the desk
 * keeps writing meanwhile and waits for nothing), and its pages are read and written off the
 * desk's thread. Each copy is checked (quick_check) before it gets its name, made a standalone file
 * (rollback journal, no -wal), fsynced, and named after its time, tag and last seq:
 * `desk-20261207T093000000Z-K3Q9Z-s123456.sqlite`. The newest `keep` are kept. Scheduled on the
 * injected clock: the first one when the newest in the folder is `every` old (at least a minute
 * after start, so a start is not slowed), then every `every`.
 */
export interface BackupFile {
  readonly path: string;
  readonly name: string;
  readonly takenAt: string;
  readonly tag: string;
  readonly seq: number;
}

const BACKUP_NAME = /^desk-(\d{8})T(\d{6})(\d{3})Z-([0-9A-Z]+)-s(\d+)\.sqlite$/;
const PARTIAL_SUFFIX = '.partial';
const FIRST_BACKUP_DELAY_MS = 60_000;

const BACKUP_WORKER = `
const { workerData, parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const Database = require(workerData.modulePath);
(async () => {
  const { source, target } = workerData;
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
  let facts;
  try {
    copy.pragma('journal_mode = DELETE');
    const check = copy.pragma('quick_check(5)').map((r) => r.quick_check);
    if (check.length !== 1 || check[0] !== 'ok') throw new Error('the copy failed its quick_check: ' + check.join('; '));
    const tag = copy.prepare("SELECT value FROM meta WHERE key = 'journal_tag'").pluck().get();
    const seq = copy.prepare('SELECT max(seq) FROM events').pluck().get();
    facts = { tag: typeof tag === 'string' ? tag : 'NOTAG', seq: seq ?? 0 };
  } finally {
    copy.close();
  }
  const fd = fs.openSync(target, 'r+');
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  parentPort.postMessage({ ok: true, ...facts });
})().catch((e) => parentPort.postMessage({ ok: false, error: e && e.message ? e.message : String(e) }));
`;

export class JournalBackups {
  private timer: TimerHandle | undefined;
  private running: { promise: Promise<BackupFile>; worker: Worker | undefined; partial: string } | undefined;
  private stopped = false;

  constructor(
    private readonly options: {
      readonly journalPath: string;
      readonly policy: BackupPolicy;
      readonly clock: Clock;
      readonly log: Logger;
      readonly onBackup?: (backup: BackupFile) => void;
    },
  ) {}

  start(): void {
    const { policy, clock } = this.options;
    ensurePrivateDir(policy.dir);
    const newest = listBackups(policy.dir)[0];
    const now = clock.now().getTime();
    const due = newest === undefined ? now : Date.parse(newest.takenAt) + policy.everyMs;
    this.schedule(Math.max(FIRST_BACKUP_DELAY_MS, due - now));
    this.options.log.info('journal backups scheduled', { dir: policy.dir, everyMinutes: policy.everyMs / 60_000, keep: policy.keep, newest: newest?.name ?? null });
  }

  /** One backup now (the one in progress, if any). Rejects if it fails; the schedule goes on. */
  backupNow(): Promise<BackupFile> {
    if (this.running !== undefined) return this.running.promise;
    const { policy, clock, journalPath } = this.options;
    const stamp = clock.now().toISOString();
    const partial = join(policy.dir, `desk-${compactStamp(stamp)}${PARTIAL_SUFFIX}`);
    const running: { promise: Promise<BackupFile>; worker: Worker | undefined; partial: string } = { promise: Promise.resolve(undefined as never), worker: undefined, partial };
    running.promise = (async () => {
      try {
        ensurePrivateDir(policy.dir);
        removePartials(policy.dir);
        const t0 = performance.now();
        const facts = await new Promise<{ tag: string; seq: number }>((resolve, reject) => {
          const worker = new Worker(BACKUP_WORKER, {
            eval: true,
            workerData: { source: journalPath, target: partial, modulePath: createRequire(import.meta.url).resolve('better-sqlite3') },
          });
          running.worker = worker;
          worker.once('message', (m: { ok: true; tag: string; seq: number } | { ok: false; error: string }) => (m.ok ? resolve(m) : reject(new Error(m.error))));
          worker.once('error', reject);
          worker.once('exit', (code) => reject(new Error(`the backup worker stopped (exit code ${code})`)));
        });
        if (this.stopped) throw new Error('backups stopped');
        const name = `desk-${compactStamp(stamp)}-${facts.tag}-s${facts.seq}.sqlite`;
        const path = join(policy.dir, name);
        renameSync(partial, path);
        syncFolder(policy.dir);
        const removed = applyRetention(policy.dir, policy.keep);
        this.options.log.info('journal backed up', { file: path, seq: facts.seq, ms: Math.round(performance.now() - t0), removed });
        return { path, name, takenAt: stamp, tag: facts.tag, seq: facts.seq };
      } finally {
        rmSync(partial, { force: true });
        rmSync(`${partial}-journal`, { force: true });
        if (this.running === running) this.running = undefined;
      }
    })().then((backup) => {
      this.options.onBackup?.(backup);
      return backup;
    });
    this.running = running;
    return running.promise;
  }

  /** Stops the schedule; a backup in progress is abandoned (its partial file removed). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
    const running = this.running;
    if (running === undefined) return;
    await running.worker?.terminate();
    await running.promise.catch(() => undefined);
  }

  /** A fixed cadence: the next one is scheduled when this one starts (one still running when it falls due is not doubled). */
  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = this.options.clock.setTimeout(() => {
      this.timer = undefined;
      this.schedule(this.options.policy.everyMs);
      this.backupNow().catch((e: unknown) => {
        if (this.stopped) return;
        this.options.log.error('journal backup failed; the next one is due at the usual interval', { error: e instanceof Error ? e.message : String(e) });
      });
    }, delayMs);
  }
}

/** The backups in `dir`, newest first (by the time in their names). */
export function listBackups(dir: string): BackupFile[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const backups: BackupFile[] = [];
  for (const name of names) {
    const m = BACKUP_NAME.exec(name);
    if (m === null) continue;
    const [, day, time, ms, tag, seq] = m as unknown as [string, string, string, string, string, string];
    const takenAt = `${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6, 8)}T${time.slice(0, 2)}:${time.slice(2, 4)}:${time.slice(4, 6)}.${ms}Z`;
    backups.push({ path: join(dir, name), name, takenAt, tag, seq: Number(seq) });
  }
  return backups.sort((a, b) => (a.takenAt === b.takenAt ? b.seq - a.seq : a.takenAt < b.takenAt ? 1 : -1));
}

function applyRetention(dir: string, keep: number): string[] {
  const extra = listBackups(dir).slice(keep);
  for (const backup of extra) rmSync(backup.path, { force: true });
  return extra.map((b) => b.name);
}

/** What a backup killed mid-copy left behind (its process died; nothing else writes these names). */
function removePartials(dir: string): void {
  for (const name of readdirSync(dir)) {
    if (name.startsWith('desk-') && (name.endsWith(PARTIAL_SUFFIX) || name.endsWith(`${PARTIAL_SUFFIX}-journal`))) rmSync(join(dir, name), { force: true });
  }
}

/** 2026-12-07T09:30:00.000Z → 20261207T093000000Z */
function compactStamp(iso: string): string {
  return iso.replace(/[-:.]/g, '');
}
