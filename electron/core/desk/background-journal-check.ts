import { checkWholeJournal, describeFindings, isSound } from '../data-folder/journal-integrity';
import type { DeskContext } from './desk-context';
import { raiseAlert } from './desk-context';

/**
 * The whole-journal check of a journal too big to check before the start (data-folder/
 * journal-integrity.ts), once the desk runs: on a worker thread, and damage found is an alert (what
 * the desk shows came from pages it read and found sound; the older history is what is at stake).
 */
export function checkJournalInBackground(ctx: DeskContext, journalPath: string): { stop(): Promise<void> } {
  let stopped = false;
  const t0 = performance.now();
  const check = checkWholeJournal(journalPath);
  check.result.then(
    ({ findings }) => {
      if (stopped) return;
      if (isSound(findings)) {
        ctx.log.info('journal checked whole in the background', { ms: Math.round(performance.now() - t0) });
        return;
      }
      raiseAlert(ctx, {
        level: 'error',
        code: 'JOURNAL_DAMAGED',
        message: `The journal is damaged in pages the start did not read (SQLite's quick_check: ${describeFindings(findings)}). Its older history cannot be trusted: stop the desk at a quiet moment and restore the newest backup, or start a new journal.`,
      });
    },
    (error: unknown) => {
      if (stopped) return;
      raiseAlert(ctx, { level: 'warning', code: 'JOURNAL_STORAGE', message: `The journal could not be checked in the background: ${error instanceof Error ? error.message : String(error)}` });
    },
  );
  return {
    stop: async () => {
      stopped = true;
      await check.cancel();
    },
  };
}
