import { describe, expect, it } from 'vitest';
import { RowMap } from '../store/row-map';
import type { FeedScheduler, FeedTarget } from './grid-feed';
import { GridFeed } from './grid-feed';

interface Row {
  readonly id: string;
  readonly v: number;
}

/** A grid that keeps rows by id and records its transactions. */
class FakeGrid implements FeedTarget<Row> {
  readonly rows = new Map<string, Row>();
  readonly transactions: Array<{ add: number; update: number; remove: number }> = [];
  isDestroyed = () => false;
  getRowNode = (id: string) => (this.rows.has(id) ? { data: this.rows.get(id) } : undefined);
  forEachNode(callback: (node: { id?: string; data?: Row }) => void) {
    for (const [id, data] of this.rows) callback({ id, data });
  }
  applyTransaction(t: { add: Row[]; update: Row[]; remove: Row[] }) {
    for (const r of t.add) {
      if (this.rows.has(r.id)) throw new Error(`added twice: ${r.id}`);
      this.rows.set(r.id, r);
    }
    for (const r of t.update) {
      if (!this.rows.has(r.id)) throw new Error(`update of a missing row: ${r.id}`);
      this.rows.set(r.id, r);
    }
    for (const r of t.remove) this.rows.delete(r.id);
    this.transactions.push({ add: t.add.length, update: t.update.length, remove: t.remove.length });
  }
}

/** Frames run when the test says. */
class FakeScheduler implements FeedScheduler {
  frames: Array<() => void> = [];
  time = 0;
  frame(callback: () => void) {
    this.frames.push(callback);
    return () => {
      this.frames = this.frames.filter((f) => f !== callback);
    };
  }
  delay(callback: () => void) {
    return this.frame(callback);
  }
  now = () => (this.time += 0.5);
  runFrames(max = 1_000): number {
    let n = 0;
    while (this.frames.length > 0 && n < max) {
      this.frames.shift()!();
      n++;
    }
    return n;
  }
}

const rowsOf = (n: number, v = 1) => RowMap.from<Row>(Array.from({ length: n }, (_, i) => [`R${i}`, { id: `R${i}`, v }] as const));
const changed = (...rows: Row[]) => new Map(rows.map((r) => [r.id, r] as const));

describe('GridFeed', () => {
  it('applies the rows that changed, once per frame, whatever the number of messages', () => {
    const grid = new FakeGrid();
    const scheduler = new FakeScheduler();
    let store: RowMap<Row> | null = null;
    const feed = new GridFeed<Row>(grid, () => store, scheduler);
    feed.reset();
    scheduler.runFrames();
    expect(grid.transactions).toEqual([]); // not ready: nothing to do
    store = rowsOf(100_000);
    feed.reset();
    feed.reset();
    expect(scheduler.runFrames()).toBe(1);
    expect(grid.transactions).toEqual([{ add: 100_000, update: 0, remove: 0 }]);
    const r5 = { id: 'R5', v: 2 };
    const r6 = { id: 'R6', v: 2 };
    store = store.upsert(changed(r5, r6));
    feed.rows(changed(r5, r6));
    const r5again = { id: 'R5', v: 3 };
    const fresh = { id: 'NEW', v: 1 };
    store = store.upsert(changed(r5again, fresh));
    feed.rows(changed(r5again, fresh));
    expect(scheduler.runFrames()).toBe(1);
    expect(grid.transactions.at(-1)).toEqual({ add: 1, update: 2, remove: 0 });
    expect(grid.rows.get('R5')?.v).toBe(3);
    expect(grid.rows.size).toBe(100_001);
  });

  it('compares everything after a reset (a fresh snapshot), reusing what is identical and removing what is gone', () => {
    const grid = new FakeGrid();
    const scheduler = new FakeScheduler();
    let store = rowsOf(10);
    const feed = new GridFeed<Row>(grid, () => store, scheduler);
    feed.flush();
    const same = store.get('R1')!;
    store = RowMap.from([
      ['R1', same],
      ['R2', { id: 'R2', v: 5 }],
      ['X', { id: 'X', v: 1 }],
    ]);
    // Rows of a delta that arrives before the reset is applied are covered by the full comparison.
    feed.rows(changed({ id: 'R3', v: 9 }));
    feed.reset();
    feed.flush();
    expect(grid.transactions.at(-1)).toEqual({ add: 1, update: 1, remove: 8 });
    expect([...grid.rows.keys()].sort()).toEqual(['R1', 'R2', 'X']);
  });

  it('keeps the rows of a delta that arrives while the store is not ready, and applies them when it is', () => {
    const grid = new FakeGrid();
    const scheduler = new FakeScheduler();
    let store: RowMap<Row> | null = rowsOf(2);
    const feed = new GridFeed<Row>(grid, () => store, scheduler);
    feed.flush();
    const ready = store;
    store = null;
    const r0 = { id: 'R0', v: 2 };
    feed.rows(changed(r0));
    scheduler.runFrames();
    expect(grid.rows.get('R0')?.v).toBe(1);
    store = ready!.upsert(changed(r0));
    feed.rows(new Map());
    scheduler.runFrames();
    expect(grid.rows.get('R0')?.v).toBe(2);
  });

  it('waits out the minimum interval between transactions', () => {
    const grid = new FakeGrid();
    const scheduler = new FakeScheduler();
    let store = rowsOf(1);
    const feed = new GridFeed<Row>(grid, () => store, scheduler, 250);
    feed.flush();
    const v2 = { id: 'R0', v: 2 };
    store = store.upsert(changed(v2));
    feed.rows(changed(v2));
    expect(scheduler.frames).toHaveLength(1); // the delay
    scheduler.runFrames();
    expect(grid.rows.get('R0')?.v).toBe(2);
    feed.close();
    const v3 = { id: 'R0', v: 3 };
    store = store.upsert(changed(v3));
    feed.rows(changed(v3));
    expect(scheduler.frames).toHaveLength(0);
  });
});
