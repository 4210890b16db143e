import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeskApi } from '../../../shared/contract/desk-api';
import { fail, ok } from '../../../shared/contract/result';
import type { OrderView } from '../../../shared/contract/views';
import { applyDeskMessage, openContextMenu, setConnectionStatus, setDeskApi } from '../store/actions';
import { deskStore, resetDeskStore } from '../store/desk-store';
import { orderRow } from '../store/fixtures.test-util';
import { closeOrderHistory, openOrderHistory, refreshOrderHistory } from './history-store';

const historyOf = () => deskStore.getState().history;

const settle = () => new Promise((r) => setTimeout(r, 0));

let calls: string[] = [];
let answer: 'ok' | 'fail' = 'ok';
const fakeApi: DeskApi = {
  subscribe: () => () => undefined,
  call: (command, params) => {
    const orderId = (params as { orderId: string }).orderId;
    calls.push(`${command}:${orderId}`);
    const order = deskStore.getState().data.orders.get(orderId) ?? orderRow({ orderId });
    const entries = [{ seq: order.version, at: order.updatedAt, event: 'executionReceived', summary: `v${order.version}`, statusAfter: order.status }];
    return Promise.resolve(answer === 'ok' ? ok({ order, entries }) : fail('UNKNOWN_ORDER', `no order ${orderId}`)) as never;
  },
};

function upsert(row: OrderView) {
  applyDeskMessage({ kind: 'orders', rows: [row] });
}

describe('order history state', () => {
  beforeEach(() => {
    resetDeskStore();
    calls = [];
    answer = 'ok';
    setDeskApi(fakeApi);
    applyDeskMessage({
      kind: 'snapshot',
      orders: [orderRow({ orderId: 'O-1' }), orderRow({ orderId: 'O-2' })],
      executions: [],
      sessions: [],
      alerts: [],
      reference: { brokers: [], accounts: [], instruments: [] },
    });
  });
  afterEach(() => {
    closeOrderHistory();
    setDeskApi(null);
  });

  it('opens on one order, closes the context menu, and loads its history', async () => {
    openContextMenu({ orderId: 'O-1', x: 0, y: 0 });
    openOrderHistory('O-1');
    expect(deskStore.getState().contextMenu).toBeNull();
    expect(historyOf()).toMatchObject({ orderId: 'O-1', loading: true });
    await settle();
    expect(calls).toEqual(['getOrderHistory:O-1']);
    expect(historyOf()).toMatchObject({ loading: false, error: null });
    expect(historyOf().history?.entries[0]?.summary).toBe('v1');
  });

  it("asks again when the order's row gets a new version, and not for other orders", async () => {
    openOrderHistory('O-1');
    await settle();
    upsert(orderRow({ orderId: 'O-2', version: 2 }));
    await settle();
    expect(calls).toHaveLength(1);
    upsert(orderRow({ orderId: 'O-1', version: 2, status: 'partiallyFilled' }));
    upsert(orderRow({ orderId: 'O-1', version: 3, status: 'filled' }));
    await settle();
    await settle();
    expect(calls).toEqual(['getOrderHistory:O-1', 'getOrderHistory:O-1', 'getOrderHistory:O-1']);
    expect(historyOf().history?.order.status).toBe('filled');
  });

  it('stops listening once closed, and drops an answer that arrives after', async () => {
    openOrderHistory('O-1');
    closeOrderHistory();
    await settle();
    expect(historyOf().history).toBeNull();
    upsert(orderRow({ orderId: 'O-1', version: 2 }));
    await settle();
    expect(calls).toEqual(['getOrderHistory:O-1']);
  });

  it('keeps the last answer and shows the error when a refresh fails, and retries on request', async () => {
    openOrderHistory('O-1');
    await settle();
    answer = 'fail';
    upsert(orderRow({ orderId: 'O-1', version: 2 }));
    await settle();
    expect(historyOf()).toMatchObject({ error: 'no order O-1', loading: false });
    expect(historyOf().history?.entries[0]?.summary).toBe('v1');
    answer = 'ok';
    refreshOrderHistory();
    await settle();
    expect(historyOf()).toMatchObject({ error: null });
    expect(historyOf().history?.entries[0]?.summary).toBe('v2');
  });

  it('asks again after the connection to the desk comes back', async () => {
    setConnectionStatus({ state: 'connected', transport: 'websocket' });
    openOrderHistory('O-1');
    await settle();
    setConnectionStatus({ state: 'reconnecting', transport: 'websocket' });
    await settle();
    expect(calls).toHaveLength(1);
    setConnectionStatus({ state: 'connected', transport: 'websocket' });
    await settle();
    expect(calls).toHaveLength(2);
  });

  it('switches to another order without mixing their answers', async () => {
    openOrderHistory('O-1');
    openOrderHistory('O-2');
    await settle();
    expect(historyOf().orderId).toBe('O-2');
    expect(historyOf().history?.order.orderId).toBe('O-2');
  });
});
