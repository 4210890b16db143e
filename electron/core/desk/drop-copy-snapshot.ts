import type { ExecType } from '../../../shared/domain/order-types';
import type { Block, SectionParts, SectionSource } from '../journal/snapshot-codec';
import { BlockWriter, SnapshotFormatError } from '../journal/snapshot-codec';
import type { SectionJob, SnapshotSection } from '../journal/snapshots';
import type { AlertLog } from '../alerts/alert-log';
import type { OrderBook } from '../orders/order-book';
import type { DeliveredExecutions } from './drop-copy';

/** The drop-copy checker's part of a snapshot: the executions each session delivered. Bump when the layout or `remember` changes. */
export const DROP_COPY_SECTION_VERSION = 1;
/** Entries per snapshot block: the memory only grows, so every full block is written once and reused after. */
const ENTRIES_PER_BLOCK = 8_192;

/**
 * The drop-copy memory's snapshot section (`DeliveredExecutions`). Timers, mismatch counts and
 * executions awaiting their match are not kept: a replay does not rebuild them either.
 */
export class DropCopySnapshots implements SnapshotSection {
  readonly name = 'dropCopy';
  readonly version = DROP_COPY_SECTION_VERSION;
  /** The blocks of the last snapshot, by part (`trading:<broker>`, `dropCopy:<broker>`). */
  private readonly blocks = new Map<string, Block[]>();

  /** `tracked`: the brokers with a drop copy configured; `checked`: the execution types remembered. `entriesPerBlock`: snapshot block size (tests use small ones). */
  constructor(
    private readonly memory: DeliveredExecutions,
    private readonly tracked: ReadonlySet<string>,
    private readonly checked: ReadonlySet<ExecType>,
    private readonly entriesPerBlock = ENTRIES_PER_BLOCK,
  ) {}

  /**
   * Marks what is remembered now, to be encoded later: the maps only grow and an entry never changes,
   * so their sizes now are the state, and a full block once written is reused by every later snapshot.
   * The brokers tracked are written first: a snapshot made with other drop copies configured does not
   * describe this desk (it is ignored: full replay).
   */
  open(): SectionJob {
    const tracked = [...this.tracked].sort();
    const sizes = [...this.memory.all()].map(([broker, maps]) => ({ broker, maps, trading: maps.trading.size, dropCopy: maps.dropCopy.size }));
    const cache = this.blocks;
    const perBlock = this.entriesPerBlock;
    return {
      *write(): Generator<void, SectionParts> {
        const head = new BlockWriter();
        head.u32(tracked.length);
        for (const broker of tracked) head.str(broker);
        const parts: Array<{ name: string; blocks: Block[] }> = [{ name: 'tracked', blocks: [{ count: tracked.length, data: head.finish() }] }];
        for (const { broker, maps, trading, dropCopy } of sizes) {
          for (const [side, count] of [['trading', trading], ['dropCopy', dropCopy]] as const) {
            const name = `${side}:${broker}`;
            const cached = cache.get(name) ?? [];
            const blocks: Block[] = [];
            let w: BlockWriter | undefined;
            let inBlock = 0;
            let n = 0;
            for (const [execId, s] of maps[side]) {
              if (n === count) break;
              n++;
              const old = cached[blocks.length];
              const reuse = old !== undefined && old.count === perBlock;
              if (!reuse) {
                w ??= new BlockWriter(perBlock * 6);
                w.inline(execId);
                w.str(s.execType);
                w.inline(s.clOrdId);
                w.optStr(s.side);
                w.optStr(s.lastQty);
                w.optStr(s.lastPx);
              }
              if (++inBlock === perBlock || n === count) {
                blocks.push(reuse ? (old as Block) : { count: inBlock, data: (w as BlockWriter).finish() });
                w = undefined;
                inBlock = 0;
                yield; // a block reused still cost the walk through its entries
              }
            }
            if (n !== count) throw new Error('the drop-copy memory shrank while a snapshot was written');
            cache.set(name, blocks);
            parts.push({ name, blocks });
          }
        }
        return parts;
      },
      close() {},
    };
  }

  /** Restores what a snapshot remembered, into a memory holding nothing yet; on any error it is left empty. */
  async restore(source: SectionSource): Promise<void> {
    if (this.memory.all().size > 0) throw new Error('a snapshot is restored into an empty drop-copy memory only');
    try {
      const tracked: string[] = [];
      for await (const { reader } of source.blocks('tracked')) {
        const count = reader.count();
        for (let i = 0; i < count; i++) tracked.push(reader.str());
        reader.end();
      }
      const now = [...this.tracked].sort();
      if (tracked.join('\u0000') !== now.join('\u0000')) {
        throw new SnapshotFormatError(`it was made with drop copies for [${tracked.join(', ')}]; they are now configured for [${now.join(', ')}]`);
      }
      for (const name of source.partNames) {
        const colon = name.indexOf(':');
        const side = name.slice(0, colon);
        if (side !== 'trading' && side !== 'dropCopy') continue;
        const map = this.memory.of(name.slice(colon + 1))[side];
        const blocks: Block[] = [];
        for await (const { reader, block } of source.blocks(name)) {
          for (let i = 0; i < block.count; i++) {
            const execId = reader.str();
            const execType = reader.str() as ExecType;
            if (!this.checked.has(execType)) throw new SnapshotFormatError(`unexpected execution type ${execType}`);
            // Every field present (absent ones undefined): read by field, like the live entries.
            map.set(execId, { execType, clOrdId: reader.str(), side: reader.optStr(), lastQty: reader.optStr(), lastPx: reader.optStr() });
          }
          reader.end();
          blocks.push(block);
        }
        this.blocks.set(name, blocks);
      }
    } catch (error) {
      this.discard();
      throw error;
    }
  }

  /** Forgets the blocks kept for the next snapshot (it then encodes every block). */
  forgetBlocks(): void {
    this.blocks.clear();
  }

  /** Forgets everything (a restore that has to be undone). */
  discard(): void {
    this.memory.clear();
    this.blocks.clear();
  }
}

/** What the desk's fold (`foldDeskEvent`) builds, as snapshot sections (in this order): the order book, the drop-copy memory, the alert list. */
export function deskSnapshotSections(book: OrderBook, delivered: DeliveredExecutions, alerts: AlertLog): SnapshotSection[] {
  return [book.snapshots, delivered.snapshots, alerts.snapshots];
}
