import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ICellRendererParams } from 'ag-grid-community';
import type { QuoteView } from '../../../shared/contract/market-data';
import type { LiveQuoteCellParams } from './live-quote-cell';
import { FramePainter, LiveQuoteCell } from './live-quote-cell';
import { QuoteBook } from './quote-book';

interface Row {
  readonly instrumentId: string;
}

/** A manual frame clock: frames run when the test says. */
function frames() {
  const pending: Array<() => void> = [];
  return { next: (cb: () => void) => pending.push(cb), run: () => pending.splice(0).forEach((cb) => cb()), pending };
}

const quote = (instrumentId: string, last: string, updatedAt: string, stale = false): QuoteView => ({ instrumentId, last, updatedAt, stale, source: 'test' }) as unknown as QuoteView;

describe('LiveQuoteCell', () => {
  const realDocument = (globalThis as { document?: unknown }).document;
  beforeAll(() => {
    // The cell needs one element; unit tests run without a DOM.
    (globalThis as { document?: unknown }).document = { createElement: () => ({ textContent: '', className: '' }) };
  });
  afterAll(() => {
    (globalThis as { document?: unknown }).document = realDocument;
  });

  function cell(book: QuoteBook, clock: ReturnType<typeof frames>, row: Row) {
    const painter = new FramePainter(clock.next);
    const c = new LiveQuoteCell<Row>(painter);
    const params = { data: row, instrumentOf: (r: Row) => r.instrumentId, show: (_: Row, q: QuoteView | undefined) => ({ text: q?.last ?? '—', className: q?.stale === true ? 'stale' : '' }), book } as unknown as ICellRendererParams<Row> & LiveQuoteCellParams<Row>;
    c.init(params);
    return { c, gui: c.getGui() as unknown as { textContent: string; className: string }, params };
  }

  it('shows its quote at once, then follows its instrument once per frame, whatever the rate', () => {
    const book = new QuoteBook();
    book.reset([quote('A', '1', '2026-01-01T00:00:00.000Z')]);
    const clock = frames();
    const { gui } = cell(book, clock, { instrumentId: 'A' });
    expect(gui.textContent).toBe('1');
    book.apply([quote('A', '2', '2026-01-01T00:00:01.000Z')]);
    book.apply([quote('A', '3', '2026-01-01T00:00:02.000Z', true)]);
    book.apply([quote('B', '9', '2026-01-01T00:00:02.000Z')]);
    expect(gui.textContent).toBe('1');
    expect(clock.pending).toHaveLength(1);
    clock.run();
    expect(gui).toMatchObject({ textContent: '3', className: 'live-quote stale' });
  });

  it('watches the new instrument when its row changes, and nothing after it is destroyed', () => {
    const book = new QuoteBook();
    const clock = frames();
    const { c, gui, params } = cell(book, clock, { instrumentId: 'A' });
    expect(gui.textContent).toBe('—');
    c.refresh({ ...params, data: { instrumentId: 'B' } });
    book.apply([quote('A', '5', '2026-01-01T00:00:01.000Z')]);
    expect(clock.pending).toHaveLength(0);
    book.apply([quote('B', '7', '2026-01-01T00:00:01.000Z')]);
    clock.run();
    expect(gui.textContent).toBe('7');
    c.destroy();
    book.apply([quote('B', '8', '2026-01-01T00:00:02.000Z')]);
    clock.run();
    expect(gui.textContent).toBe('7');
  });
});
