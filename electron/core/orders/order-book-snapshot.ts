import type { Block, BlockReader, SectionParts, SectionSource } from '../journal/snapshot-codec';
import { BlockWriter, SnapshotFormatError } from '../journal/snapshot-codec';
import type { SectionJob, SnapshotSection } from '../journal/snapshots';
import { BOOK_SECTION_VERSION, BookCodec } from './book-snapshot';
import type { Order } from './order';
import type { SeenExecution } from './order-book';
import { reusedExecIdKey } from './order-book';
import type { ExecutionRecord } from './order-views';

/** Entries per snapshot block (see journal/snapshot-codec.ts): a changed entry costs re-encoding its block. */
export interface BookBlockSizes {
  readonly orders: number;
  readonly rows: number;
  readonly seen: number;
}
const BLOCK_SIZES: BookBlockSizes = { orders: 1_024, rows: 2_048, seen: 8_192 };
/** Entries walked between two yields of a snapshot job where nothing is encoded (a slice ends at a yield). */
const STEP = 8_192;
/** Work per turn of the event loop when the indexes are filled in the background after a restore. */
const RESTORE_SLICE_MS = 8;

/**
 * What the snapshot code sees of an `OrderBook`: its containers, the very objects the book folds into
 * (they are read to write a snapshot and filled at restore), and the book's own ways to reach them.
 */
export interface BookContainers {
  readonly orders: Map<string, Order>;
  readonly byClOrdId: Map<string, string>;
  readonly contested: Set<string>;
  readonly byBrokerOrderId: Map<string, Map<string, string>>;
  readonly brokerOrderIdExtras: Map<string, readonly [broker: string, brokerOrderId: string]>;
  readonly executions: ExecutionRecord[];
  readonly seenExecutions: Map<string, Map<string, SeenExecution>>;
  orderIdForClOrdId(clOrdId: string): string | undefined;
  /** broker → its ExecIDs seen, created when missing. */
  seen(broker: string): Map<string, SeenExecution>;
  /** broker → its OrderIDs, created when missing. */
  brokerOrderIds(broker: string): Map<string, string>;
}

/**
 * The order book's snapshot section: the orders, the execution rows, the ExecIDs seen (with the row
 * or the order each is for), and only what the indexes hold beyond what the orders say (`contested`,
 * `brokerOrderIdExtras`): the ClOrdID and broker OrderID indexes are derived from the orders at
 * restore, which is cheaper than storing them.
 *
 * The fold tells it of every entry it replaces (`orderReplacing`…): a snapshot being written keeps
 * the old value (copy on write), and a block holding the entry is encoded again next time.
 */
export class BookSnapshots implements SnapshotSection {
  readonly name = 'book';
  readonly version = BOOK_SECTION_VERSION;
  /** Open while a snapshot of this book is being encoded: what changed since keeps its old value there. */
  private capture: BookCapture | undefined;
  /** The blocks of the last snapshot written or restored, reused while their entries do not change. */
  private blocks = new BookBlocks();
  /** What a restore has yet to put in the ExecID and broker-OrderID indexes (see `finishRestore`). */
  private restored: { step(budgetMs: number): boolean } | undefined;
  private readonly restoredWaiters: Array<() => void> = [];
  private readonly blockSizes: BookBlockSizes;

  /** `blockSizes`: entries per snapshot block (tests use small ones; not part of the format). */
  constructor(
    private readonly book: BookContainers,
    blockSizes: Partial<BookBlockSizes> = {},
  ) {
    this.blockSizes = { ...BLOCK_SIZES, ...blockSizes };
  }

  /**
   * After a restore, the ExecID and broker-OrderID indexes are filled in the background (in slices,
   * right after start) or on first use, whichever comes first: they are what a broker message needs,
   * not what the desk needs to be ready. This completes them now (tests, and before a snapshot).
   */
  finishRestore(): void {
    const restored = this.restored;
    if (restored === undefined) return;
    while (!restored.step(Infinity));
    this.restoreDone();
  }

  /** Resolves when the indexes a restore fills after the fact are complete (at once when there are none). */
  restoreComplete(): Promise<void> {
    if (this.restored === undefined) return Promise.resolve();
    return new Promise((resolve) => this.restoredWaiters.push(resolve));
  }

  private restoreDone(): void {
    this.restored = undefined;
    for (const resolve of this.restoredWaiters.splice(0)) resolve();
  }

  /** The fold is about to replace this order. */
  orderReplacing(orderId: string): void {
    if (this.capture !== undefined) {
      const old = this.book.orders.get(orderId);
      if (old !== undefined) this.capture.orderReplaced(old);
    }
  }

  clOrdIdReplaced(clOrdId: string, old: string): void {
    this.capture?.clOrdIdReplaced(clOrdId, old);
  }

  brokerOrderIdReplaced(broker: string, brokerOrderId: string, old: string): void {
    this.capture?.brokerOrderIdReplaced(`${broker}\u0000${brokerOrderId}`, old);
  }

  /** A row a bust or correction ended. */
  rowReplaced(index: number, old: ExecutionRecord): void {
    this.capture?.executionReplaced(index, old);
    this.blocks.rowsChanged.add(Math.floor(index / this.blockSizes.rows));
  }

  /** The fold is about to point this ExecID at a row. `seenBefore`: it was seen before this event (its entry may be in a stored block, which then changes). */
  execIdIndexing(broker: string, execId: string, seenBefore: boolean): void {
    if (this.capture !== undefined) {
      const old = this.book.seenExecutions.get(broker)?.get(execId);
      if (old !== undefined) this.capture.seenReplaced(broker, execId, old);
    }
    if (seenBefore) this.blocks.seenChanged.add(broker);
  }

  /**
   * Opens a snapshot of the book as it is now, to be encoded over several turns of the event loop
   * while events keep being applied. Nothing is copied here: no order, row, index entry or ExecID is
   * ever removed, so the state at this moment is the first N entries of each container, and every
   * entry replaced while the job is open keeps, for the job, the value it replaced. Blocks of the
   * last snapshot whose entries did not change since are reused as they are.
   */
  open(): SectionJob {
    if (this.capture !== undefined) throw new Error('a snapshot of the book is already being written');
    this.finishRestore();
    const book = this.book;
    const capture = new BookCapture(book.orders.size, book.executions.length, book.contested.size, book.brokerOrderIdExtras.size);
    for (const [broker, seen] of book.seenExecutions) capture.seenCounts.set(broker, seen.size);
    this.capture = capture;
    // What changed since the last snapshot is this job's to encode; later changes are the next one's.
    const rowsChanged = this.blocks.rowsChanged;
    const seenChanged = this.blocks.seenChanged;
    this.blocks.rowsChanged = new Set();
    this.blocks.seenChanged = new Set();
    return {
      write: () => this.writeSnapshot(capture, rowsChanged, seenChanged),
      close: (completed) => {
        if (this.capture === capture) this.capture = undefined;
        if (!completed) {
          for (const b of rowsChanged) this.blocks.rowsChanged.add(b);
          for (const b of seenChanged) this.blocks.seenChanged.add(b);
        }
      },
    };
  }

  /** Fills an empty book from a snapshot section written by `open`. On any error the book is left empty. */
  async restore(source: SectionSource): Promise<void> {
    const book = this.book;
    if (book.orders.size > 0 || book.executions.length > 0 || book.seenExecutions.size > 0) {
      throw new Error('a snapshot is restored into an empty book only');
    }
    try {
      await this.readSnapshot(source);
    } catch (error) {
      this.discard();
      throw error;
    }
    const finishing = this.restored;
    const slice = () => {
      if (this.restored !== finishing || finishing === undefined) return; // finished on first use, or discarded
      if (finishing.step(RESTORE_SLICE_MS)) this.restoreDone();
      else setImmediate(slice);
    };
    setImmediate(slice);
  }

  /** Forgets the blocks kept for the next snapshot (it then encodes every block). */
  forgetBlocks(): void {
    if (this.capture !== undefined) throw new Error('a snapshot of the book is being written');
    this.blocks = new BookBlocks();
  }

  /** Empties the book: only to undo a restore (a later part of the same snapshot turned out unusable). */
  discard(): void {
    if (this.capture !== undefined) throw new Error('the book cannot be reset while a snapshot of it is being written');
    const book = this.book;
    book.orders.clear();
    book.byClOrdId.clear();
    book.contested.clear();
    book.byBrokerOrderId.clear();
    book.brokerOrderIdExtras.clear();
    book.executions.length = 0;
    book.seenExecutions.clear();
    this.blocks = new BookBlocks();
    this.restoreDone();
  }

  private *writeSnapshot(c: BookCapture, rowsChanged: ReadonlySet<number>, seenChanged: ReadonlySet<string>): Generator<void, SectionParts> {
    const cache = this.blocks;
    // Orders, in the book's order; a block is reused when it holds the very same order objects.
    const orders: Order[] = new Array(c.orderCount);
    const orderBlocks: Block[] = [];
    let n = 0;
    for (const [orderId, live] of this.book.orders) {
      if (n === c.orderCount) break;
      orders[n++] = c.oldOrders.size === 0 ? live : (c.oldOrders.get(orderId) ?? live);
      if (n % STEP === 0) yield;
    }
    if (n !== c.orderCount) throw new Error(`the book lost orders while a snapshot was written (${n} of ${c.orderCount})`);
    const { orders: ordersPerBlock, rows: rowsPerBlock, seen: seenPerBlock } = this.blockSizes;
    for (let k = 0; k * ordersPerBlock < c.orderCount; k++) {
      const from = k * ordersPerBlock;
      const to = Math.min(from + ordersPerBlock, c.orderCount);
      const cached = cache.orders[k];
      if (cached !== undefined && cached.refs.length === to - from && cached.refs.every((o, i) => o === orders[from + i])) {
        orderBlocks.push(cached.block);
        if (to % STEP < ordersPerBlock) yield;
        continue;
      }
      const w = new BlockWriter(64 * (to - from));
      const refs = orders.slice(from, to);
      for (const o of refs) BookCodec.writeOrder(w, o);
      const block: Block = { count: to - from, data: w.finish() };
      cache.orders[k] = { block, refs };
      orderBlocks.push(block);
      yield;
    }
    cache.orders.length = orderBlocks.length;

    // Execution rows: a block is reused unless one of its rows was replaced (a bust, a correction) or it was not full.
    const rowBlocks: Block[] = [];
    const positions = this.blocks.positions;
    positions.extendTo(orders);
    for (let k = 0; k * rowsPerBlock < c.executionCount; k++) {
      const from = k * rowsPerBlock;
      const to = Math.min(from + rowsPerBlock, c.executionCount);
      const cached = cache.rows[k];
      if (cached !== undefined && cached.count === to - from && !rowsChanged.has(k)) {
        rowBlocks.push(cached);
        continue;
      }
      const w = new BlockWriter(24 * (to - from));
      for (let i = from; i < to; i++) {
        const row = (c.oldExecutions.size === 0 ? undefined : c.oldExecutions.get(i)) ?? this.book.executions[i];
        if (row === undefined) throw new Error('the execution list shrank while a snapshot was written');
        const position = positions.known(row.orderId) ?? (yield* positions.find(row.orderId, orders));
        BookCodec.writeExecution(w, row, position === undefined ? undefined : orders[position], position);
      }
      const block: Block = { count: to - from, data: w.finish() };
      cache.rows[k] = block;
      rowBlocks.push(block);
      yield;
    }
    cache.rows.length = rowBlocks.length;

    // ExecIDs seen, per broker: one that made a row refers to it (the row holds the ExecID and its
    // order); others are written out with their order, and so is the key of an ExecID reused on another order.
    const seenParts: Array<{ name: string; blocks: Block[] }> = [];
    for (const [broker, count] of c.seenCounts) {
      const old = c.oldSeen.get(broker);
      const cachedBlocks = seenChanged.has(broker) ? [] : (cache.seen.get(broker) ?? []);
      const blocks: Block[] = [];
      const map = this.book.seenExecutions.get(broker) ?? new Map<string, SeenExecution>();
      let w: BlockWriter | undefined;
      let k = 0;
      let inBlock = 0;
      n = 0;
      for (const [execId, live] of map) {
        if (n === count) break;
        n++;
        const cached = cachedBlocks[k];
        const reuse = cached !== undefined && cached.count === seenPerBlock;
        if (!reuse) {
          w ??= new BlockWriter(seenPerBlock * 2);
          const entry = old === undefined ? live : (old.get(execId) ?? live);
          writeSeen(w, execId, entry, (index) =>
            index < c.executionCount ? ((c.oldExecutions.size === 0 ? undefined : c.oldExecutions.get(index)) ?? this.book.executions[index]) : undefined,
          );
        }
        if (++inBlock === seenPerBlock || n === count) {
          blocks.push(reuse ? (cached as Block) : { count: inBlock, data: (w as BlockWriter).finish() });
          w = undefined;
          inBlock = 0;
          k++;
          if (!reuse || n % STEP < seenPerBlock) yield;
        }
      }
      if (n !== count) throw new Error('the ExecIDs seen shrank while a snapshot was written');
      cache.seen.set(broker, blocks);
      seenParts.push({ name: `seen:${broker}`, blocks });
    }

    // What the indexes hold beyond what the orders say, and the alert log: small, written every time.
    const w = new BlockWriter();
    w.u32(c.contestedCount);
    n = 0;
    for (const clOrdId of this.book.contested) {
      if (n++ === c.contestedCount) break;
      w.inline(clOrdId);
      w.inline(c.oldClOrdIds.get(clOrdId) ?? (this.book.orderIdForClOrdId(clOrdId) as string));
    }
    w.u32(c.extrasCount);
    n = 0;
    for (const [key, [broker, brokerOrderId]] of this.book.brokerOrderIdExtras) {
      if (n++ === c.extrasCount) break;
      w.str(broker);
      w.inline(brokerOrderId);
      w.inline(c.oldBrokerOrderIds.get(key) ?? (this.book.byBrokerOrderId.get(broker)?.get(brokerOrderId) as string));
    }
    const misc: Block = { count: 1, data: w.finish() };

    return [{ name: 'orders', blocks: orderBlocks }, { name: 'rows', blocks: rowBlocks }, ...seenParts, { name: 'indexes', blocks: [misc] }];
  }

  private async readSnapshot(source: SectionSource): Promise<void> {
    const orders: Order[] = [];
    const cache = this.blocks;
    for await (const { reader, block } of source.blocks('orders')) {
      const refs: Order[] = new Array(block.count);
      for (let i = 0; i < block.count; i++) {
        const order = BookCodec.readOrder(reader);
        refs[i] = order;
        orders.push(order);
        this.book.orders.set(order.orderId, order);
        // The ClOrdID index: what an order cannot say by itself (its other ClOrdIDs); claims of two orders come after.
        const ids = order.clOrdIds;
        if (ids.length > 1 || ids[0] !== order.orderId) for (const id of ids) if (id !== order.orderId) this.book.byClOrdId.set(id, order.orderId);
      }
      reader.end();
      cache.orders.push({ block, refs });
    }
    if (this.book.orders.size !== orders.length) throw new SnapshotFormatError('an order is in the snapshot twice');
    for await (const { reader, block } of source.blocks('rows')) {
      for (let i = 0; i < block.count; i++) this.book.executions.push(BookCodec.readExecution(reader, orders));
      reader.end();
      cache.rows.push(block);
    }
    // ExecIDs seen: read now, put in their maps in the background (see `finishRestore`).
    const seenBacklog: Array<{ seen: Map<string, SeenExecution>; execIds: string[]; rows: SeenExecution[] }> = [];
    for (const part of source.partNames) {
      if (!part.startsWith('seen:')) continue;
      const broker = part.slice('seen:'.length);
      const backlog = { seen: this.book.seen(broker), execIds: [] as string[], rows: [] as SeenExecution[] };
      seenBacklog.push(backlog);
      const blocks: Block[] = [];
      for await (const { reader, block } of source.blocks(part)) {
        for (let i = 0; i < block.count; i++) readSeen(reader, this.book.executions, backlog.execIds, backlog.rows);
        reader.end();
        blocks.push(block);
      }
      cache.seen.set(broker, blocks);
    }
    let misc: BlockReader | undefined;
    for await (const { reader } of source.blocks('indexes')) misc = reader;
    if (misc === undefined) throw new SnapshotFormatError('the book section has no indexes part');
    // The ClOrdIDs more than one order claimed: the index holds the last claim.
    const contested = misc.count();
    for (let i = 0; i < contested; i++) {
      const clOrdId = misc.str();
      this.book.byClOrdId.set(clOrdId, this.known(misc.str()));
      this.book.contested.add(clOrdId);
    }
    const extras: Array<readonly [broker: string, brokerOrderId: string, orderId: string]> = [];
    const extraCount = misc.count();
    for (let i = 0; i < extraCount; i++) {
      const broker = misc.str();
      const brokerOrderId = misc.str();
      extras.push([broker, brokerOrderId, this.known(misc.str())]);
      this.book.brokerOrderIdExtras.set(`${broker}\u0000${brokerOrderId}`, [broker, brokerOrderId]);
    }
    misc.end();

    // The ExecID index, then the broker-OrderID index (what the orders say, then what they cannot), a slice at a time.
    let b = 0;
    let i = 0;
    let o = 0;
    this.restored = {
      step: (budgetMs) => {
        const t0 = performance.now();
        for (;;) {
          const backlog = seenBacklog[b];
          if (backlog !== undefined) {
            const end = Math.min(i + 8_192, backlog.execIds.length);
            for (; i < end; i++) backlog.seen.set(backlog.execIds[i] as string, backlog.rows[i] as SeenExecution);
            if (i === backlog.execIds.length) {
              b++;
              i = 0;
            }
          } else if (o < orders.length) {
            const end = Math.min(o + 8_192, orders.length);
            for (; o < end; o++) {
              const order = orders[o] as Order;
              if (order.brokerOrderId !== undefined) this.book.brokerOrderIds(order.broker).set(order.brokerOrderId, order.orderId);
            }
          } else {
            for (const [broker, brokerOrderId, orderId] of extras) this.book.brokerOrderIds(broker).set(brokerOrderId, orderId);
            return true;
          }
          if (performance.now() - t0 >= budgetMs) return false;
        }
      },
    };
  }

  private known(orderId: string): string {
    if (!this.book.orders.has(orderId)) throw new SnapshotFormatError(`an index names order ${orderId}, which the snapshot does not hold`);
    return orderId;
  }
}

/** The blocks of the last snapshot, kept to be reused by the next one, and what changed in them since. */
class BookBlocks {
  readonly orders: Array<{ readonly block: Block; readonly refs: readonly Order[] }> = [];
  readonly rows: Block[] = [];
  readonly seen = new Map<string, Block[]>();
  /** Row blocks with a row replaced since the last snapshot. */
  rowsChanged = new Set<number>();
  /** Brokers with an ExecID whose row changed since the last snapshot (a repeated ExecID: rare). */
  seenChanged = new Set<string>();
  /** orderId → position among the orders, for the rows being encoded. */
  readonly positions = new OrderPositions();
}

/**
 * orderId → position of the order in the book's order (orders never move, so it holds between
 * snapshots). Indexed from the newest order backwards, only as far as the rows being encoded need:
 * new rows are nearly all about recent orders.
 */
class OrderPositions {
  private readonly positions = new Map<string, number>();
  /** Indexed: positions [low, high). */
  private low = 0;
  private high = 0;

  /** The newest orders (positions from `high` on) are indexed first, newest last. */
  extendTo(orders: readonly Order[]): void {
    if (this.high === this.low) {
      this.low = this.high = orders.length;
      return;
    }
    for (; this.high < orders.length; this.high++) this.positions.set((orders[this.high] as Order).orderId, this.high);
  }

  known(orderId: string): number | undefined {
    return this.positions.get(orderId);
  }

  /** Indexes older orders until `orderId` is found (undefined: no such order), yielding between stretches. */
  *find(orderId: string, orders: readonly Order[]): Generator<void, number | undefined> {
    while (this.low > 0) {
      const p = --this.low;
      const id = (orders[p] as Order).orderId;
      this.positions.set(id, p);
      if (id === orderId) return p;
      if (p % STEP === 0) yield;
    }
    return undefined;
  }
}

/** What a snapshot job needs to encode the book as it was when it opened (see `openSnapshot`). */
class BookCapture {
  readonly oldOrders = new Map<string, Order>();
  readonly oldClOrdIds = new Map<string, string>();
  readonly oldBrokerOrderIds = new Map<string, string>();
  readonly oldExecutions = new Map<number, ExecutionRecord>();
  readonly oldSeen = new Map<string, Map<string, SeenExecution>>();
  readonly seenCounts = new Map<string, number>();

  constructor(
    readonly orderCount: number,
    readonly executionCount: number,
    readonly contestedCount: number,
    readonly extrasCount: number,
  ) {}

  // The first value replaced is the one the snapshot holds; later ones are newer than the snapshot.
  orderReplaced(old: Order): void {
    if (!this.oldOrders.has(old.orderId)) this.oldOrders.set(old.orderId, old);
  }

  clOrdIdReplaced(clOrdId: string, old: string): void {
    if (!this.oldClOrdIds.has(clOrdId)) this.oldClOrdIds.set(clOrdId, old);
  }

  brokerOrderIdReplaced(key: string, old: string): void {
    if (!this.oldBrokerOrderIds.has(key)) this.oldBrokerOrderIds.set(key, old);
  }

  executionReplaced(index: number, old: ExecutionRecord): void {
    if (index < this.executionCount && !this.oldExecutions.has(index)) this.oldExecutions.set(index, old);
  }

  seenReplaced(broker: string, execId: string, old: SeenExecution): void {
    let seen = this.oldSeen.get(broker);
    if (seen === undefined) {
      seen = new Map();
      this.oldSeen.set(broker, seen);
    }
    if (!seen.has(execId)) seen.set(execId, old);
  }
}

/**
 * One entry of the ExecIDs seen. The usual one, an ExecID that made a row, is one word: the row (the
 * row holds the ExecID). Otherwise a 0, the key as it is, then the row (+1), or a 0 and the order id
 * (the entry made no row: an ack, a cancel…). A key that is not the row's ExecID is a reused one's.
 */
function writeSeen(w: BlockWriter, key: string, entry: SeenExecution, rowAt: (index: number) => ExecutionRecord | undefined): void {
  if (typeof entry === 'number') {
    const row = rowAt(entry);
    if (row === undefined) throw new Error(`ExecID ${key} points at row ${entry}, which the snapshot does not hold`);
    if (row.execId === key) {
      w.u32(entry + 1);
      return;
    }
    if (key !== reusedExecIdKey(row.execId, row.orderId)) throw new Error(`ExecID ${key} points at row ${entry}, which is not its row`);
    w.u32(0);
    w.inline(key);
    w.u32(entry + 1);
    return;
  }
  w.u32(0);
  w.inline(key);
  w.u32(0);
  w.inline(entry);
}

function readSeen(r: BlockReader, rows: readonly ExecutionRecord[], keys: string[], entries: SeenExecution[]): void {
  const ref = r.u32();
  if (ref !== 0) {
    const row = rows[ref - 1];
    if (row === undefined) throw new SnapshotFormatError(`row ${ref - 1} out of range`);
    keys.push(row.execId);
    entries.push(ref - 1);
    return;
  }
  const key = r.str();
  const rowRef = r.u32();
  if (rowRef === 0) {
    keys.push(key);
    entries.push(r.str());
    return;
  }
  const row = rows[rowRef - 1];
  if (row === undefined) throw new SnapshotFormatError(`row ${rowRef - 1} out of range`);
  if (key !== reusedExecIdKey(row.execId, row.orderId)) throw new SnapshotFormatError(`ExecID key ${JSON.stringify(key)} is not row ${rowRef - 1}'s`);
  keys.push(key);
  entries.push(rowRef - 1);
}
