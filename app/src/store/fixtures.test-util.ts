import type { OrderView } from '../../../shared/contract/views';

/** An order row for tests; override what the test is about. */
export function orderRow(overrides: Partial<OrderView> = {}): OrderView {
  return {
    orderId: 'O-1',
    clOrdId: 'C-1',
    liveClOrdId: 'C-1',
    broker: 'SIM-A',
    account: 'FUND1',
    instrumentId: 'VOD.XLON',
    assetClass: 'equity',
    symbol: 'VOD.L',
    currency: 'GBX',
    side: 'buy',
    orderType: 'limit',
    timeInForce: 'day',
    quantity: '100',
    limitPrice: '101',
    status: 'new',
    cumQty: '0',
    leavesQty: '100',
    avgPx: '0',
    createdAt: '2026-11-27T10:00:00.000Z',
    updatedAt: '2026-11-27T10:00:00.000Z',
    version: 1,
    ...overrides,
  };
}
