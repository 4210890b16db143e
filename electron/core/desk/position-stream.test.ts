import { describe, expect, it } from 'vitest';
import type { QuoteView } from '../../../shared/contract/market-data';
import type { PositionRow } from '../../../shared/contract/positions';
import { shippedMaster } from '../instruments/shipped-instruments.test-support';
import type { DeskEvent } from '../journal/desk-events';
import { fill, foldPositions, order, quote } from '../positions/positions.test-support';
import type { TimerHandle } from '../time/clock';
import { TestClock } from '../time/test-clock';
import { PositionStream, REVALUE_MS } from './position-stream';

const USD_NAMES = ['AAPL.XNAS', 'MSFT.XNAS', 'NVDA.XNAS', 'AMZN.XNAS', 'GOOGL.XNAS', 'META.XNAS', 'TSLA.XNAS', 'JPM.XNYS', 'IBM.XNYS', 'KO.XNYS', 'SPY.ARCX'];
const funds = [
  { name: 'MACRO', baseCurrency: 'USD', accounts: ['FUND-ALPHA'] },
  { name: 'EURO', baseCurrency: 'EUR', accounts: ['FUND-EURO'] },
];

/** A clock that notes, for each timer it runs, how many rows were published inside it. */
class CountingClock extends TestClock {
  readonly perTimer: number[] = [];
  /** Runs once after the next timer (what another task of the event loop would do between slices). */
  between: (() => void) | undefined;
  constructor(private readonly published: () => number) {
    super('2026-03-02T14:05:00.000Z');
  }
  override setTimeout(fn: () => void, ms: number): TimerHandle {
    return super.setTimeout(() => {
      const before = this.published();
      fn();
      this.perTimer.push(this.published() - before);
      const between = this.between;
      this.between = undefined;
      between?.();
    }, ms);
  }
}

function setup(slice: number) {
  const events: DeskEvent[] = [order('A', 'AAPL.XNAS', 'buy', '10'), fill('A', 'A1', '10', '100')];
  // The EUR fund holds eleven USD names and a JPY one: a move of EUR/USD re-values all twelve (the yen one crossed through USD).
  for (const [n, id] of [...USD_NAMES, '7203.XTKS'].entries()) events.push(order(`E${n}`, id, 'buy', '10', 'FUND-EURO'), fill(`E${n}`, `E${n}-1`, '10', '100'));
  const folded = foldPositions(events);
  const quotes = new Map<string, QuoteView>();
  for (const id of [...USD_NAMES, '7203.XTKS']) quotes.set(id, quote(id, { last: '101' }));
  quotes.set('EURUSD.SPOT', quote('EURUSD.SPOT', { last: '1.25' }));
  quotes.set('USDJPY.SPOT', quote('USDJPY.SPOT', { last: '150' }));
  const published: PositionRow[] = [];
  const clock = new CountingClock(() => published.length);
  const held: string[] = [];
  const stream = new PositionStream(folded.positions.view, funds, shippedMaster(), { quote: (id) => quotes.get(id), hold: (_h, ids) => (held.push(...ids), []), holdExactly: () => undefined }, clock, (r) => published.push(r), slice);
  stream.changed([...folded.positions.view.all()].map((p) => p.key));
  published.length = 0;
  return { stream, published, clock, quotes, held, folded };
}

describe('the position stream’s revaluation', () => {
  it('follows the spots of every route to the fund’s base (the yen in EUR: USD/JPY and EUR/USD)', () => {
    const { held } = setup(5);
    expect(held).toEqual(expect.arrayContaining(['7203.XTKS', 'USDJPY.SPOT', 'EURUSD.SPOT']));
    expect(held).not.toContain('GBPUSD.SPOT');
  });

  it('a moved FX spot re-values only the positions converted through it, a slice per event-loop turn', () => {
    const { stream, published, clock, quotes } = setup(5);
    quotes.set('EURUSD.SPOT', quote('EURUSD.SPOT', { last: '1.1' }));
    stream.quoteMoved('EURUSD.SPOT');
    clock.advance(REVALUE_MS);
    // 12 positions of the EUR fund in slices of 5; AAPL in the USD fund is not touched.
    expect(clock.perTimer).toEqual([5, 5, 2]);
    expect(published.map((r) => r.key).sort()).toEqual([...USD_NAMES, '7203.XTKS'].map((id) => `FUND-EURO|${id}`).sort());
    // Hand-computed: 10 × 101 USD at 1/1.1 = 918.18181818 EUR; 10 × 101 JPY at 1/(150 × 1.1) = 6.12121212 EUR.
    const eur = (id: string) => published.find((r) => r.key === `FUND-EURO|${id}`);
    expect([eur('AAPL.XNAS')?.exposureBase, eur('AAPL.XNAS')?.fxSource]).toEqual(['918.18181818', '1/EURUSD.SPOT last']);
    expect([eur('7203.XTKS')?.exposureBase, eur('7203.XTKS')?.fxSource]).toEqual(['6.12121212', '1/USDJPY.SPOT last × 1/EURUSD.SPOT last']);
  });

  it('quotes that move during a revaluation wait for the next one; a fill publishes at once between slices', () => {
    const { stream, published, clock, quotes, folded } = setup(5);
    stream.quoteMoved('EURUSD.SPOT');
    // After the first slice, before the second: AAPL's quote moves and AAPL is bought again in the USD fund.
    clock.between = () => {
      quotes.set('AAPL.XNAS', quote('AAPL.XNAS', { last: '102' }));
      stream.quoteMoved('AAPL.XNAS');
      folded.more(order('B', 'AAPL.XNAS', 'buy', '5'));
      folded.more(fill('B', 'B1', '5', '102'));
      stream.changed(['FUND-ALPHA|AAPL.XNAS']);
    };
    clock.advance(REVALUE_MS);
    expect(clock.perTimer).toEqual([5, 5, 2]);
    expect(published).toHaveLength(13);
    expect(published[5]).toMatchObject({ key: 'FUND-ALPHA|AAPL.XNAS', quantity: '15' });
    published.length = 0;
    clock.advance(REVALUE_MS);
    // The next revaluation: AAPL's positions in both funds, valued at 102.
    expect(published.map((r) => [r.key, r.mark]).sort()).toEqual([
      ['FUND-ALPHA|AAPL.XNAS', '102'],
      ['FUND-EURO|AAPL.XNAS', '102'],
    ]);
  });

  it('stop cancels a revaluation under way', () => {
    const { stream, published, clock } = setup(5);
    stream.quoteMoved('EURUSD.SPOT');
    clock.advance(REVALUE_MS - 1);
    stream.stop();
    clock.advance(REVALUE_MS);
    expect(published).toHaveLength(0);
  });
});
