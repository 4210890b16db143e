import { describe, expect, it } from 'vitest';
import { orderRow } from '../store/fixtures.test-util';
import { alertNotice, orderNotices } from './attention-events';

describe('attention events', () => {
  const types = (before: Parameters<typeof orderNotices>[0], after: Parameters<typeof orderNotices>[1]) => orderNotices(before, after).map((n) => n.type);

  it('hears a fill when cum qty goes up, and only then', () => {
    const working = orderRow({ status: 'new', cumQty: '0', quantity: '100' });
    expect(types(working, { ...working, status: 'partiallyFilled', cumQty: '40', version: 2 })).toEqual(['fill']);
    expect(orderNotices(working, { ...working, status: 'filled', cumQty: '100', avgPx: '10.5', version: 2 })[0]?.title).toMatch(/^Filled: Buy 100 VOD\.L/);
    expect(types(working, { ...working, status: 'pendingCancel', version: 2 })).toEqual([]);
    expect(types(undefined, { ...working, cumQty: '50' })).toEqual([]); // first sight of an order: not news
  });

  it('tells a reject, and a cancel the desk did not ask for from one it did', () => {
    expect(types(orderRow({ status: 'pendingNew' }), orderRow({ status: 'rejected', text: 'no' }))).toEqual(['reject']);
    expect(types(undefined, orderRow({ status: 'rejected' }))).toEqual(['reject']);
    expect(types(orderRow({ status: 'new' }), orderRow({ status: 'canceled' }))).toEqual(['cancel']);
    expect(types(orderRow({ status: 'pendingCancel' }), orderRow({ status: 'canceled' }))).toEqual([]);
    expect(types(orderRow({ status: 'partiallyFilled', pending: { kind: 'cancel', clOrdId: 'C-2' } }), orderRow({ status: 'canceled' }))).toEqual([]);
  });

  it('passes on the desk’s warnings and errors, not its info nor the renderer’s own notices', () => {
    expect(alertNotice({ id: 'A-1', level: 'error', message: 'overfill', at: 'x', orderId: 'O-1' })).toMatchObject({ type: 'alert', title: 'Desk error', orderId: 'O-1' });
    expect(alertNotice({ id: 'A-2', level: 'info', message: 'hi', at: 'x' })).toBeUndefined();
    expect(alertNotice({ id: 'local-3', level: 'error', message: 'refused', at: 'x' })).toBeUndefined();
  });
});
