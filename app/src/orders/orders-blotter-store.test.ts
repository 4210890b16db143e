import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeskApi } from '../../../shared/contract/desk-api';
import type { OrderSearchRequest } from '../../../shared/contract/order-search';
import { ok } from '../../../shared/contract/result';
import { setDeskApi } from '../store/actions';
import { deskStore, resetDeskStore } from '../store/desk-store';
import { orderRow } from '../store/fixtures.test-util';
import { loadMoreOrders, localMidnight, setOrdersView, showJournalOrders, showLiveOrders } from './orders-blotter-store';

let requests: OrderSearchRequest[] = [];
let answers: Array<() => void> = [];
const fakeApi: DeskApi = {
  subscribe: () => () => undefined,
  call: (_command, params) => {
    const request = params as OrderSearchRequest;
    requests.push(request);
    const page = request.cursor === undefined ? 1 : 2;
    const orders = [orderRow({ orderId: `P${page}-A` }), orderRow({ orderId: `P${page}-B` })];
    return new Promise((resolve) => answers.push(() => resolve(ok({ orders, ...(page === 1 && { nextCursor: 'next' }) }) as never)));
  },
};
const results = () => deskStore.getState().ordersBlotter.results;
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('orders of any day', () => {
  beforeEach(() => {
    resetDeskStore();
    requests = [];
    answers = [];
    setDeskApi(fakeApi);
  });
  afterEach(() => setDeskApi(null));

  it('asks the journal for the local days chosen, the view and the text, then the next page', async () => {
    setOrdersView('rejected');
    const search = showJournalOrders({ from: '2026-03-02', to: '2026-03-04', text: ' AAPL ' });
    expect(requests[0]).toEqual({ view: 'rejected', limit: 200, text: 'AAPL', from: localMidnight('2026-03-02', 0), to: localMidnight('2026-03-04', 1) });
    expect(new Date(requests[0]!.from!).getDate()).toBe(2);
    expect(new Date(requests[0]!.to!).getDate()).toBe(5);
    answers.shift()!();
    await search;
    expect(results().rows.map((o) => o.orderId)).toEqual(['P1-A', 'P1-B']);
    const more = loadMoreOrders();
    expect(requests[1]?.cursor).toBe('next');
    answers.shift()!();
    await more;
    expect(results().rows.map((o) => o.orderId)).toEqual(['P1-A', 'P1-B', 'P2-A', 'P2-B']);
    expect(results().nextCursor).toBeUndefined();
  });

  it('drops an answer to a search replaced meanwhile, or left for the live blotter', async () => {
    void showJournalOrders({ from: '2026-03-01', to: '2026-03-01', text: 'first' });
    void showJournalOrders({ from: '2026-03-01', to: '2026-03-01', text: 'second' });
    answers[1]!();
    await settle();
    const second = results().requestId;
    answers[0]!();
    await settle();
    expect(results().requestId).toBe(second);
    void showJournalOrders({ from: '2026-03-01', to: '2026-03-01', text: 'third' });
    showLiveOrders();
    answers[2]!();
    await settle();
    expect(deskStore.getState().ordersBlotter.scope.kind).toBe('live');
    expect(results().rows).toEqual([]);
  });

  it('takes no day for a malformed date', () => {
    expect(localMidnight('', 0)).toBeUndefined();
    expect(localMidnight('2026-3-2', 0)).toBeUndefined();
  });
});
