/**
 * `npm run restore -- --from <backup> [--data-dir <path>]`: puts a journal backup in place of the data
 * folder's journal (electron/core/data-folder/restore-journal.ts). Without --from, lists the backups
 * of the data folder. Exit codes: 0 restored, 1 failed, 2 bad options, 3 the backup is not usable,
 * 4 a desk runs on the data folder.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DataFolderInUseError } from '../core/data-folder/data-folder-lock';
import { listBackups } from '../core/data-folder/journal-backups';
import { readJournalMarker } from '../core/data-folder/journal-marker';
import { EXIT_DATA_FOLDER_IN_USE, EXIT_JOURNAL_REFUSED } from '../core/data-folder/open-data-folder';
import { usePrivateUmask } from '../core/data-folder/private-files';
import { RestoreError, restoreJournal, restoreSummary } from '../core/data-folder/restore-journal';
import { systemClock } from '../core/time/clock';

const USAGE = `usage: npm run restore -- --from <backup file> [--data-dir <path>]
  --from <path>       the backup to restore (a desk-<time>-<tag>-s<seq>.sqlite from the backup folder)
  --data-dir <path>   the desk's data folder (default .data; env MERIDIAN_DATA_DIR)
  --backup-dir <path> where to list backups when --from is not given (default: backups in the data folder)`;

function main(): number {
  usePrivateUmask();
  let values;
  try {
    ({ values } = parseArgs({
      strict: true,
      allowPositionals: false,
      options: { from: { type: 'string' }, 'data-dir': { type: 'string' }, 'backup-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const cwd = process.cwd();
  const dataDir = resolve(cwd, values['data-dir'] ?? (process.env.MERIDIAN_DATA_DIR || '.data'));
  if (values.help === true || values.from === undefined) {
    const marker = readJournalMarker(dataDir);
    const backupDir = values['backup-dir'] !== undefined ? resolve(cwd, values['backup-dir']) : ((marker.present ? marker.marker?.backupDir : undefined) ?? resolve(dataDir, 'backups'));
    const backups = listBackups(backupDir);
    process.stdout.write(`${USAGE}\n\n`);
    process.stdout.write(backups.length === 0 ? `No backups in ${backupDir}.\n` : `Backups in ${backupDir}, newest first:\n${backups.map((b) => `  ${b.path}  (seq ${b.seq}, taken ${b.takenAt})`).join('\n')}\n`);
    return values.help === true ? 0 : 2;
  }

  const from = resolve(cwd, values.from);
  try {
    process.stdout.write(`${restoreSummary(from, restoreJournal({ from, dataDir, clock: systemClock }))}\n`);
    return 0;
  } catch (e) {
    if (e instanceof DataFolderInUseError) {
      process.stderr.write(`Not restored. ${e.message}\n`);
      return EXIT_DATA_FOLDER_IN_USE;
    }
    if (e instanceof RestoreError) {
      process.stderr.write(`Not restored (nothing was changed): ${e.message}\n`);
      return EXIT_JOURNAL_REFUSED;
    }
    process.stderr.write(`Not restored: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 1;
  }
}

process.exit(main());
