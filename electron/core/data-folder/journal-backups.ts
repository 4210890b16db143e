import { readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../log/logger';
import type { Clock, TimerHandle } from '../time/clock';
import type { BackupPolicy } from './backup-policy';
import { ensurePrivateDir, syncFolder } from '../files/private-files';
import type { RunningJournalJob } from './journal-jobs';
import { runJournalJob } from './journal-jobs';

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

export class JournalBackups {
  private timer: TimerHandle | undefined;
  private running: { promise: Promise<BackupFile>; job: RunningJournalJob<unknown> | undefined; partial: string } | undefined;
  private stopped = false;

  constructor(
    private readonly options: {
      readonly journalPath: string;
      readonly policy: BackupPolicy;
      readonly clock: Clock;
      readonly log: Logger;
      readonly onBackup?: (backup: BackupFile) => void;
      /** A scheduled backup failed (the next one is still due at the usual interval): the host raises it as an alert. */
      readonly onFailure?: (error: string) => void;
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
    const running: { promise: Promise<BackupFile>; job: RunningJournalJob<unknown> | undefined; partial: string } = { promise: Promise.resolve(undefined as never), job: undefined, partial };
    // Set before the work starts: a failure before its first await runs the `finally` below synchronously.
    this.running = running;
    running.promise = (async () => {
      try {
        ensurePrivateDir(policy.dir);
        removePartials(policy.dir);
        const t0 = performance.now();
        const job = runJournalJob({ job: 'backup', source: journalPath, target: partial });
        running.job = job;
        const facts = await job.result;
        if (this.stopped) throw new Error('backups stopped');
        const name = `desk-${compactStamp(stamp)}-${facts.tag}-s${facts.seq}.sqlite`;
        const path = join(policy.dir, name);
        renameSync(partial, path);
        syncFolder(policy.dir);
        const removed = applyRetention(policy.dir, policy.keep);
        this.options.log.info('journal backed up', { file: path, seq: facts.seq, ms: Math.round(performance.now() - t0), removed });
        return { path, name, takenAt: stamp, tag: facts.tag, seq: facts.seq };
      } finally {
        // First: a cleanup that fails (the folder gone) must not leave this backup "running" for ever.
        if (this.running === running) this.running = undefined;
        removeQuietly(partial);
        removeQuietly(`${partial}-journal`);
      }
    })().then((backup) => {
      this.options.onBackup?.(backup);
      return backup;
    });
    return running.promise;
  }

  /** Stops the schedule; a backup in progress is abandoned (its partial file removed). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
    const running = this.running;
    if (running === undefined) return;
    await running.job?.cancel();
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
        const error = e instanceof Error ? e.message : String(e);
        this.options.log.error('journal backup failed; the next one is due at the usual interval', { error });
        this.options.onFailure?.(error);
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

function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // Nothing to remove where the folder itself is gone or unusable: the backup's own error says why.
  }
}

/** The alert a failed scheduled backup raises (the desk journals it like any other). */
export function backupFailed(error: string): { readonly level: 'error'; readonly code: 'BACKUP_FAILED'; readonly message: string } {
  return { level: 'error', code: 'BACKUP_FAILED', message: `Journal backup failed: ${error}. The next one is due at the usual interval; check the backup folder's disk and permissions.` };
}
