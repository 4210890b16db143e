/** The part of ag-grid's GridApi a feed uses (a fake in tests). */
export interface FeedTarget<T> {
  isDestroyed(): boolean;
  getRowNode(id: string): { readonly data?: T } | undefined;
  forEachNode(callback: (node: { readonly id?: string; readonly data?: T }) => void): void;
  applyTransaction(transaction: { add: T[]; update: T[]; remove: T[] }): unknown;
}

/** When to run: on the next animation frame (with a timer behind it for hidden tabs), or after a delay. */
export interface FeedScheduler {
  frame(callback: () => void): () => void;
  delay(callback: () => void, ms: number): () => void;
  now(): number;
}

/**
 * Runs `work` on a coming animation frame when asked, once however often it was asked before that
 * frame, and at most once per `minIntervalMs` (still on a frame).
 */
export class FrameThrottle {
  private cancelFrame: (() => void) | undefined;
  private cancelDelay: (() => void) | undefined;
  private last = Number.NEGATIVE_INFINITY;
  private closed = false;

  constructor(
    private readonly work: () => void,
    private readonly scheduler: FeedScheduler,
    private readonly minIntervalMs = 0,
  ) {}

  get pending(): boolean {
    return this.cancelFrame !== undefined || this.cancelDelay !== undefined;
  }

  request(): void {
    if (this.closed || this.pending) return;
    const wait = this.last + this.minIntervalMs - this.scheduler.now();
    if (wait > 0) {
      this.cancelDelay = this.scheduler.delay(() => {
        this.cancelDelay = undefined;
        this.onFrame();
      }, wait);
    } else this.onFrame();
  }

  /** Runs the work now (cancelling what was scheduled). */
  run(): void {
    this.cancel();
    if (this.closed) return;
    this.last = this.scheduler.now();
    this.work();
  }

  close(): void {
    this.closed = true;
    this.cancel();
  }

  private onFrame(): void {
    if (this.cancelFrame !== undefined) return;
    this.cancelFrame = this.scheduler.frame(() => {
      this.cancelFrame = undefined;
      this.run();
    });
  }

  private cancel(): void {
    this.cancelFrame?.();
    this.cancelDelay?.();
    this.cancelFrame = undefined;
    this.cancelDelay = undefined;
  }
}

/**
 * Feeds a grid from the store's rows, keyed by the grid's row ids. The store hands the feed each batch
 * of rows as it accepts them (`rows`); at most once per frame the feed applies one synchronous
 * transaction with the latest of each row since the last (add when the grid lacks it, else update),
 * so its cost follows the deltas, never the size of the map. A fresh snapshot (`reset`) is compared
 * in full with what the grid holds, once, on the next frame.
 *
 * A large load (a 100,000-order snapshot) goes in as one transaction, on purpose: every transaction
 * of ag-grid's client-side row model costs a walk over all its rows (sort merge, flatten, row
 * positions), so feeding 100,000 rows in frame-sized chunks measured 500 transactions of 50–350 ms
 * (a minute of long tasks) where one costs ~400 ms once.
 */
export class GridFeed<T> {
  /** The latest version of each row changed since the last transaction. */
  private readonly pending = new Map<string, T>();
  /** Compare everything on the next apply (the first one, and after a snapshot). */
  private resync = true;
  private readonly throttle: FrameThrottle;

  constructor(
    private readonly grid: FeedTarget<T>,
    /** All the rows to show now; null while they are not ready to be shown (a snapshot still in parts). */
    private readonly read: () => ReadonlyMap<string, T> | null,
    scheduler: FeedScheduler,
    minIntervalMs = 0,
  ) {
    this.throttle = new FrameThrottle(() => this.apply(), scheduler, minIntervalMs);
  }

  /** These rows changed (as the store accepted them): applied on a coming frame. */
  rows(changed: ReadonlyMap<string, T>): void {
    if (!this.resync) changed.forEach((row, key) => this.pending.set(key, row));
    this.throttle.request();
  }

  /** Any row may have changed or gone (a fresh snapshot): compared in full on a coming frame. */
  reset(): void {
    this.resync = true;
    this.pending.clear();
    this.throttle.request();
  }

  /** Applies what changed now. */
  flush(): void {
    this.throttle.run();
  }

  close(): void {
    this.throttle.close();
  }

  private apply(): void {
    if (this.grid.isDestroyed()) return;
    const rows = this.read();
    if (rows === null) return;
    const add: T[] = [];
    const update: T[] = [];
    const remove: T[] = [];
    const upsert = (row: T, key: string): void => {
      const node = this.grid.getRowNode(key);
      if (node === undefined) add.push(row);
      else if (node.data !== row) update.push(row);
    };
    if (this.resync) {
      rows.forEach(upsert);
      this.grid.forEachNode((node) => {
        if (node.id !== undefined && node.data !== undefined && !rows.has(node.id)) remove.push(node.data);
      });
    } else {
      this.pending.forEach(upsert);
    }
    this.resync = false;
    this.pending.clear();
    if (add.length + update.length + remove.length > 0) this.grid.applyTransaction({ add, update, remove });
  }
}
