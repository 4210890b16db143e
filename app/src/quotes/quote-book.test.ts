import { describe, expect, it, vi } from 'vitest';
import type { QuoteView } from '../../../shared/contract/market-data';
import { QuoteBook } from './quote-book';

const quote = (instrumentId: string, last: string, updatedAt: string): QuoteView => ({ instrumentId, last, updatedAt, source: 'MD', stale: false });

describe('QuoteBook', () => {
  it('tells each watcher of its own instrument only, and grids of each batch', () => {
    const book = new QuoteBook();
    const aapl = vi.fn();
    const es = vi.fn();
    const batches: string[][] = [];
    book.watch('AAPL.XNAS', aapl);
    book.watch('ESZ6.XCME', es);
    book.onBatch((changed) => batches.push([...changed.keys()]));
    book.apply([quote('AAPL.XNAS', '190', '2026-12-07T10:00:00.000Z')]);
    expect(aapl).toHaveBeenCalledTimes(1);
    expect(es).not.toHaveBeenCalled();
    expect(batches).toEqual([['AAPL.XNAS']]);
    expect(book.get('AAPL.XNAS')?.last).toBe('190');
  });

  it('never lets an older quote replace a newer one', () => {
    const book = new QuoteBook();
    book.apply([quote('AAPL.XNAS', '191', '2026-12-07T10:00:01.000Z')]);
    const listener = vi.fn();
    book.onBatch(listener);
    book.apply([quote('AAPL.XNAS', '190', '2026-12-07T10:00:00.000Z')]);
    expect(book.get('AAPL.XNAS')?.last).toBe('191');
    expect(listener).not.toHaveBeenCalled();
  });

  it('a snapshot replaces everything and wakes the watchers of instruments it dropped', () => {
    const book = new QuoteBook();
    book.apply([quote('AAPL.XNAS', '191', '2026-12-07T10:00:01.000Z')]);
    const aapl = vi.fn();
    book.watch('AAPL.XNAS', aapl);
    book.reset([quote('MSFT.XNAS', '420', '2026-12-07T10:00:02.000Z')]);
    expect(book.get('AAPL.XNAS')).toBeUndefined();
    expect(aapl).toHaveBeenCalledTimes(1);
    expect(book.size).toBe(1);
  });
});
