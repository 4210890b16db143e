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

describe('GridFeed', () => {
  it('applies only what changed, once per frame, whatever the number of messages', () => {
    const grid = new FakeGrid();
    const scheduler = new FakeScheduler();
    let store: RowMap<Row> | null = null;
    const feed = new GridFeed<Row>(grid, () => store, scheduler);
    feed.notify();
    expect(scheduler.frames).toHaveLength(0); // not ready: nothing to do
    store = rowsOf(100_000);
    feed.notify();
    feed.notify();
    expect(scheduler.runFrames()).toBe(1);
    expect(grid.transactions).toEqual([{ add: 100_000, update: 0, remove: 0 }]);
    store = store.upsert([
      ['R5', { id: 'R5', v: 2 }],
      ['R6', { id: 'R6', v: 2 }],
    ]);
    feed.notify();
    store = store.upsert([['R5', { id: 'R5', v: 3 }]]).remove(['R7']).upsert([['NEW', { id: 'NEW', v: 1 }]]);
    feed.notify();
    expect(scheduler.runFrames()).toBe(1);
    expect(grid.transactions.at(-1)).toEqual({ add: 1, update: 2, remove: 1 });
    expect(grid.rows.get('R5')?.v).toBe(3);
    expect(grid.rows.has('R7')).toBe(false);
    expect(grid.rows.size).toBe(100_000);
  });

  it('compares everything when the store starts a new lineage (a fresh snapshot), reusing what is identical', () => {
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
    feed.flush();
    expect(grid.transactions.at(-1)).toEqual({ add: 1, update: 1, remove: 8 });
    expect([...grid.rows.keys()].sort()).toEqual(['R1', 'R2', 'X']);
  });

  it('waits out the minimum interval between transactions', () => {
    const grid = new FakeGrid();
    const scheduler = new FakeScheduler();
    let store = rowsOf(1);
    const feed = new GridFeed<Row>(grid, () => store, scheduler, 250);
    feed.flush();
    store = store.upsert([['R0', { id: 'R0', v: 2 }]]);
    feed.notify();
    expect(scheduler.frames).toHaveLength(1); // the delay
    scheduler.runFrames();
    expect(grid.rows.get('R0')?.v).toBe(2);
    feed.close();
    store = store.upsert([['R0', { id: 'R0', v: 3 }]]);
    feed.notify();
    expect(scheduler.frames).toHaveLength(0);
  });
});
