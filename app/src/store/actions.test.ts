import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommandName } from '../../../shared/contract/commands';
import type { DeskApi } from '../../../shared/contract/desk-api';
import { ok } from '../../../shared/contract/result';
import { applyDeskMessage, confirmCancelOrders, openAmend, requestCancelOrders, setDeskApi, setSelectedOrderIds } from './actions';
import { deskStore, resetDeskStore } from './desk-store';
import { orderRow } from './fixtures.test-util';
import { selectCancelableSelectedIds, selectOpenOrderCount } from './selectors';

const calls: Array<{ command: CommandName; params: unknown }> = [];
const fakeApi: DeskApi = {
  call: (command, params) => {
    calls.push({ command, params });
    if (command === 'cancelOrders') {
      const ids = (params as { orderIds: string[] }).orderIds;
      return Promise.resolve(ok({ results: ids.map((orderId) => ({ orderId, result: ok({ orderId, clOrdId: 'X' }) })) })) as never;
    }
    return Promise.resolve(ok({ orderId: 'O-1', clOrdId: 'X' })) as never;
  },
  subscribe: () => () => undefined,
};

function load() {
  applyDeskMessage({
    kind: 'snapshot',
    orders: [orderRow({ orderId: 'O-1' }), orderRow({ orderId: 'O-2' }), orderRow({ orderId: 'O-3', status: 'filled' })],
    executions: [],
    sessions: [],
    alerts: [],
    reference: { brokers: [], accounts: [], instruments: [] },
  });
}

describe('actions', () => {
  beforeEach(() => {
    resetDeskStore();
    calls.length = 0;
    setDeskApi(fakeApi);
    load();
  });
  afterEach(() => setDeskApi(null));

  it('counts open orders and cancelable selections', () => {
    setSelectedOrderIds(['O-1', 'O-3']);
    expect(selectOpenOrderCount(deskStore.getState())).toBe(2);
    expect(selectCancelableSelectedIds(deskStore.getState())).toEqual(['O-1']);
  });

  it('cancels one order at once, but asks before cancelling several', async () => {
    requestCancelOrders(['O-1', 'O-3']);
    await Promise.resolve();
    expect(calls).toEqual([{ command: 'cancelOrder', params: { orderId: 'O-1' } }]);
    requestCancelOrders(['O-1', 'O-2', 'O-3']);
    expect(deskStore.getState().confirmCancelIds).toEqual(['O-1', 'O-2']);
    await confirmCancelOrders();
    expect(calls.at(-1)).toEqual({ command: 'cancelOrders', params: { orderIds: ['O-1', 'O-2'] } });
    expect(deskStore.getState().confirmCancelIds).toBeNull();
  });

  it('does not open the amend dialog for a terminal order', () => {
    openAmend('O-3');
    expect(deskStore.getState().amendOrderId).toBeNull();
    expect(deskStore.getState().data.alerts.at(-1)?.level).toBe('warning');
    openAmend('O-1');
    expect(deskStore.getState().amendOrderId).toBe('O-1');
  });

  it('prunes the selection when a snapshot drops orders, and resets', () => {
    setSelectedOrderIds(['O-1', 'O-2']);
    applyDeskMessage({
      kind: 'snapshot',
      orders: [orderRow({ orderId: 'O-2' })],
      executions: [],
      sessions: [],
      alerts: [],
      reference: { brokers: [], accounts: [], instruments: [] },
    });
    expect(deskStore.getState().selectedOrderIds).toEqual(['O-2']);
    resetDeskStore();
    expect(deskStore.getState().data.orders.size).toBe(0);
  });
});
