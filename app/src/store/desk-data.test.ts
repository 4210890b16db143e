import { describe, expect, it } from 'vitest';
import type { DeskStreamMessage } from '../../../shared/contract/streams';
import { ALERTS_KEPT } from '../../../shared/contract/views';
import type { DeskData } from './desk-data';
import { applyStreamMessage, applyStreamMessageTracked, emptyDeskData, MAX_EXECUTIONS } from './desk-data';
import { orderRow } from './fixtures.test-util';
import { amendRefusal, canAmend, canCancel, isOpenOrder } from './order-rules';

const snapshot = (overrides: Partial<Extract<DeskStreamMessage, { kind: 'snapshot' }>> = {}): DeskStreamMessage => ({
  kind: 'snapshot',
  orders: [],
  executions: [],
  sessions: [],
  alerts: [],
  reference: { brokers: ['SIM-A'], accounts: ['FUND1'], instruments: [] },
  ...overrides,
});

describe('applyStreamMessage', () => {
  it('loads a snapshot', () => {
    const data = applyStreamMessage(emptyDeskData, snapshot({ orders: [orderRow()] }));
    expect(data.loaded).toBe(true);
    expect(data.orders.get('O-1')?.status).toBe('new');
    expect(data.reference.brokers).toEqual(['SIM-A']);
  });

  it('upserts order deltas with a higher version', () => {
    const loaded = applyStreamMessage(emptyDeskData, snapshot({ orders: [orderRow()] }));
    const filled = applyStreamMessage(loaded, {
      kind: 'orders',
      rows: [orderRow({ version: 3, status: 'filled', cumQty: '100', leavesQty: '0' }), orderRow({ orderId: 'O-2', version: 1 })],
    });
    expect(filled.orders.get('O-1')?.status).toBe('filled');
    expect(filled.orders.size).toBe(2);
  });

  it('never replaces an order with a lower or equal version', () => {
    const loaded = applyStreamMessage(emptyDeskData, snapshot({ orders: [orderRow({ version: 5, status: 'filled' })] }));
    const stale = applyStreamMessage(loaded, { kind: 'orders', rows: [orderRow({ version: 4, status: 'new' })] });
    expect(stale).toBe(loaded);
    const same = applyStreamMessage(loaded, { kind: 'orders', rows: [orderRow({ version: 5, status: 'new' })] });
    expect(same.orders.get('O-1')?.status).toBe('filled');
  });

  it('applies the version rule inside one batch too', () => {
    const data = applyStreamMessage(emptyDeskData, {
      kind: 'orders',
      rows: [orderRow({ version: 2, status: 'partiallyFilled' }), orderRow({ version: 1, status: 'new' })],
    });
    expect(data.orders.get('O-1')?.status).toBe('partiallyFilled');
  });

  it('replaces everything on a new snapshot, reusing rows whose version did not change', () => {
    const first = applyStreamMessage(emptyDeskData, snapshot({ orders: [orderRow(), orderRow({ orderId: 'O-2' })] }));
    const kept = first.orders.get('O-1');
    const second = applyStreamMessage(first, snapshot({ orders: [orderRow(), orderRow({ orderId: 'O-3' })] }));
    expect(second.orders.get('O-1')).toBe(kept);
    expect(second.orders.has('O-2')).toBe(false);
    expect(second.orders.has('O-3')).toBe(true);
  });

  it('upserts executions and sessions by their keys', () => {
    const execution = {
      execKey: 'SIM-A:E1',
      execId: 'E1',
      orderId: 'O-1',
      clOrdId: 'C-1',
      broker: 'SIM-A',
      account: 'FUND1',
      instrumentId: 'X.XNAS',
      assetClass: 'equity' as const,
      symbol: 'VOD.L',
      currency: 'USD',
      side: 'buy' as const,
      execType: 'trade' as const,
      lastQty: '10',
      lastPx: '101',
      cumQty: '10',
      avgPx: '101',
      status: 'partiallyFilled' as const,
      receivedAt: 'x',
      state: 'active' as const,
    };
    let data = applyStreamMessage(emptyDeskData, { kind: 'executions', rows: [execution] });
    data = applyStreamMessage(data, { kind: 'executions', rows: [{ ...execution, lastPx: '101.5' }] });
    expect(data.executions.size).toBe(1);
    expect(data.executions.get('SIM-A:E1')?.lastPx).toBe('101.5');
    const session = { broker: 'SIM-A', host: 'h', port: 1, senderCompId: 's', targetCompId: 't', fixVersion: 'FIX.4.4', updatedAt: 'x' };
    data = applyStreamMessage(data, { kind: 'sessions', rows: [{ ...session, state: 'connecting' }] });
    data = applyStreamMessage(data, { kind: 'sessions', rows: [{ ...session, state: 'loggedOn' }] });
    expect(data.sessions.get('SIM-A')?.state).toBe('loggedOn');
  });

  it('keeps the market-data sessions by name, and leaves the order book alone on quotes', () => {
    const md = { name: 'MD', host: '127.0.0.1', port: 9890, senderCompId: 'D', targetCompId: 'MD', fixVersion: 'FIX.4.4', state: 'loggedOn' as const, subscriptions: 2, stale: 0, updatedAt: 'x' };
    let data = applyStreamMessage(emptyDeskData, snapshot({ marketDataSessions: [md] }));
    expect(data.marketDataSessions.get('MD')?.subscriptions).toBe(2);
    data = applyStreamMessage(data, { kind: 'marketDataSessions', rows: [{ ...md, state: 'disconnected', stale: 2 }] });
    expect(data.marketDataSessions.get('MD')).toMatchObject({ state: 'disconnected', stale: 2 });
    const quoted = applyStreamMessageTracked(data, { kind: 'quotes', rows: [{ instrumentId: 'AAPL.XNAS', bid: '1', updatedAt: 'x', source: 'MD', stale: false }] });
    expect(quoted).toEqual({ data, orders: null });
    expect(applyStreamMessage(data, snapshot()).marketDataSessions.size).toBe(0);
  });

  it('appends alerts once each, keeping the newest', () => {
    const alert = (id: string) => ({ id, level: 'info' as const, message: id, at: 'x' });
    let data = applyStreamMessage(emptyDeskData, { kind: 'alerts', rows: [alert('A1'), alert('A2')] });
    data = applyStreamMessage(data, { kind: 'alerts', rows: [alert('A2'), alert('A3')] });
    expect(data.alerts.map((a) => a.id)).toEqual(['A1', 'A2', 'A3']);
    const many = Array.from({ length: ALERTS_KEPT.info + 5 }, (_, i) => alert(`B${i}`));
    data = applyStreamMessage(data, { kind: 'alerts', rows: many });
    expect(data.alerts).toHaveLength(ALERTS_KEPT.info);
    expect(data.alerts.at(-1)?.id).toBe(`B${ALERTS_KEPT.info + 4}`);
  });

  it('updates an alert that occurred again (to the end) or was acknowledged (in place); notices never push out errors', () => {
    const alert = (id: string, level: 'error' | 'info', at: string, extra = {}) => ({ id, level, message: id, at, ...extra });
    let data = applyStreamMessage(emptyDeskData, { kind: 'alerts', rows: [alert('E1', 'error', 'a'), alert('I1', 'info', 'b')] });
    data = applyStreamMessage(data, { kind: 'alerts', rows: [alert('E1', 'error', 'c', { count: 2, firstAt: 'a' })] });
    expect(data.alerts.map((a) => [a.id, a.count])).toEqual([['I1', undefined], ['E1', 2]]);
    data = applyStreamMessage(data, { kind: 'alerts', rows: [alert('I1', 'info', 'b', { acknowledged: { by: 'jo', at: 'd' } })] });
    expect(data.alerts.map((a) => a.id)).toEqual(['I1', 'E1']);
    expect(data.alerts[0]?.acknowledged?.by).toBe('jo');
    data = applyStreamMessage(data, { kind: 'alerts', rows: Array.from({ length: ALERTS_KEPT.info * 2 }, (_, i) => alert(`N${i}`, 'info', `z${i}`)) });
    expect(data.alerts.filter((a) => a.level === 'error').map((a) => a.id)).toEqual(['E1']);
  });

  it('keeps the renderer’s own notices across a snapshot', () => {
    const withLocal = { ...emptyDeskData, alerts: [{ id: 'local-1', level: 'error' as const, message: 'refused', at: 'x' }] };
    const data = applyStreamMessage(withLocal, snapshot({ alerts: [{ id: 'A9', level: 'info', message: 'hi', at: 'y' }] }));
    expect(data.alerts.map((a) => a.id)).toEqual(['local-1', 'A9']);
  });
});

describe('order rules', () => {
  it('allows amend and cancel only where the desk would', () => {
    expect(canAmend(orderRow())).toBe(true);
    expect(canAmend(orderRow({ status: 'filled' }))).toBe(false);
    expect(canAmend(orderRow({ pending: { kind: 'replace', clOrdId: 'C-2', quantity: '5' } }))).toBe(false);
    expect(canCancel(orderRow({ status: 'pendingReplace', pending: { kind: 'replace', clOrdId: 'C-2' } }))).toBe(true);
    expect(canCancel(orderRow({ status: 'pendingCancel', pending: { kind: 'cancel', clOrdId: 'C-2' } }))).toBe(false);
    expect(canCancel(orderRow({ status: 'canceled' }))).toBe(false);
    // A cancel the broker did not answer in time: another is taken.
    expect(canCancel(orderRow({ status: 'pendingCancel', pending: { kind: 'cancel', clOrdId: 'C-2', noAnswer: true } }))).toBe(true);
    // A broker that takes no cancel/replace: no amend, and the reason says so.
    const noReplace = { cancelReplace: false, orderStatusRequest: true, massStatusRequest: true, chainedRequests: false };
    expect(canAmend(orderRow(), noReplace)).toBe(false);
    expect(amendRefusal(orderRow(), noReplace)).toMatch(/takes no amends \(no cancel\/replace\)/);
    expect(canAmend(orderRow(), { ...noReplace, cancelReplace: true })).toBe(true);
    expect(isOpenOrder(orderRow({ status: 'partiallyFilled' }))).toBe(true);
    expect(isOpenOrder(orderRow({ status: 'rejected' }))).toBe(false);
  });
});

/** The order rows a message changed, as the grids are told (sorted ids), or 'all' / null. */
function changedOrders(data: DeskData, message: DeskStreamMessage): string[] | 'all' | null {
  const { orders } = applyStreamMessageTracked(data, message);
  return orders === null || orders === 'all' ? orders : [...orders.keys()].sort();
}

describe('row maps at blotter scale', () => {
  it('keeps every version readable and tells the grids the rows each delta changed', () => {
    const rows = Array.from({ length: 5_000 }, (_, i) => orderRow({ orderId: `O-${i}` }));
    const v0 = applyStreamMessage(emptyDeskData, snapshot({ orders: rows }));
    expect(v0.openOrders).toBe(5_000);
    const v1 = applyStreamMessage(v0, { kind: 'orders', rows: [orderRow({ orderId: 'O-7', version: 2, status: 'filled' }), orderRow({ orderId: 'N-1' })] });
    const v2 = applyStreamMessage(v1, { kind: 'orders', rows: [orderRow({ orderId: 'O-8', version: 2, status: 'partiallyFilled' })] });
    expect(v0.orders.get('O-7')?.status).toBe('new');
    expect(v1.orders.get('O-7')?.status).toBe('filled');
    expect(v2.orders.get('O-8')?.status).toBe('partiallyFilled');
    expect([v0.orders.size, v1.orders.size, v2.orders.size]).toEqual([5_000, 5_001, 5_001]);
    expect([v1.openOrders, v2.openOrders]).toEqual([5_000, 5_000]);
    expect([...v2.orders.keys()].slice(-2)).toEqual(['O-4999', 'N-1']);
    expect(changedOrders(v0, { kind: 'orders', rows: [orderRow({ orderId: 'O-7', version: 2, status: 'filled' }), orderRow({ orderId: 'N-1' })] })).toEqual(['N-1', 'O-7']);
    // A stale version is not a change.
    expect(changedOrders(v2, { kind: 'orders', rows: [orderRow({ orderId: 'O-8', version: 1 })] })).toBeNull();
    expect(changedOrders(v2, { kind: 'sessions', rows: [] })).toBeNull();
    expect(changedOrders(v2, snapshot({ orders: rows }))).toBe('all');
  });

  it('folds many deltas into a new base', () => {
    let data = applyStreamMessage(emptyDeskData, snapshot({ orders: Array.from({ length: 100 }, (_, i) => orderRow({ orderId: `O-${i}` })) }));
    const start = data.orders;
    for (let i = 0; i < 3_000; i++) data = applyStreamMessage(data, { kind: 'orders', rows: [orderRow({ orderId: `X-${i}` })] });
    expect(data.orders.size).toBe(3_100);
    expect(start.size).toBe(100);
    expect(data.orders.get('X-2999')?.orderId).toBe('X-2999');
    expect(data.openOrders).toBe(3_100);
  });
});

describe('a snapshot in parts', () => {
  const base = { sessions: [], alerts: [], reference: { brokers: [], accounts: [], instruments: [] } };

  it('is loaded once its last part arrived, reusing unchanged rows from before it', () => {
    const kept = orderRow({ orderId: 'O-2', version: 4 });
    const before = applyStreamMessage(emptyDeskData, { kind: 'snapshot', orders: [orderRow({ orderId: 'O-1' }), kept], executions: [], ...base });
    let data = applyStreamMessage(before, { kind: 'snapshot', orders: [orderRow({ orderId: 'O-1', version: 2 })], executions: [], ...base, parts: 2 });
    expect(data.snapshotParts).toBe(2);
    expect(changedOrders(data, { kind: 'orders', rows: [orderRow({ orderId: 'O-2', version: 4 })] })).toBeNull();
    data = applyStreamMessage(data, { kind: 'orders', rows: [orderRow({ orderId: 'O-2', version: 4 })] });
    expect(data.snapshotParts).toBe(1);
    expect(changedOrders(data, { kind: 'executions', rows: [] })).toBe('all');
    expect(data.orders.get('O-2')).toBe(kept);
    data = applyStreamMessage(data, { kind: 'executions', rows: [] });
    expect(data.snapshotParts).toBe(0);
    expect(data.loaded).toBe(true);
    expect(data.ordersBeforeSnapshot).toBeUndefined();
    expect(data.orders.size).toBe(2);
    // After the parts, an empty batch changes nothing again.
    expect(applyStreamMessage(data, { kind: 'executions', rows: [] })).toBe(data);
  });
});

describe('executions', () => {
  const execution = (i: number) => ({
    execKey: `B:E${i}`,
    execId: `E${i}`,
    orderId: 'O-1',
    clOrdId: 'C-1',
    broker: 'B',
    account: 'A',
    instrumentId: 'X.XNAS',
    assetClass: 'equity' as const,
    symbol: 'S',
    currency: 'USD',
    side: 'buy' as const,
    execType: 'trade' as const,
    lastQty: '1',
    lastPx: '1',
    cumQty: String(i),
    avgPx: '1',
    status: 'partiallyFilled' as const,
    receivedAt: 'x',
    state: 'active' as const,
  });

  it(`keeps the latest ${MAX_EXECUTIONS} by arrival`, () => {
    let data = applyStreamMessage(emptyDeskData, { kind: 'executions', rows: Array.from({ length: MAX_EXECUTIONS - 2 }, (_, i) => execution(i)) });
    const full = data.executions;
    data = applyStreamMessage(data, { kind: 'executions', rows: [execution(MAX_EXECUTIONS - 2), execution(MAX_EXECUTIONS - 1), execution(MAX_EXECUTIONS), execution(MAX_EXECUTIONS + 1)] });
    expect(data.executions.size).toBe(MAX_EXECUTIONS);
    expect(data.executions.has('B:E0')).toBe(false);
    expect(data.executions.has('B:E1')).toBe(false);
    expect(data.executions.has('B:E2')).toBe(true);
    expect([...data.executions.keys()].at(-1)).toBe(`B:E${MAX_EXECUTIONS + 1}`);
    expect(full.size).toBe(MAX_EXECUTIONS - 2);
  });

  it('keeps only the latest of a large snapshot', () => {
    const data = applyStreamMessage(emptyDeskData, {
      kind: 'snapshot',
      orders: [],
      executions: Array.from({ length: MAX_EXECUTIONS + 10 }, (_, i) => execution(i)),
      sessions: [],
      alerts: [],
      reference: { brokers: [], accounts: [], instruments: [] },
    });
    expect(data.executions.size).toBe(MAX_EXECUTIONS);
    expect(data.executions.has('B:E9')).toBe(false);
    expect(data.executions.has('B:E10')).toBe(true);
  });
});
