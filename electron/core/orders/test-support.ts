import type { ExecutionReportMessage } from '../broker/broker-port';
import type { OrderTicket } from '../../../shared/contract/ticket';

/** Builders for unit tests of the order domain: an execution report with sensible defaults. */
let execSerial = 0;

export function report(fields: Partial<ExecutionReportMessage> & Pick<ExecutionReportMessage, 'execType' | 'ordStatus' | 'clOrdId'>): ExecutionReportMessage {
  return {
    type: 'executionReport',
    execId: `E${++execSerial}`,
    cumQty: '0',
    leavesQty: '0',
    avgPx: '0',
    possDup: false,
    seqNum: execSerial,
    raw: '8=FIX.4.4|35=8|',
    ...fields,
  };
}

export const limitTicket: OrderTicket = {
  instrumentId: 'AAPL.XNAS',
  side: 'buy',
  quantity: '100',
  orderType: 'limit',
  limitPrice: '150.25',
  timeInForce: 'day',
  account: 'FUND-ALPHA',
  broker: 'SIM-A',
};
