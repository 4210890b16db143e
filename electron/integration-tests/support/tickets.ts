import type { OrderTicket } from '../../../shared/contract/ticket';

/** A resting limit buy of 100 AAPL at 150 for FUND-ALPHA at SIM-A (below the simulator's 190): what a test changes, it overrides. */
export function restingTicket(overrides: Partial<OrderTicket> = {}): OrderTicket {
  return { instrumentId: 'AAPL.XNAS', side: 'buy', quantity: '100', orderType: 'limit', limitPrice: '150', timeInForce: 'day', account: 'FUND-ALPHA', broker: 'SIM-A', ...overrides };
}
