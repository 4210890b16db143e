import { describe, expect, it } from 'vitest';
import type { QuoteView } from '../../../shared/contract/market-data';
import type { FeedScheduler } from '../grid/grid-feed';
import { QuoteBook } from './quote-book';
import { QuoteColumnsRefresher } from './quote-columns';

interface Row {
  readonly orderId: string;
  readonly instrumentId: string;
}

function harness(rendered: Row[]) {
  let now = 0;
  const frames: Array<() => void> = [];
  const delays: Array<{ at: number; run: () => void }> = [];
  const scheduler: FeedScheduler = {
    frame: (cb) => {
      frames.push(cb);
      return () => frames.splice(frames.indexOf(cb), 1);
    },
    delay: (cb, ms) => {
      const d = { at: now + ms, run: cb };
      delays.push(d);
      return () => delays.splice(delays.indexOf(d), 1);
    },
    now: () => now,
  };
  const refreshes: Array<{ rows: string[]; columns: string[] }> = [];
  const api = {
    isDestroyed: () => false,
    getRenderedNodes: () => rendered.map((data) => ({ data })),
    refreshCells: (p: { rowNodes?: Array<{ data?: Row }>; columns?: string[] }) => refreshes.push({ rows: (p.rowNodes ?? []).map((n) => n.data!.orderId), columns: p.columns ?? [] }),
  };
  const book = new QuoteBook();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const refresher = new QuoteColumnsRefresher<Row>(api as any, (r) => r.instrumentId, ['last', 'limitDistance'], book, scheduler, 250);
  const advance = (ms: number) => {
    now += ms;
    const due = delays.filter((x) => x.at <= now);
    for (const d of due) {
      delays.splice(delays.indexOf(d), 1);
      d.run();
    }
  };
  const frame = () => frames.splice(0).forEach((f) => f());
  return { book, refreshes, advance, frame, refresher };
}

const q = (instrumentId: string, last: string, ms: number): QuoteView => ({ instrumentId, last, updatedAt: new Date(ms).toISOString(), source: 'MD', stale: false });

describe('QuoteColumnsRefresher', () => {
  it('refreshes only the quote columns of rows on screen whose instrument changed', () => {
    const h = harness([
      { orderId: 'O-1', instrumentId: 'AAPL.XNAS' },
      { orderId: 'O-2', instrumentId: 'ESZ6.XCME' },
      { orderId: 'O-3', instrumentId: 'AAPL.XNAS' },
    ]);
    h.book.apply([q('AAPL.XNAS', '190', 1)]);
    h.frame();
    expect(h.refreshes).toEqual([{ rows: ['O-1', 'O-3'], columns: ['last', 'limitDistance'] }]);
  });

  it('conflates: at most one refresh per interval, however many quotes arrive', () => {
    const h = harness([{ orderId: 'O-1', instrumentId: 'AAPL.XNAS' }]);
    h.book.apply([q('AAPL.XNAS', '190', 1)]);
    h.frame();
    for (let i = 2; i < 100; i++) h.book.apply([q('AAPL.XNAS', String(190 + i), i)]);
    h.frame();
    expect(h.refreshes).toHaveLength(1);
    h.advance(249);
    h.frame();
    expect(h.refreshes).toHaveLength(1);
    h.advance(1);
    h.frame();
    expect(h.refreshes).toHaveLength(2);
  });

  it('a fresh snapshot refreshes every row on screen; closed, it refreshes nothing', () => {
    const h = harness([{ orderId: 'O-1', instrumentId: 'AAPL.XNAS' }]);
    h.book.reset([q('MSFT.XNAS', '420', 1)]);
    h.frame();
    expect(h.refreshes).toEqual([{ rows: ['O-1'], columns: ['last', 'limitDistance'] }]);
    h.refresher.close();
    h.advance(1000);
    h.book.apply([q('AAPL.XNAS', '1', 5)]);
    h.frame();
    expect(h.refreshes).toHaveLength(1);
  });
});
