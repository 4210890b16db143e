import type { QuoteView } from '../../../shared/contract/market-data';
import type { Side } from '../../../shared/domain/order-types';
import { shippedInstrument } from '../instruments/shipped-instruments.test-support';
import type { DeskEvent } from '../journal/desk-events';
import { OrderBook } from '../orders/order-book';
import { report } from '../orders/test-support';
import { TradingDayState } from '../desk/trading-day-state';
import { Positions } from './positions';

/** Builders for the positions' tests: orders of any shipped instrument, their fills and busts. */

export const AT = '2026-03-02T14:00:00.000Z';

export function order(orderId: string, instrumentId: string, side: Side, quantity: string, account = 'FUND-ALPHA', tradeDate = '2026-03-02'): DeskEvent {
  return {
    type: 'orderSubmitted',
    at: AT,
    orderId,
    clOrdId: orderId,
    ticket: { instrumentId, side, quantity, orderType: 'market', timeInForce: 'day', account, broker: 'SIM-A' },
    instrument: shippedInstrument(instrumentId),
    tradeDate,
  };
}

/** A fill; cumQty and avgPx are beside the point for positions (they count the fills themselves). */
export function fill(orderId: string, execId: string, lastQty: string, lastPx: string, ordStatus: 'partiallyFilled' | 'filled' = 'partiallyFilled'): DeskEvent {
  return {
    type: 'executionReceived',
    at: AT,
    orderId,
    broker: 'SIM-A',
    report: report({ execId, execType: 'trade', ordStatus, clOrdId: orderId, lastQty, lastPx, cumQty: lastQty, leavesQty: ordStatus === 'filled' ? '0' : '1', avgPx: lastPx }),
  };
}

export function bust(orderId: string, execId: string, execRefId: string): DeskEvent {
  return {
    type: 'executionReceived',
    at: AT,
    orderId,
    broker: 'SIM-A',
    report: report({ execId, execType: 'tradeCancel', ordStatus: 'partiallyFilled', clOrdId: orderId, execRefId, cumQty: '0', leavesQty: '1', avgPx: '0' }),
  };
}

export function correct(orderId: string, execId: string, execRefId: string, lastQty: string, lastPx: string): DeskEvent {
  return {
    type: 'executionReceived',
    at: AT,
    orderId,
    broker: 'SIM-A',
    report: report({ execId, execType: 'tradeCorrect', ordStatus: 'partiallyFilled', clOrdId: orderId, execRefId, lastQty, lastPx, cumQty: lastQty, leavesQty: '1', avgPx: lastPx }),
  };
}

export interface Folded {
  readonly book: OrderBook;
  readonly day: TradingDayState;
  readonly positions: Positions;
  /** Folds the next event (appended to the stream when past its end). */
  more(e?: DeskEvent): void;
  /** Continues after `seq` events (a restored fold). */
  skipTo(seq: number): void;
}

/** The read models positions need, folded as the desk's registry folds them, the first `upTo` events of the stream (an order of an earlier day read back from it). */
export function foldPositions(events: readonly DeskEvent[], upTo = events.length): Folded {
  const all = [...events];
  const book = new OrderBook((orderId, beforeSeq) => all.slice(0, beforeSeq - 1).filter((e) => 'orderId' in e && e.orderId === orderId));
  const day = new TradingDayState();
  const positions = new Positions(book.view, day.view.day);
  let seq = 0;
  const more = (e?: DeskEvent) => {
    if (e !== undefined && seq >= all.length) all.push(e);
    const event = all[seq] as DeskEvent;
    seq++;
    book.apply(event, seq);
    day.apply(event);
    positions.apply(event);
  };
  for (let i = 0; i < upTo; i++) more();
  return { book, day, positions, more, skipTo: (n) => (seq = n) };
}

export function quote(instrumentId: string, fields: Partial<QuoteView>): QuoteView {
  return { instrumentId, updatedAt: '2026-03-02T14:05:00.000Z', source: 'SIM-MD', stale: false, ...fields };
}
