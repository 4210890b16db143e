import { describe, expect, it } from 'vitest';
import { shippedInstrument, shippedMaster } from '../instruments/shipped-instruments.test-support';
import type { DeskEvent } from '../journal/desk-events';
import { roundTrip } from '../journal/read-model.test-support';
import { SnapshotFormatError } from '../journal/snapshot-codec';
import { Dec } from '../decimal/decimal';
import { averageCost, FLAT, trade } from './average-cost';
import type { Mark } from './marks';
import { fxRates, markOf } from './marks';
import { positionKey } from './position-key';
import type { PositionState } from './positions';
import { Positions } from './positions';
import { AT, bust, correct, fill, foldPositions, order, quote } from './positions.test-support';
import { valuePosition } from './valuation';

const USD_FUND = { fund: 'GLOBAL-MACRO', baseCurrency: 'USD' };
const EUR_FUND = { fund: 'EURO-CREDIT', baseCurrency: 'EUR' };

function position(events: readonly DeskEvent[], instrumentId: string, account = 'FUND-ALPHA'): PositionState {
  const p = foldPositions(events).positions.view.get(positionKey(account, instrumentId));
  if (p === undefined) throw new Error(`no position in ${instrumentId}`);
  return p;
}

function markAt(price: string, source: Mark['source'] = 'last'): Mark {
  return { price: new Dec(price), source, at: '2026-03-02T14:05:00.000Z', stale: false };
}

/** Rates from these spot marks only. */
function ratesFrom(marks: Record<string, string>) {
  return fxRates(shippedMaster(), (id) => (marks[id] === undefined ? undefined : markAt(marks[id])));
}

const noRates = ratesFrom({});

describe('positions by class, hand-computed', () => {
  it('a future: P&L × the multiplier (ES: 50)', () => {
    const p = position([order('F1', 'ESZ6.XCME', 'buy', '2'), fill('F1', 'E1', '2', '5000'), order('F2', 'ESZ6.XCME', 'sell', '1'), fill('F2', 'E2', '1', '5010.25')], 'ESZ6.XCME');
    const row = valuePosition(p, USD_FUND, markAt('5020'), noRates, 1);
    // realised (5010.25 − 5000) × 1 × 50; unrealised (5020 − 5000) × 1 × 50; exposure 1 × 5020 × 50
    expect(row).toMatchObject({ quantity: '1', averageCost: '5000', realised: '512.5', unrealised: '1000', pnl: '1512.5', marketValue: '251000', exposure: '251000', grossExposure: '251000', currency: 'USD', pnlBase: '1512.5' });
  });

  it('a bond: quantity is face, price is % of par', () => {
    const p = position([order('B1', 'UST.4.25.2034', 'buy', '1000000'), fill('B1', 'E1', '1000000', '98.5'), order('B2', 'UST.4.25.2034', 'sell', '400000'), fill('B2', 'E2', '400000', '99.25')], 'UST.4.25.2034');
    // mid of 99 / 99.5 = 99.25: realised 400,000 × 0.75 / 100; unrealised 600,000 × 0.75 / 100; value 600,000 × 99.25 / 100
    const row = valuePosition(p, USD_FUND, markOf(quote('UST.4.25.2034', { bid: '99', ask: '99.5' })), noRates, 1);
    expect(row).toMatchObject({ quantity: '600000', realised: '3000', unrealised: '4500', marketValue: '595500', exposure: '595500', markSource: 'mid', mark: '99.25' });
  });

  it('an FX forward: quantity in the base currency, P&L in the quote currency, exposure in both legs, then in the fund’s base', () => {
    const events = [order('X1', 'EURUSD.3M', 'buy', '3000000'), fill('X1', 'E1', '3000000', '1.085'), order('X2', 'EURUSD.3M', 'sell', '1000000'), fill('X2', 'E2', '1000000', '1.0875')];
    const p = position(events, 'EURUSD.3M');
    // realised 1,000,000 × 0.0025 USD; unrealised 2,000,000 × (1.09 − 1.085) USD
    const usd = valuePosition(p, USD_FUND, markAt('1.09'), noRates, 1);
    expect(usd).toMatchObject({ quantity: '2000000', currency: 'USD', realised: '2500', unrealised: '10000', exposure: '2000000', exposureCurrency: 'EUR', quoteLeg: '-2180000', noRate: 'no rate EUR/USD' });
    expect(usd.exposureBase).toBeUndefined();
    // In a EUR fund, with EUR/USD spot at 1.09: USD amounts ÷ 1.09 (inverse), the EUR leg as it is.
    const eur = valuePosition(p, EUR_FUND, markAt('1.09'), ratesFrom({ 'EURUSD.SPOT': '1.09' }), 1);
    expect(eur).toMatchObject({ realisedBase: '2293.57798165', unrealisedBase: '9174.31192661', pnlBase: '11467.88990826', exposureBase: '2000000' });
    expect(eur.noRate).toBeUndefined();
  });

  it('an option: premium × the multiplier (100)', () => {
    const p = position([order('O1', 'AAPL261218C200', 'buy', '10'), fill('O1', 'E1', '10', '5.2'), order('O2', 'AAPL261218C200', 'sell', '4'), fill('O2', 'E2', '4', '6')], 'AAPL261218C200');
    const row = valuePosition(p, USD_FUND, markOf(quote('AAPL261218C200', { close: '4.9' })), noRates, 1);
    expect(row).toMatchObject({ quantity: '6', realised: '320', unrealised: '-180', marketValue: '2940', exposure: '2940', markSource: 'close' });
  });

  it('a short that flips long: the closing part realises, the rest opens at the trade’s price', () => {
    const p = position([order('S1', 'AAPL.XNAS', 'sellShort', '100'), fill('S1', 'E1', '100', '150'), order('L1', 'AAPL.XNAS', 'buy', '250'), fill('L1', 'E2', '250', '145')], 'AAPL.XNAS');
    expect([p.holding.quantity.toFixed(), averageCost(p.holding)?.toFixed(), p.holding.realised.toFixed()]).toEqual(['150', '145', '500']);
    expect([p.bought.toFixed(), p.sold.toFixed()]).toEqual(['250', '100']);
  });

  it('partial closes at average cost, down to flat with nothing left over', () => {
    let h = trade(FLAT, new Dec(100), new Dec(1000));
    h = trade(h, new Dec(200), new Dec(2300)); // average 11
    h = trade(h, new Dec(-50), new Dec(-600)); // +50
    expect([h.quantity.toFixed(), h.cost.toFixed(), h.realised.toFixed()]).toEqual(['250', '2750', '50']);
    h = trade(h, new Dec(-250), new Dec(-2500)); // −250
    expect([h.quantity.toFixed(), h.cost.toFixed(), h.realised.toFixed()]).toEqual(['0', '0', '-200']);
    // An average that does not terminate: 1 @ 1 and 2 @ 2 cost 5 for 3; closing in two steps realises exactly the cash, 1.
    let g = trade(trade(FLAT, new Dec(1), new Dec(1)), new Dec(2), new Dec(4));
    g = trade(g, new Dec(-1), new Dec(-2));
    expect(g.realised.toFixed()).toBe('0.333333333333');
    g = trade(g, new Dec(-2), new Dec(-4));
    expect([g.quantity.toFixed(), g.cost.toFixed(), g.realised.toFixed()]).toEqual(['0', '0', '1']);
  });

  it('a bust takes its fill out: the position is folded again without it', () => {
    const events = [order('A', 'AAPL.XNAS', 'buy', '200'), fill('A', 'E1', '100', '10'), fill('A', 'E2', '100', '12'), order('S', 'AAPL.XNAS', 'sell', '100'), fill('S', 'E3', '100', '13')];
    expect(position(events, 'AAPL.XNAS').holding.realised.toFixed()).toBe('200'); // average 11
    const busted = position([...events, bust('A', 'E4', 'E1')], 'AAPL.XNAS');
    expect([busted.holding.quantity.toFixed(), busted.holding.realised.toFixed(), busted.bought.toFixed()]).toEqual(['0', '100', '100']);
  });

  it('a correction replaces its fill', () => {
    const p = position([order('A', 'AAPL.XNAS', 'buy', '200'), fill('A', 'E1', '100', '10'), correct('A', 'E2', 'E1', '100', '10.5')], 'AAPL.XNAS');
    expect([p.holding.quantity.toFixed(), averageCost(p.holding)?.toFixed()]).toEqual(['100', '10.5']);
  });

  it('converts to the fund’s base currency through spot, direct or inverse, and says when a rate is missing', () => {
    // Vodafone in pence: 10,000 bought at 72.50p, marked 74.00p: 150 GBP, at GBP/USD 1.25: 187.50 USD.
    const p = position([order('V', 'VOD.XLON', 'buy', '10000'), fill('V', 'E1', '10000', '72.5')], 'VOD.XLON');
    const usd = valuePosition(p, USD_FUND, markAt('74'), ratesFrom({ 'GBPUSD.SPOT': '1.25' }), 1);
    expect(usd).toMatchObject({ currency: 'GBP', unrealised: '150', marketValue: '7400', unrealisedBase: '187.5', exposureBase: '9250' });
    // In EUR through EUR/GBP 0.85 (inverse): 150 / 0.85
    expect(valuePosition(p, EUR_FUND, markAt('74'), ratesFrom({ 'EURGBP.SPOT': '0.85' }), 1)).toMatchObject({ unrealisedBase: '176.47058824' });
    // No EUR/GBP quote: crossed through USD, 150 × GBP/USD 1.25 ÷ EUR/USD 1.10 = 170.4545…; the rate's quotes and age shown.
    const crossed = valuePosition(p, EUR_FUND, markAt('74'), ratesFrom({ 'GBPUSD.SPOT': '1.25', 'EURUSD.SPOT': '1.1' }), 1);
    expect(crossed).toMatchObject({ unrealisedBase: '170.45454545', exposureBase: '8409.09090909', fxRate: '1.1363636364', fxSource: 'GBPUSD.SPOT last × 1/EURUSD.SPOT last', fxAt: '2026-03-02T14:05:00.000Z', fxStale: false });
    expect(crossed.noRate).toBeUndefined();
    const none = valuePosition(p, EUR_FUND, markAt('74'), noRates, 1);
    expect([none.fxRate, none.fxSource]).toEqual([undefined, undefined]);
    expect(none.noRate).toBe('no rate GBP/EUR');
    expect(none.pnlBase).toBeUndefined();
  });

  it('no mark: quantity and realised P&L, no value', () => {
    const p = position([order('A', 'AAPL.XNAS', 'buy', '10'), fill('A', 'E1', '10', '100')], 'AAPL.XNAS');
    const row = valuePosition(p, USD_FUND, markOf(undefined), noRates, 1);
    expect(row.mark).toBeUndefined();
    expect(row.unrealised).toBeUndefined();
    expect(row).toMatchObject({ quantity: '10', realised: '0' });
  });
});

describe('marks', () => {
  it('last, else mid, else close; with the quote’s age and staleness', () => {
    expect(markOf(quote('X', { last: '10', bid: '9', ask: '11' }))).toMatchObject({ price: new Dec(10), source: 'last' });
    expect(markOf(quote('X', { bid: '9', ask: '10', close: '8' }))).toMatchObject({ price: new Dec('9.5'), source: 'mid' });
    expect(markOf(quote('X', { bid: '9', close: '8', stale: true }))).toMatchObject({ price: new Dec(8), source: 'close', stale: true, at: '2026-03-02T14:05:00.000Z' });
    expect(markOf(quote('X', {}))).toBeUndefined();
  });
});

describe('start of day and the day’s roll', () => {
  const sod = (positions: Array<[string, string, string]>): DeskEvent => ({
    type: 'startOfDayImported',
    at: AT,
    by: 'pm',
    source: 'sod.csv',
    positions: positions.map(([instrumentId, quantity, price]) => ({ account: 'FUND-ALPHA', instrument: shippedInstrument(instrumentId), quantity, price })),
  });

  it('today’s fills count on top of the start of day; a new file replaces it', () => {
    const { positions, more } = foldPositions([sod([['AAPL.XNAS', '100', '140']]), order('A', 'AAPL.XNAS', 'buy', '50'), fill('A', 'E1', '50', '150')]);
    const p = positions.view.get(positionKey('FUND-ALPHA', 'AAPL.XNAS'));
    expect([p?.startQuantity.toFixed(), p?.holding.quantity.toFixed(), p?.bought.toFixed(), averageCost(p!.holding)?.toFixed()]).toEqual(['100', '150', '50', '143.33333333']);
    more(sod([['MSFT.XNAS', '-20', '400']]));
    expect(positions.view.quantity('FUND-ALPHA', 'AAPL.XNAS')).toBe('50');
    expect(positions.view.quantity('FUND-ALPHA', 'MSFT.XNAS')).toBe('-20');
    expect(positions.view.quantity('FUND-ALPHA', 'IBM.XNYS')).toBe('0');
  });

  it('a new day starts each position from where it stood; a late bust of yesterday’s fill reverses it today', () => {
    const { positions, more, book } = foldPositions([
      { type: 'dayStarted', at: AT, day: '2026-03-02' },
      order('A', 'AAPL.XNAS', 'buy', '100'),
      fill('A', 'E1', '60', '10'),
      fill('A', 'E2', '40', '11', 'filled'),
      order('S', 'AAPL.XNAS', 'sell', '50'),
      fill('S', 'E3', '50', '12'),
    ]);
    const key = positionKey('FUND-ALPHA', 'AAPL.XNAS');
    expect(positions.view.get(key)?.holding.realised.toFixed()).toBe('80'); // 50 × (12 − 10.4)
    more({ type: 'dayStarted', at: AT, day: '2026-03-03' });
    const rolled = positions.view.get(key);
    expect([rolled?.startQuantity.toFixed(), rolled?.holding.realised.toFixed(), rolled?.bought.toFixed(), averageCost(rolled!.holding)?.toFixed()]).toEqual(['50', '0', '0', '10.4']);
    expect(book.view.get('A')).toBeUndefined(); // A is finished: it left the book
    more(bust('A', 'E5', 'E2')); // the broker busts yesterday's 40 @ 11
    expect(positions.view.quantity('FUND-ALPHA', 'AAPL.XNAS')).toBe('10');
  });
});

describe('snapshots', () => {
  it('a snapshot holds each position as the fold left it; one without a held position’s figures is refused', () => {
    const { positions, book, day } = foldPositions([order('A', 'AAPL.XNAS', 'buy', '100'), fill('A', 'E1', '60', '10'), order('S', 'MSFT.XNAS', 'sell', '5'), fill('S', 'E2', '5', '400')]);
    const restored = new Positions(book.view, day.view.day);
    roundTrip(positions, restored);
    expect([...restored.view.all()]).toEqual([...positions.view.all()]);
    const parts = positions.capture();
    expect(() => new Positions(book.view, day.view.day).restore({ ...parts, positions: parts.positions.slice(1) })).toThrow(SnapshotFormatError);
  });
});

describe('exactness', () => {
  /** Random fills of one instrument, swinging between long and short: `orders` orders of `fills` fills each. */
  function randomFills(orders: number, fills: number) {
    const trades: Array<{ orderId: string; side: 'buy' | 'sell'; q: number; px: string }> = [];
    let quantity = 0;
    let seed = 7;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648);
    for (let o = 0; o < orders; o++) {
      const side = quantity > 5_000 || (quantity > -5_000 && next() % 2 === 0) ? 'sell' : 'buy';
      for (let f = 0; f < fills; f++) {
        const q = 1 + (next() % 97);
        trades.push({ orderId: `O${o}`, side, q, px: `${100 + (next() % 50)}.${String(next() % 100).padStart(2, '0')}` });
        quantity += side === 'buy' ? q : -q;
      }
    }
    return { trades, quantity };
  }

  it('no drift across 100,000 fills: realised − open cost is the sum of the cash to the last digit, and flat means cost 0', () => {
    const { trades, quantity } = randomFills(1_000, 100);
    let h = FLAT;
    let cash = new Dec(0);
    for (const t of trades) {
      const q = new Dec(t.side === 'buy' ? t.q : -t.q);
      h = trade(h, q, q.times(t.px));
      cash = cash.minus(q.times(t.px));
    }
    expect(h.quantity.toFixed()).toBe(String(quantity));
    expect(h.realised.minus(h.cost).toFixed()).toBe(cash.toFixed());
    const closing = new Dec(-quantity);
    const flat = trade(h, closing, closing.times('123.45'));
    expect([flat.quantity.toFixed(), flat.cost.toFixed(), flat.realised.toFixed()]).toEqual(['0', '0', cash.minus(closing.times('123.45')).toFixed()]);
  });

  it('the read model folds 10,000 fills of 100 orders to the same exact figures', () => {
    const { trades, quantity } = randomFills(100, 100);
    const events: DeskEvent[] = [];
    let h = FLAT;
    for (const [i, t] of trades.entries()) {
      if (i % 100 === 0) events.push(order(t.orderId, 'AAPL.XNAS', t.side, '100000'));
      events.push(fill(t.orderId, `X${i}`, String(t.q), t.px));
      const q = new Dec(t.side === 'buy' ? t.q : -t.q);
      h = trade(h, q, q.times(t.px));
    }
    const p = position(events, 'AAPL.XNAS');
    expect(p.holding.quantity.toFixed()).toBe(String(quantity));
    expect([p.holding.cost.toFixed(), p.holding.realised.toFixed()]).toEqual([h.cost.toFixed(), h.realised.toFixed()]);
  });
});

describe('snapshots', () => {
  it('restored from its parts, then folding the rest = folding everything', () => {
    const events = [
      { type: 'dayStarted', at: AT, day: '2026-03-02' } as DeskEvent,
      order('A', 'AAPL.XNAS', 'buy', '200'),
      fill('A', 'E1', '100', '10'),
      order('F', 'ESZ6.XCME', 'sell', '3'),
      fill('F', 'E2', '3', '5000'),
      { type: 'dayStarted', at: AT, day: '2026-03-03' } as DeskEvent,
      fill('A', 'E3', '50', '11'),
      bust('A', 'E4', 'E1'),
      fill('F', 'E5', '1', '5001'),
    ];
    for (let k = 0; k <= events.length; k++) {
      const everything = foldPositions(events);
      const running = foldPositions(events, k);
      const restored = foldPositions(events, 0);
      roundTrip(running.positions, restored.positions);
      // the others' state as the running desk had it
      roundTrip(running.book, restored.book);
      roundTrip(running.day, restored.day);
      restored.skipTo(k);
      for (let i = k; i < events.length; i++) {
        running.more();
        restored.more();
      }
      expect(restored.positions.capture()).toEqual(everything.positions.capture());
      expect([...restored.positions.view.all()]).toEqual([...everything.positions.view.all()]);
    }
  });

  it('a new read model over the book knows nothing until restored', () => {
    const p = new Positions(foldPositions([]).book.view, () => undefined);
    expect(p.view.size).toBe(0);
  });
});
