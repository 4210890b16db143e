import { RowMap } from '../store/row-map';

/** The part of ag-grid's GridApi a feed uses (a fake in tests). */
export interface FeedTarget<T> {
  isDestroyed(): boolean;
  getRowNode(id: string): { readonly data?: T } | undefined;
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
 * Feeds a grid from successive versions of a map of rows (the store's), whose keys are the grid's
 * row ids. At most once per frame it applies one synchronous transaction with what changed since
 * the version it last applied, found in the number of changes (RowMap's change log), not of rows.
 *
 * A large load (a 100,000-order snapshot) goes in as one transaction, on purpose: every transaction
 * of ag-grid's client-side row model costs a walk over all its rows (sort merge, flatten, row
 * positions), so feeding 100,000 rows in frame-sized chunks measured 500 transactions of 50–350 ms
 * (a minute of long tasks) where one costs ~400 ms once.
 */
export class GridFeed<T> {
  private applied: ReadonlyMap<string, T> = new Map();
  private readonly throttle: FrameThrottle;

  constructor(
    private readonly grid: FeedTarget<T>,
    /** The rows to show now; null while they are not ready to be shown (a snapshot still in parts). */
    private readonly read: () => ReadonlyMap<string, T> | null,
    scheduler: FeedScheduler,
    minIntervalMs = 0,
  ) {
    this.throttle = new FrameThrottle(() => this.apply(), scheduler, minIntervalMs);
  }

  /** The rows may have changed: apply them on a coming frame. */
  notify(): void {
    if (this.throttle.pending) return;
    const rows = this.read();
    if (rows !== null && rows !== this.applied) this.throttle.request();
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
    const next = this.read();
    if (next === null || next === this.applied) return;
    const previous = this.applied;
    const add: T[] = [];
    const update: T[] = [];
    const remove: T[] = [];
    for (const key of changedKeys(previous, next)) {
      const row = next.get(key);
      const node = this.grid.getRowNode(key);
      if (row === undefined) {
        const gone = node?.data ?? previous.get(key);
        if (node !== undefined && gone !== undefined) remove.push(gone);
      } else if (node === undefined) add.push(row);
      else if (previous.get(key) !== row) update.push(row);
    }
    this.applied = next;
    if (add.length + update.length + remove.length > 0) this.grid.applyTransaction({ add, update, remove });
  }
}

/** Keys whose rows may differ between two versions, once each: from the change log when it can tell, else all of both. */
function changedKeys<T>(previous: ReadonlyMap<string, T>, next: ReadonlyMap<string, T>): Iterable<string> {
  if (previous === next) return [];
  const logged = next instanceof RowMap ? next.changedKeysSince(previous) : undefined;
  if (logged !== undefined) return new Set(logged);
  const keys: string[] = [];
  next.forEach((row, key) => {
    if (previous.get(key) !== row) keys.push(key);
  });
  previous.forEach((_, key) => {
    if (!next.has(key)) keys.push(key);
  });
  return keys;
}
