import { describe, expect, it } from 'vitest';
import { orderRow } from '../store/fixtures.test-util';
import { reticketOf, reverseOf } from '../store/order-rules';
import { OrdersFilter, quickFilterWords } from './orders-filter';

describe('OrdersFilter', () => {
  const rows = [
    orderRow({ orderId: 'W', status: 'partiallyFilled' }),
    orderRow({ orderId: 'F', status: 'filled' }),
    orderRow({ orderId: 'R', status: 'rejected', text: 'Unknown symbol' }),
    orderRow({ orderId: 'U', status: 'new', uncertain: { reason: 'the session dropped', since: 'x' } }),
    orderRow({ orderId: 'D', status: 'pendingNew', adopted: true }),
    orderRow({ orderId: 'X', status: 'doneForDay' }),
  ];
  const ids = (filter: OrdersFilter) => rows.filter((r) => filter.passes(r)).map((r) => r.orderId);

  it('shows each view its orders', () => {
    expect(ids(new OrdersFilter('working', [], new Set()))).toEqual(['W', 'U', 'D']);
    expect(ids(new OrdersFilter('done', [], new Set()))).toEqual(['F', 'R', 'X']);
    expect(ids(new OrdersFilter('rejected', [], new Set()))).toEqual(['R']);
    expect(ids(new OrdersFilter('attention', [], new Set(['F'])))).toEqual(['F', 'U', 'D']);
    expect(ids(new OrdersFilter('all', [], new Set()))).toHaveLength(rows.length);
    expect(new OrdersFilter('all', [], new Set()).present).toBe(false);
  });

  it('quick-filters on every text column, every word, case-insensitively', () => {
    const some = [orderRow({ orderId: 'A1', symbol: 'AAPL', account: 'FUND-ALPHA' }), orderRow({ orderId: 'B2', symbol: 'MSFT', side: 'sellShort', text: 'Price away' })];
    const match = (text: string) => some.filter((r) => new OrdersFilter('all', quickFilterWords(text), new Set()).passes(r)).map((r) => r.orderId);
    expect(match('aapl')).toEqual(['A1']);
    expect(match('short sell')).toEqual(['B2']);
    expect(match('msft away')).toEqual(['B2']);
    expect(match('msft alpha')).toEqual([]);
    expect(match('  ')).toEqual(['A1', 'B2']);
    expect(match('limit')).toEqual(['A1', 'B2']);
  });
});

describe('re-ticket and reverse', () => {
  it('re-tickets the same order: instrument, side, quantity, type, prices, account, broker', () => {
    const order = orderRow({ instrumentId: 'MSFT.XNAS', symbol: 'MSFT', side: 'sell', quantity: '250', orderType: 'stopLimit', limitPrice: '401.5', stopPrice: '402', timeInForce: 'gtd', expireDate: '2026-03-20', account: 'FUND-B', broker: 'SIM-B' });
    expect(reticketOf(order)).toEqual({ instrumentId: 'MSFT.XNAS', side: 'sell', quantity: '250', orderType: 'stopLimit', limitPrice: '401.5', stopPrice: '402', timeInForce: 'gtd', expireDate: '2026-03-20', account: 'FUND-B', broker: 'SIM-B' });
  });

  it('reverses what filled, at the average price; an unfilled order at its own limit; a short sale is bought back', () => {
    expect(reverseOf(orderRow({ side: 'buy', quantity: '300', cumQty: '120.5', avgPx: '190.25', limitPrice: '191' }))).toMatchObject({ side: 'sell', quantity: '120.5', orderType: 'limit', limitPrice: '190.25', timeInForce: 'day' });
    expect(reverseOf(orderRow({ side: 'sellShort', quantity: '40', cumQty: '0', avgPx: '0', limitPrice: '12' }))).toMatchObject({ side: 'buy', quantity: '40', orderType: 'limit', limitPrice: '12' });
    expect(reverseOf(orderRow({ side: 'sell', orderType: 'market', limitPrice: undefined, quantity: '10', cumQty: '0', avgPx: '0' }))).toMatchObject({ side: 'buy', orderType: 'market' });
    expect(reverseOf(orderRow({ side: 'sell', orderType: 'market', limitPrice: undefined, quantity: '10', cumQty: '0', avgPx: '0' })).limitPrice).toBeUndefined();
  });
});
