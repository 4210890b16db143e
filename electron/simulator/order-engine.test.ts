import { describe, expect, it } from 'vitest';
import { Dec } from './sim-decimal';
import { OrderEngine, sliceQuantity } from './order-engine';
import type { ExecutionReport, NewOrderRequest, Report } from './order-engine';
import type { FillSettings } from './simulator-config';

function setup(fills: Partial<FillSettings> = {}, prices: Record<string, string> = { AAPL: '100', THIN: '50' }, now?: () => number) {
  const market = new Map(Object.entries(prices).map(([s, p]) => [s, new Dec(p)]));
  const liquidity: Record<string, string> = { AAPL: '1000000', THIN: '30' };
  let execs = 0;
  let orders = 0;
  const engine = new OrderEngine({
    quote: (symbol) => {
      const price = market.get(symbol);
      return price && { price, liquidity: new Dec(liquidity[symbol] ?? '1000000') };
    },
    nextOrderId: () => `O${++orders}`,
    nextExecId: () => `E${++execs}`,
    fills: { enabled: true, intervalMs: 10, fraction: 0.25, ...fills },
    ...(now !== undefined && { now }),
  });
  return { engine, setPrice: (symbol: string, price: string) => market.set(symbol, new Dec(price)) };
}

const order = (overrides: Partial<NewOrderRequest> = {}): NewOrderRequest => ({
  clOrdId: 'C1',
  account: 'FUND',
  symbol: 'AAPL',
  instrument: 'AAPL',
  side: 'buy',
  orderType: 'limit',
  quantity: '100',
  limitPrice: '101',
  timeInForce: 'day',
  ...overrides,
});

const summary = (reports: Report[]) =>
  reports.map((r) => (r.kind === 'execution' ? [r.execType, r.ordStatus, r.cumQty, r.leavesQty, r.lastQty ?? '-'] : ['cancelReject', r.reason, r.text]));

function fillAll(engine: OrderEngine, rounds = 20): ExecutionReport[] {
  const out: ExecutionReport[] = [];
  for (let i = 0; i < rounds; i++) out.push(...(engine.fillRound() as ExecutionReport[]));
  return out;
}

describe('OrderEngine: new orders', () => {
  it('acknowledges, then fills a marketable limit in slices up to Filled at the market price', () => {
    const { engine } = setup();
    expect(summary(engine.newOrder(order()))).toEqual([['new', 'new', '0', '100', '-']]);
    const fills = fillAll(engine);
    expect(summary(fills)).toEqual([
      ['trade', 'partiallyFilled', '25', '75', '25'],
      ['trade', 'partiallyFilled', '50', '50', '25'],
      ['trade', 'partiallyFilled', '75', '25', '25'],
      ['trade', 'filled', '100', '0', '25'],
    ]);
    expect(fills.every((f) => f.lastPx === '100' && f.orderId === 'O1')).toBe(true);
    expect(fills.at(-1)?.avgPx).toBe('100');
  });

  it('averages exactly (rounded half-even to 8 places) across prices', () => {
    const { engine, setPrice } = setup({ fraction: 0.5 });
    engine.newOrder(order({ quantity: '3', limitPrice: '200' }));
    setPrice('AAPL', '10.01');
    engine.fillRound(); // 1 (half of 3 rounded down)
    setPrice('AAPL', '10.02');
    engine.fillRound(); // 1
    setPrice('AAPL', '10.02');
    const last = engine.fillRound() as ExecutionReport[];
    expect(last[0]).toMatchObject({ cumQty: '3', ordStatus: 'filled', avgPx: '10.01666667' });
  });

  it('rests a limit the price has not reached, and fills it when the price crosses', () => {
    const { engine, setPrice } = setup();
    engine.newOrder(order({ side: 'sell', limitPrice: '105' }));
    expect(fillAll(engine, 3)).toEqual([]);
    setPrice('AAPL', '106.5');
    const fills = fillAll(engine, 1);
    expect(fills[0]).toMatchObject({ lastPx: '106.5', lastQty: '25' });
  });

  it('never fills a buy limit above its limit or a sell below it', () => {
    const { engine, setPrice } = setup();
    engine.newOrder(order({ clOrdId: 'B', side: 'buy', limitPrice: '99' }));
    engine.newOrder(order({ clOrdId: 'S', side: 'sell', limitPrice: '101' }));
    for (const p of ['99.5', '100', '100.99', '99.01']) {
      setPrice('AAPL', p);
      expect(engine.fillRound()).toEqual([]);
    }
  });

  it('triggers a buy stop when the price reaches it, then fills at market', () => {
    const { engine, setPrice } = setup();
    engine.newOrder(order({ orderType: 'stop', limitPrice: undefined, stopPrice: '102' }));
    expect(fillAll(engine, 2)).toEqual([]);
    setPrice('AAPL', '102.5');
    expect(fillAll(engine, 1)[0]).toMatchObject({ lastPx: '102.5' });
  });

  it('a sell stop-limit triggers at the stop, then works as a limit', () => {
    const { engine, setPrice } = setup();
    engine.newOrder(order({ side: 'sell', orderType: 'stopLimit', stopPrice: '98', limitPrice: '97.5' }));
    setPrice('AAPL', '97');
    // Triggered (97 <= 98) but below the 97.5 limit: nothing yet.
    expect(fillAll(engine, 1)).toEqual([]);
    setPrice('AAPL', '97.6');
    expect(fillAll(engine, 1)[0]).toMatchObject({ lastPx: '97.6' });
  });

  it('IOC fills what is available now and cancels the rest; FOK fills all or is killed', () => {
    const { engine } = setup();
    expect(summary(engine.newOrder(order({ symbol: 'THIN', instrument: 'THIN', timeInForce: 'ioc', limitPrice: '60' })))).toEqual([
      ['new', 'new', '0', '100', '-'],
      ['trade', 'partiallyFilled', '30', '70', '30'],
      ['canceled', 'canceled', '30', '0', '-'],
    ]);
    expect(summary(engine.newOrder(order({ clOrdId: 'C2', symbol: 'THIN', instrument: 'THIN', timeInForce: 'fok', limitPrice: '60' })))).toEqual([
      ['new', 'new', '0', '100', '-'],
      ['canceled', 'canceled', '0', '0', '-'],
    ]);
    expect(summary(engine.newOrder(order({ clOrdId: 'C3', symbol: 'THIN', instrument: 'THIN', timeInForce: 'fok', limitPrice: '60', quantity: '30' })))).toEqual([
      ['new', 'new', '0', '30', '-'],
      ['trade', 'filled', '30', '0', '30'],
    ]);
    expect(summary(engine.newOrder(order({ clOrdId: 'C4', timeInForce: 'ioc', limitPrice: '90' })))).toEqual([
      ['new', 'new', '0', '100', '-'],
      ['canceled', 'canceled', '0', '0', '-'],
    ]);
  });

  it('does not fill when fills are off', () => {
    const { engine } = setup({ enabled: false });
    engine.newOrder(order());
    expect(fillAll(engine, 3)).toEqual([]);
  });

  it.each([
    [{ symbol: 'NOPE', instrument: 'NOPE' }, 'unknownSymbol', 'unknown symbol: no instrument NOPE'],
    [{ symbol: 'NOPE', instrument: undefined, instrumentProblem: 'no instrument NOPE (CS)' }, 'unknownSymbol', 'unknown symbol: no instrument NOPE (CS)'],
    [{ quantity: '0' }, 'incorrectQuantity', 'quantity must be positive, got 0'],
    [{ quantity: '-5' }, 'incorrectQuantity', 'quantity must be positive, got -5'],
    [{ quantity: 'lots' }, 'incorrectQuantity', "quantity 'lots' is not a number"],
    [{ limitPrice: undefined }, 'other', 'limit price (44) is required for a limit order'],
    [{ orderType: 'stop' as const, limitPrice: undefined }, 'other', 'stop price (99) is required for a stop order'],
    [{ timeInForce: 'gtd' as const }, 'other', 'expire date (432) is required for a GTD order'],
  ])('rejects %j: %s', (overrides, reason, text) => {
    const { engine } = setup();
    const [report] = engine.newOrder(order(overrides));
    expect(report).toMatchObject({ execType: 'rejected', ordStatus: 'rejected', ordRejReason: reason, text, orderId: 'NONE' });
  });

  it('rejects a duplicate ClOrdID', () => {
    const { engine } = setup();
    engine.newOrder(order());
    expect(engine.newOrder(order())[0]).toMatchObject({ execType: 'rejected', ordRejReason: 'duplicateOrder', text: 'duplicate ClOrdID C1' });
    expect(engine.received).toEqual(['C1', 'C1']);
  });
});

describe('OrderEngine: cancel, replace, status', () => {
  it('cancels: PendingCancel then Canceled, under the new ClOrdID', () => {
    const { engine } = setup();
    engine.newOrder(order({ limitPrice: '90' }));
    const reports = engine.cancel({ clOrdId: 'X1', origClOrdId: 'C1' });
    expect(reports.map((r) => r.kind === 'execution' && [r.execType, r.ordStatus, r.clOrdId, r.origClOrdId, r.leavesQty])).toEqual([
      ['pendingCancel', 'pendingCancel', 'X1', 'C1', '100'],
      ['canceled', 'canceled', 'X1', 'C1', '0'],
    ]);
    expect(fillAll(engine, 2)).toEqual([]);
  });

  it('refuses to cancel a filled or unknown order, or under a ClOrdID already used', () => {
    const { engine } = setup();
    engine.newOrder(order({ quantity: '1' }));
    fillAll(engine, 1);
    expect(engine.cancel({ clOrdId: 'X1', origClOrdId: 'C1' })[0]).toMatchObject({
      kind: 'cancelReject',
      responseTo: 'cancel',
      reason: 'tooLateToCancel',
      ordStatus: 'filled',
      orderId: 'O1',
      text: 'too late to cancel: order is filled',
    });
    expect(engine.cancel({ clOrdId: 'X2', origClOrdId: 'NOPE' })[0]).toMatchObject({ reason: 'unknownOrder', orderId: 'NONE', text: 'unknown order NOPE' });
    engine.newOrder(order({ clOrdId: 'C2', limitPrice: '1' }));
    expect(engine.cancel({ clOrdId: 'C1', origClOrdId: 'C2' })[0]).toMatchObject({ reason: 'duplicateClOrdId' });
  });

  it('replaces: PendingReplace then Replaced with the new terms, keeping what was filled', () => {
    const { engine } = setup();
    engine.newOrder(order({ quantity: '100' }));
    engine.fillRound(); // 25 filled
    const reports = engine.replace({ ...order({ clOrdId: 'R1', quantity: '40', limitPrice: '1' }), origClOrdId: 'C1' }) as ExecutionReport[];
    expect(reports.map((r) => [r.execType, r.ordStatus, r.clOrdId, r.origClOrdId])).toEqual([
      ['pendingReplace', 'pendingReplace', 'R1', 'C1'],
      ['replaced', 'partiallyFilled', 'R1', 'C1'],
    ]);
    expect(reports[1]).toMatchObject({ orderQty: '40', limitPrice: '1', cumQty: '25', leavesQty: '15' });
    expect(fillAll(engine, 2)).toEqual([]); // 1 is far below the market
    expect(engine.status({ clOrdId: 'R1' })[0]).toMatchObject({ execType: 'orderStatus', ordStatus: 'partiallyFilled', clOrdId: 'R1', leavesQty: '15' });
  });

  it('a replace down to the executed quantity fills the order', () => {
    const { engine } = setup();
    engine.newOrder(order());
    engine.fillRound();
    const reports = engine.replace({ ...order({ clOrdId: 'R1', quantity: '25' }), origClOrdId: 'C1' }) as ExecutionReport[];
    expect(reports[1]).toMatchObject({ execType: 'replaced', ordStatus: 'filled', leavesQty: '0' });
  });

  it('refuses a replace below the executed quantity, of a done order, or changing side or symbol', () => {
    const { engine } = setup();
    engine.newOrder(order());
    engine.fillRound();
    expect(engine.replace({ ...order({ clOrdId: 'R1', quantity: '20' }), origClOrdId: 'C1' })[0]).toMatchObject({
      kind: 'cancelReject',
      responseTo: 'replace',
      text: 'new quantity 20 is below the executed quantity 25',
    });
    expect(engine.replace({ ...order({ clOrdId: 'R2', side: 'sell' }), origClOrdId: 'C1' })[0]).toMatchObject({ text: 'cannot change the side of an order (buy to sell)' });
    engine.cancel({ clOrdId: 'X', origClOrdId: 'C1' });
    expect(engine.replace({ ...order({ clOrdId: 'R3' }), origClOrdId: 'X' })[0]).toMatchObject({ reason: 'tooLateToCancel', text: 'too late to replace: order is canceled' });
  });

  it('answers a status request for an unknown order with OrdStatus rejected', () => {
    const { engine } = setup();
    expect(engine.status({ clOrdId: 'NOPE', symbol: 'AAPL', side: 'buy' })[0]).toMatchObject({
      execType: 'orderStatus',
      ordStatus: 'rejected',
      orderId: 'NONE',
      text: 'unknown order',
    });
  });

  it('gives every report a new ExecID', () => {
    const { engine } = setup();
    const reports = [...engine.newOrder(order()), ...fillAll(engine), ...engine.status({ clOrdId: 'C1' })] as ExecutionReport[];
    const ids = reports.map((r) => r.execId);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('sliceQuantity', () => {
  it('rounds down to the quantity decimals, at least one unit of them', () => {
    expect(sliceQuantity(new Dec('100'), 0.25).toFixed()).toBe('25');
    expect(sliceQuantity(new Dec('10'), 0.25).toFixed()).toBe('2');
    expect(sliceQuantity(new Dec('1'), 0.25).toFixed()).toBe('1');
    expect(sliceQuantity(new Dec('1.5'), 0.25).toFixed()).toBe('0.3');
    expect(sliceQuantity(new Dec('0.01'), 0.1).toFixed()).toBe('0.01');
  });
});

describe("OrderEngine: the broker's own algos", () => {
  it('works an algo order in slices of its share, whatever the broker-wide fill fraction', () => {
    const { engine } = setup({ fraction: 1 });
    engine.newOrder(order({ algo: { strategy: 'SIM-VWAP', sliceFraction: 0.2 } }));
    expect(fillAll(engine).map((f) => f.lastQty)).toEqual(['20', '20', '20', '20', '20']);
  });

  it('rejects an order whose algo the broker refuses, with Unsupported order characteristic (11) and the reason', () => {
    const { engine } = setup();
    const [reject] = engine.newOrder(order({ algo: { refused: 'Unknown strategy 847=9' } })) as ExecutionReport[];
    expect(reject).toMatchObject({ execType: 'rejected', ordStatus: 'rejected', ordRejReason: 'unsupportedOrderCharacteristic', text: 'Unknown strategy 847=9' });
  });

  it('keeps the strategy across a replace that restates it, and refuses one that drops or changes it', () => {
    const { engine } = setup({ enabled: false });
    engine.newOrder(order({ algo: { strategy: 'SIM-POV', sliceFraction: 0.1 } }));
    const dropped = engine.replace({ ...order({ clOrdId: 'C2', quantity: '200' }), origClOrdId: 'C1' });
    expect(summary(dropped)).toEqual([['cancelReject', 'other', 'cannot change the strategy of an order (SIM-POV to none)']]);
    const restated = engine.replace({ ...order({ clOrdId: 'C3', quantity: '200', algo: { strategy: 'SIM-POV', sliceFraction: 0.5 } }), origClOrdId: 'C1' });
    expect(summary(restated).map((r) => r[0])).toEqual(['pendingReplace', 'replaced']);
  });
});

describe("OrderEngine: a broker algo's StartTime and EndTime", () => {
  const T = Date.parse('2026-12-07T14:30:00Z');
  /** An engine on a clock the test moves; fill rounds every second. */
  function windowed() {
    let now = T;
    const { engine, setPrice } = setup({ fraction: 1, intervalMs: 1_000 }, undefined, () => now);
    return { engine, setPrice, at: (ms: number) => (now = ms), round: () => engine.fillRound(now) as ExecutionReport[] };
  }

  it('does nothing before its StartTime, then spreads the order evenly to its EndTime, done by the last round', () => {
    const w = windowed();
    w.engine.newOrder(order({ quantity: '100', algo: { strategy: 'SIM-VWAP', sliceFraction: 1, startMs: T + 10_000, endMs: T + 20_000 } }));
    const fills: Array<[number, string]> = [];
    for (let s = 0; s < 25; s++) {
      w.at(T + s * 1_000);
      for (const r of w.round()) fills.push([s, r.lastQty ?? r.execType]);
    }
    expect(fills.map(([s]) => s)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    expect(fills.map(([, q]) => q)).toEqual(Array(10).fill('10'));
  });

  it('cancels what is not done at its EndTime, saying why', () => {
    const w = windowed();
    w.engine.newOrder(order({ quantity: '100', limitPrice: '100', algo: { strategy: 'SIM-POV', sliceFraction: 0.1, endMs: T + 3_000 } }));
    w.at(T);
    expect(w.round().map((r) => r.lastQty)).toEqual(['10']);
    w.setPrice('AAPL', '120'); // not marketable any more: nothing fills
    w.at(T + 1_000);
    expect(w.round()).toEqual([]);
    w.at(T + 3_000);
    const [end] = w.round();
    expect(end).toMatchObject({ execType: 'canceled', ordStatus: 'canceled', cumQty: '10', leavesQty: '0', text: 'SIM-POV EndTime reached: 90 not done, cancelled' });
    w.at(T + 4_000);
    expect(w.round()).toEqual([]);
  });

  it('refuses an order whose EndTime has passed', () => {
    const w = windowed();
    const [reject] = w.engine.newOrder(order({ algo: { strategy: 'SIM-VWAP', sliceFraction: 0.25, endMs: T } })) as ExecutionReport[];
    expect(reject).toMatchObject({ execType: 'rejected', ordStatus: 'rejected', text: 'SIM-VWAP EndTime 2026-12-07T14:30:00.000Z has passed' });
  });
});
