import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../core/data-folder/private-files';

export interface ReceivedClOrdId {
  readonly broker: string;
  readonly msgType: string;
  readonly clOrdId: string;
  /** Arrived as a PossDupFlag=Y resend (after a crash of the simulator lost the first arrival). */
  readonly possDup?: boolean;
}

/**
 * Every ClOrdID the simulator received, one JSON line each, written synchronously so a line is on
 * disk before the order is answered: a test that kills the desk can check none arrived twice.
 */
export class ClOrdIdJournal {
  constructor(private readonly path: string | undefined) {
    if (path !== undefined) mkdirSync(dirname(path), { recursive: true, mode: PRIVATE_DIR_MODE });
  }

  record(entry: ReceivedClOrdId): void {
    if (this.path !== undefined) appendFileSync(this.path, JSON.stringify(entry) + '\n', { mode: PRIVATE_FILE_MODE });
  }
}

export function readClOrdIdJournal(path: string): ReceivedClOrdId[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as ReceivedClOrdId);
}
