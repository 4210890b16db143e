import type { AlertLevel, AlertView } from '../../../shared/contract/views';
import type { Block, BlockReader, SectionParts, SectionSource } from '../journal/snapshot-codec';
import { BlockWriter, SnapshotFormatError } from '../journal/snapshot-codec';
import type { SectionJob, SnapshotSection } from '../journal/snapshots';
import type { AlertLog } from './alert-log';
import { alertRow } from './alert-log';

/** The alert list's part of a snapshot. Bump when the layout or the fold (alert-log.ts) changes. */
export const ALERT_SECTION_VERSION = 1;

/** Every field of a row must be written: adding one to AlertView without the codec fails to compile. */
export const ALERT_SNAPSHOT_FIELDS: Record<keyof AlertView, true> = {
  id: true, level: true, message: true, at: true, code: true, orderId: true, broker: true, count: true, firstAt: true, acknowledged: true,
};

/** The levels in the order their blocks are written (alert-log.ts imports this file: its constants are not ready here yet). */
const LEVELS: readonly AlertLevel[] = ['error', 'warning', 'info'];
const LEVEL_SET: ReadonlySet<AlertLevel> = new Set(LEVELS);

/**
 * The alert list as it stands: small (at most the per-level bounds), so it is written whole each
 * time, one block per level, rows in the list's order (the oldest latest occurrence first).
 */
export class AlertLogSnapshots implements SnapshotSection {
  readonly name = 'alerts';
  readonly version = ALERT_SECTION_VERSION;

  constructor(private readonly log: AlertLog) {}

  open(): SectionJob {
    // Rows are immutable: holding them is the copy.
    const levels = LEVELS.map((level) => ({ level, rows: [...this.log.rowsOf(level)] }));
    return {
      // Small: encoded in one go, no yield.
      *write(): Generator<void, SectionParts> {
        return levels.map(({ level, rows }) => {
          const w = new BlockWriter(rows.length * 16 + 16);
          for (const row of rows) writeRow(w, row);
          const block: Block = { count: rows.length, data: w.finish() };
          return { name: level, blocks: [block] };
        });
      },
      close() {},
    };
  }

  async restore(source: SectionSource): Promise<void> {
    if (this.log.size > 0) throw new Error('a snapshot is restored into an empty alert list only');
    try {
      for (const level of LEVELS) {
        for await (const { reader, block } of source.blocks(level)) {
          for (let i = 0; i < block.count; i++) {
            const row = readRow(reader);
            if (row.level !== level) throw new SnapshotFormatError(`alert ${row.id} of level ${row.level} among the ${level}s`);
            this.log.restoreRow(row);
          }
          reader.end();
        }
      }
    } catch (error) {
      this.discard();
      throw error instanceof SnapshotFormatError ? error : new SnapshotFormatError(error instanceof Error ? error.message : String(error));
    }
  }

  discard(): void {
    this.log.clear();
  }

  forgetBlocks(): void {}
}

function writeRow(w: BlockWriter, a: AlertView): void {
  w.str(a.id);
  w.str(a.level);
  w.str(a.message);
  w.str(a.at);
  w.optStr(a.code);
  w.optStr(a.orderId);
  w.optStr(a.broker);
  w.u32(a.count ?? 1);
  w.optStr(a.firstAt);
  w.optStr(a.acknowledged?.by);
  w.optStr(a.acknowledged?.at);
}

function readRow(r: BlockReader): AlertView {
  const id = r.str();
  const level = r.oneOf(LEVEL_SET);
  const message = r.str();
  const at = r.str();
  const code = r.optStr();
  const orderId = r.optStr();
  const broker = r.optStr();
  const count = r.u32();
  const firstAt = r.optStr();
  const by = r.optStr();
  const ackAt = r.optStr();
  if ((by === undefined) !== (ackAt === undefined)) throw new SnapshotFormatError(`alert ${id}: half an acknowledgement`);
  return alertRow({ id, level, message, at, code, orderId, broker, count, firstAt, acknowledged: by === undefined ? undefined : { by, at: ackAt as string } });
}
