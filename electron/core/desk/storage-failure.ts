import type { AlertView } from '../../../shared/contract/views';
import type { Result } from '../../../shared/contract/result';
import { fail } from '../../../shared/contract/result';
import type { Journal } from '../journal/journal';
import type { AnyReadModel, ReadModels } from '../journal/read-model';
import { applyAll } from '../journal/read-model';
import type { Logger } from '../log/logger';
import { isStorageError, onCommitFailed } from '../sqlite/commit-batch';
import type Database from 'better-sqlite3';

/** Thrown into whatever would journal while the desk reads its state back after a failed commit. */
export class StorageUnavailableError extends Error {
  readonly code = 'STORAGE_FULL';
}

/** A write the journal's database refused for want of space or of a working disk. */
export function isStorageFailure(error: unknown): boolean {
  return error instanceof StorageUnavailableError || isStorageError(error);
}

export interface StorageFailureDeps {
  readonly db: Database.Database;
  readonly journal: Pick<Journal, 'replay'>;
  readonly models: ReadModels;
  /** The snapshots' restore (the desk's start path), when the desk has started. */
  readonly restoreSnapshot: () => Promise<{ readonly seq: number }>;
  readonly pauseSnapshots: () => void;
  readonly resumeSnapshots: () => void;
  /** What the desk keeps live beside the read models, forgotten so it is rebuilt from them. */
  readonly forgetLive: () => void;
  readonly discardDeltas: () => void;
  readonly resnapshot: () => void;
  readonly showAlert: (alert: AlertView) => void;
  readonly raiseAlert: (message: string) => void;
  readonly log: Logger;
  readonly now: () => string;
}

/**
 * A commit the journal's database refused (a full disk): SQLite rolled the transaction back, so what
 * the desk folded into memory for it is not true. The desk drops the deltas not yet shown, reads its
 * state back from the journal (the newest snapshot and the events after it, as at a start) and sends
 * every screen a fresh snapshot; meanwhile nothing journals (commands are refused with STORAGE_FULL,
 * socket reads are not taken: the brokers resend them). An error alert is on the screens at once and
 * in the log; it is journaled with the outage's figures when the disk takes writes again.
 */
export class StorageFailure {
  private outage: { since: string; error: string; refused: number } | undefined;
  private reloading: Promise<void> | undefined;
  private reloadAgain = false;

  constructor(private readonly deps: StorageFailureDeps) {
    onCommitFailed(deps.db, (error) => this.failed(error));
  }

  /** Reading the journal back: nothing may journal now. */
  get recovering(): boolean {
    return this.reloading !== undefined;
  }

  /** Throws while the desk reads its state back. */
  check(): void {
    if (this.reloading !== undefined) throw new StorageUnavailableError(this.text());
  }

  /** A command's result: STORAGE_FULL when the journal could not take it. */
  refusal(error: unknown): Result<never> | undefined {
    if (!isStorageFailure(error)) return undefined;
    if (this.outage !== undefined) this.outage.refused++;
    return fail('STORAGE_FULL', this.text());
  }

  /** Refused before it starts: the desk is reading its state back. */
  refuseWhileRecovering(): Result<never> | undefined {
    if (this.reloading === undefined) return undefined;
    if (this.outage !== undefined) this.outage.refused++;
    return fail('STORAGE_FULL', this.text());
  }

  /** A commit went through: if the disk was full, it takes writes again. */
  committed(): void {
    const outage = this.outage;
    if (outage === undefined || this.reloading !== undefined) return;
    this.outage = undefined;
    const message = `The journal's disk was full from ${outage.since} to ${this.deps.now()} (${outage.error}): ${outage.refused} command(s) refused, nothing of them was stored or sent; broker sessions dropped during it were resent what was not stored`;
    this.deps.log.warn('the journal takes writes again', { since: outage.since, refused: outage.refused });
    this.deps.raiseAlert(message);
    this.deps.resnapshot(); // the screens' alert list: the journaled one in place of the live one
  }

  private text(): string {
    return `The journal's disk is full: nothing was stored or sent. Free space on the journal's disk${this.outage !== undefined ? ` (since ${this.outage.since})` : ''}; the desk resumes by itself`;
  }

  private failed(error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error);
    this.deps.discardDeltas();
    if (this.outage === undefined) this.outage = { since: this.deps.now(), error: reason, refused: 0 };
    this.deps.log.error('a commit of the journal failed: reading the desk state back from the journal', { error: reason });
    if (this.reloading !== undefined) {
      this.reloadAgain = true;
      return;
    }
    this.reloading = this.reload().finally(() => (this.reloading = undefined));
  }

  private async reload(): Promise<void> {
    const d = this.deps;
    d.pauseSnapshots();
    try {
      do {
        this.reloadAgain = false;
        for (const model of Object.values(d.models)) model.restore(emptyParts(model));
        const restored = await d.restoreSnapshot();
        d.journal.replay((event, seq) => applyAll(d.models, event, seq), restored.seq);
      } while (this.reloadAgain);
      d.forgetLive();
    } catch (error) {
      d.log.error('reading the desk state back failed', { error: error instanceof Error ? error.stack : String(error) });
    } finally {
      d.resumeSnapshots();
    }
    d.resnapshot();
    const outage = this.outage;
    if (outage !== undefined) {
      d.showAlert({ id: 'storage-full', level: 'error', code: 'STORAGE_FULL', message: this.text(), at: d.now(), firstAt: outage.since });
    }
  }
}

function emptyParts(model: AnyReadModel): Record<string, readonly unknown[]> {
  return Object.fromEntries(Object.keys(model.parts).map((part) => [part, []]));
}
