import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../log/logger';
import type { Clock } from '../time/clock';
import type { DataFolderLock, HostKind } from './data-folder-lock';
import { DataFolderInUseError, acquireDataFolderLock } from './data-folder-lock';
import type { JournalCheck, JournalProblem } from './journal-integrity';
import { checkJournal, checkWholeJournal, checkWholeJournalHere, describeFindings, isJournalDamageError, isSound, journalFactsOf } from './journal-integrity';
import type { JournalMarker } from './journal-marker';
import { JOURNAL_FILE, readJournalMarker, removeJournalMarker, writeJournalMarker } from './journal-marker';
import { JournalThreadFailed } from './journal-jobs';
import { listBackups } from './journal-backups';
import { holdWal } from './wal-hold';
import { ensurePrivateDir, syncFolder, tightenTree } from '../files/private-files';

/**
 * What a host does with its data folder before the desk opens the journal, and after it closed it:
 * the folder made private, its lock taken (one desk per folder), the journal checked; the marker
 * kept up to date. A refusal is one message for a person, with what to do, and its own exit code.
 */
export const EXIT_JOURNAL_REFUSED = 3;
export const EXIT_DATA_FOLDER_IN_USE = 4;

export class DataFolderRefusal extends Error {
  override readonly name = 'DataFolderRefusal';
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** A path or word as a person would type it in a shell: quoted only when it needs to be. */
export function shellWord(text: string): string {
  return /^[\w./:@%+,=-]+$/.test(text) ? text : JSON.stringify(text);
}

/** How a person runs the two ways out in this host (they differ between npm and the installed app). */
export interface RecoveryCommands {
  restore(backupFile: string): string;
  readonly newJournal: string;
}

export interface DataFolderOptions {
  readonly dataDir: string;
  readonly host: HostKind;
  readonly clock: Clock;
  readonly log: Logger;
  /** Set a damaged or missing journal aside and start a new one (--new-journal). Ignored when the journal is fine. */
  readonly newJournal?: boolean;
  /** Where backups go, to name the newest in a refusal. */
  readonly backupDir?: string;
  readonly commands: RecoveryCommands;
  /** A journal bigger than this is checked whole in the background, not before the start (journal-integrity.ts). */
  readonly wholeCheckUpToBytes?: number;
  /**
   * Check the journal whole on a worker thread while the desk restores (`journalChecked`), where its
   * open writes nothing into it (journal-integrity.ts); the host's desk must wait for the answer
   * (`createDesk`'s `journalChecked`). Ignored with `newJournal` (a damaged journal is set aside before the open).
   */
  readonly checkBesideRestore?: boolean;
  /** The check's thread (journal-worker.mjs); tests name one that cannot start. */
  readonly checkThread?: URL;
}

export interface DataFolder {
  readonly dataDir: string;
  readonly journalPath: string;
  /** Whether the journal is checked whole before the desk acts (before the start or beside its restore); if not, the desk checks it once started (`checkJournalInBackground`). */
  readonly checkedWhole: boolean;
  /**
   * Resolves once the journal is known sound (at once, unless its whole check runs beside the
   * restore); rejects with the refusal (the same as before the start, exit code 3) when it is damaged.
   */
  readonly journalChecked: Promise<void>;
  /** After the desk started: the marker records the journal (its tag). */
  journalStarted(): void;
  /** After a backup: the marker remembers where backups go. */
  backupMade(dir: string): void;
  /** The refusal for an error the desk met while reading a journal damaged past the check (or the check's own refusal), else undefined. */
  refusalFor(error: unknown): DataFolderRefusal | undefined;
  /**
   * After the desk stopped (its journal closed): a clean stop records the journal's newest seq; then
   * the lock is released (a check still running is stopped, a -wal held for it let go). Idempotent.
   */
  close(options: { clean: boolean }): void;
}

export function openDataFolder(options: DataFolderOptions): DataFolder {
  const { dataDir, clock, log } = options;
  ensurePrivateDir(dataDir);
  let lock: DataFolderLock;
  try {
    lock = acquireDataFolderLock(dataDir, options.host, clock);
  } catch (e) {
    if (e instanceof DataFolderInUseError) throw new DataFolderRefusal(e.message, EXIT_DATA_FOLDER_IN_USE);
    throw e;
  }
  try {
    tightenTree(dataDir);
    const journalPath = join(dataDir, JOURNAL_FILE);
    const markerRead = readJournalMarker(dataDir);
    let marker = markerRead.present ? markerRead.marker : undefined;
    const check = checkJournal(journalPath, markerRead, {
      ...(options.wholeCheckUpToBytes !== undefined && { wholeUpToBytes: options.wholeCheckUpToBytes }),
      wholeBesideRestore: options.checkBesideRestore === true && options.newJournal !== true,
    });
    if (check.status === 'refused') {
      if (options.newJournal !== true) throw new DataFolderRefusal(refusalMessage(journalPath, check, marker, options), EXIT_JOURNAL_REFUSED);
      const aside = setJournalAside(journalPath, clock);
      removeJournalMarker(dataDir);
      marker = undefined;
      log.warn('journal set aside; starting a new journal (--new-journal)', { problem: check.problem, detail: check.detail, keptAs: aside });
    } else {
      if (options.newJournal === true) log.warn('--new-journal ignored: the journal is fine', { journal: journalPath });
      if (check.status === 'ok' && !check.besideRestore) log.info('journal checked', { journal: journalPath, tag: check.tag ?? null, lastSeq: check.lastSeq, ms: check.checkMs, whole: check.whole, besideRestore: false });
    }
    const besideRestore = check.status === 'ok' && check.besideRestore;
    // A journal left with a -wal: held until it is known sound, or past the desk's close at a refusal (wal-hold.ts).
    const walHold = besideRestore && existsSync(`${journalPath}-wal`) ? holdWal(journalPath) : undefined;
    const beside = besideRestore ? checkBesideRestore(journalPath, (damage) => refusalMessage(journalPath, damage, marker, options), log, options.checkThread) : undefined;
    if (beside !== undefined && check.status === 'ok') {
      void beside.result.then(({ ms, answeredAfterMs }) => {
        walHold?.release();
        // ms: the checks' own time; answeredAfterMs: from the worker's start until the desk's thread heard it (the restore runs meanwhile).
        log.info('journal checked', { journal: journalPath, tag: check.tag ?? null, lastSeq: check.lastSeq, ms: check.checkMs + ms, answeredAfterMs, whole: true, besideRestore: true });
      }, () => {});
    }

    let closed = false;
    const save = (change: Partial<JournalMarker>) => {
      const base: JournalMarker = marker ?? { tag: null, createdAt: clock.now().toISOString(), lastSeq: 0, lastSeqAt: null };
      marker = { ...base, ...change };
      writeJournalMarker(dataDir, marker);
    };
    return {
      dataDir,
      journalPath,
      checkedWhole: check.status !== 'ok' || check.whole || check.besideRestore,
      journalChecked: beside === undefined ? Promise.resolve() : quietly(beside.result.then(() => undefined)),
      journalStarted() {
        save({ tag: journalFactsOf(journalPath)?.tag ?? null, ...(options.backupDir !== undefined && { backupDir: options.backupDir }) });
      },
      backupMade(dir) {
        if (marker?.backupDir !== dir) save({ backupDir: dir });
      },
      refusalFor(error) {
        if (error instanceof DataFolderRefusal) return error;
        if (!isJournalDamageError(error)) return undefined;
        const check: JournalCheck = { status: 'refused', problem: 'damaged', detail: `SQLite failed while reading it: ${error.message}` };
        return new DataFolderRefusal(refusalMessage(journalPath, check, marker, options), EXIT_JOURNAL_REFUSED);
      },
      close({ clean }) {
        if (closed) return;
        closed = true;
        void beside?.cancel();
        walHold?.release();
        try {
          if (clean && marker !== undefined && existsSync(journalPath)) {
            save({ lastSeq: journalFactsOf(journalPath)?.lastSeq ?? 0, lastSeqAt: clock.now().toISOString() });
          }
        } finally {
          lock.release();
        }
      },
    };
  } catch (e) {
    lock.release();
    throw e;
  }
}

/**
 * The whole check on a worker thread (journal-integrity.ts#checkWholeJournal): resolves with its time
 * when the journal is sound, rejects with the refusal otherwise (the detail worded as the check before the start words it).
 */
function checkBesideRestore(journalPath: string, refusal: (damage: Extract<JournalCheck, { status: 'refused' }>) => string, log: Logger, thread?: URL): { readonly result: Promise<{ readonly ms: number; readonly answeredAfterMs: number }>; cancel(): Promise<void> } {
  const t0 = performance.now();
  const job = checkWholeJournal(journalPath, thread);
  let cancelled = false;
  const refuse = (detail: string) => new DataFolderRefusal(refusal({ status: 'refused', problem: 'damaged', detail }), EXIT_JOURNAL_REFUSED);
  const answer = ({ findings, raised, ms }: { readonly findings: readonly string[]; readonly raised?: boolean; readonly ms: number }) => {
    if (isSound(findings)) return { ms, answeredAfterMs: Math.round(performance.now() - t0) };
    throw refuse(raised === true ? `SQLite cannot read it: ${findings[0] ?? ''}` : `SQLite's quick_check found: ${describeFindings(findings)}`);
  };
  const result = job.result.then(answer, (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    // A thread that could not run (a file missing from the install) says nothing of the journal: it is checked here instead.
    if (!cancelled && error instanceof JournalThreadFailed) {
      log.error('the journal check thread failed: checking on the desk thread instead', { error: message });
      try {
        return answer(checkWholeJournalHere(journalPath));
      } catch (e) {
        if (e instanceof DataFolderRefusal) throw e;
        throw refuse(`SQLite cannot read it: ${e instanceof Error ? e.message : String(e)} (error)`);
      }
    }
    if (!cancelled) log.error('the journal check failed', { error: message });
    throw refuse(`SQLite cannot read it: ${message} (error)`);
  });
  return {
    result: quietly(result),
    cancel: () => {
      cancelled = true;
      return job.cancel();
    },
  };
}

/** A rejection the desk hears when it waits for it; a start that failed before that must not crash on it. */
function quietly<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}

/** Moves the journal and its -wal and -shm aside as one set (still openable together); returns the new name. */
export function setJournalAside(journalPath: string, clock: Clock, why = 'damaged'): string {
  const aside = `${journalPath}.${why}-${clock.now().toISOString().replace(/[-:.]/g, '')}`;
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(journalPath + suffix)) renameSync(journalPath + suffix, aside + suffix);
  }
  syncFolder(join(journalPath, '..'));
  return aside;
}

const PROBLEMS: Readonly<Record<JournalProblem, string>> = {
  missing: 'is missing',
  empty: 'is empty',
  damaged: 'is damaged',
  foreign: 'is not the journal this data folder had',
  behind: 'has lost events',
};

function refusalMessage(journalPath: string, check: Extract<JournalCheck, { status: 'refused' }>, marker: JournalMarker | undefined, options: DataFolderOptions): string {
  const backupDir = options.backupDir ?? marker?.backupDir;
  const newest = backupDir === undefined ? undefined : listBackups(backupDir)[0];
  const backupLine =
    newest !== undefined
      ? `      newest backup: ${newest.path} (seq ${newest.seq}, taken ${newest.takenAt})`
      : `      (no backup found${backupDir === undefined ? '' : ` in ${backupDir}`})`;
  return [
    `Meridian Desk will not start: the journal ${journalPath} ${PROBLEMS[check.problem]}: ${check.detail}.`,
    'Nothing was changed. Either',
    '  - restore a backup (it is checked before it replaces anything; the journal here is kept aside):',
    `      ${options.commands.restore(newest?.path ?? '<backup file>')}`,
    backupLine,
    '  - or start with a new, empty journal (the one here is kept aside; reset the sequence numbers with your brokers too):',
    `      ${options.commands.newJournal}`,
  ].join('\n');
}
