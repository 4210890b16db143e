import { describe, expect, it } from 'vitest';
import { parseFixText } from '../core/fix/fix-text';
import { decodeRequest, encodeReport } from './sim-fix-mapping';

const decode = (text: string) => decodeRequest(parseFixText(text).get(35)!, parseFixText(text));

describe('decodeRequest', () => {
  it('reads a NewOrderSingle with exact decimals', () => {
    expect(decode('35=D|11=C1|1=F|55=AAPL|54=5|38=100.50|40=4|44=10.25|99=10.5|59=6|432=20261231')).toEqual({
      kind: 'new',
      request: {
        clOrdId: 'C1',
        account: 'F',
        symbol: 'AAPL',
        side: 'sellShort',
        orderType: 'stopLimit',
        quantity: '100.50',
        limitPrice: '10.25',
        stopPrice: '10.5',
        timeInForce: 'gtd',
        expireDate: '20261231',
      },
    });
  });

  it('takes a missing TimeInForce as day, and reads cancel, replace, status', () => {
    expect(decode('35=D|11=C1|55=AAPL|54=1|38=1|40=1')).toMatchObject({ kind: 'new', request: { timeInForce: 'day' } });
    expect(decode('35=F|11=C2|41=C1|37=O1|55=AAPL|54=1|38=1')).toEqual({
      kind: 'cancel',
      request: { clOrdId: 'C2', origClOrdId: 'C1', orderId: 'O1', symbol: 'AAPL', side: 'buy' },
    });
    expect(decode('35=G|11=C3|41=C2|55=AAPL|54=1|38=2|40=2|44=1')).toMatchObject({ kind: 'replace', request: { origClOrdId: 'C2', quantity: '2' } });
    expect(decode('35=H|11=C3|55=AAPL|54=2')).toEqual({ kind: 'status', request: { clOrdId: 'C3', symbol: 'AAPL', side: 'sell' } });
  });

  it('says what is unreadable', () => {
    expect(decode('35=D|55=AAPL|54=9|40=Z|59=2')).toEqual({
      kind: 'unreadable',
      as: 'new',
      ids: { clOrdId: 'NONE', symbol: 'AAPL' },
      text: "ClOrdID (11) is missing; Side (54) '9' is not supported; OrdType (40) 'Z' is not supported; TimeInForce (59) '2' is not supported; OrderQty (38) is missing",
    });
    expect(decode('35=F|11=C2|55=AAPL|54=1')).toMatchObject({ kind: 'unreadable', as: 'cancel', text: 'OrigClOrdID (41) is missing' });
    expect(decode('35=AE|11=C2')).toEqual({ kind: 'unsupported', msgType: 'AE' });
  });
});

describe('encodeReport', () => {
  const at = new Date('2026-11-27T10:00:00Z');
  it('writes an execution report with FIX codes and exact decimals', () => {
    const { msgType, fields } = encodeReport(
      {
        kind: 'execution',
        execId: 'E1',
        execType: 'trade',
        ordStatus: 'partiallyFilled',
        orderId: 'O1',
        clOrdId: 'C1',
        symbol: 'AAPL',
        side: 'buy',
        orderType: 'limit',
        timeInForce: 'day',
        orderQty: '100',
        limitPrice: '101',
        lastQty: '25',
        lastPx: '100.015',
        cumQty: '25',
        leavesQty: '75',
        avgPx: '100.015',
      },
      at,
    );
    expect(msgType).toBe('8');
    expect(fields).toEqual({
      OrderID: 'O1',
      ClOrdID: 'C1',
      ExecID: 'E1',
      ExecType: 'F',
      OrdStatus: '1',
      Instrument: { Symbol: 'AAPL' },
      Side: '1',
      OrderQtyData: { OrderQty: '100' },
      OrdType: '2',
      Price: '101',
      TimeInForce: '0',
      LastQty: '25',
      LastPx: '100.015',
      LeavesQty: '75',
      CumQty: '25',
      AvgPx: '100.015',
      TransactTime: at,
    });
  });

  it('writes a cancel reject', () => {
    expect(
      encodeReport(
        { kind: 'cancelReject', orderId: 'O1', clOrdId: 'C2', origClOrdId: 'C1', ordStatus: 'filled', responseTo: 'replace', reason: 'tooLateToCancel', text: 'too late' },
        at,
      ),
    ).toEqual({
      msgType: '9',
      fields: { OrderID: 'O1', ClOrdID: 'C2', OrigClOrdID: 'C1', OrdStatus: '2', TransactTime: at, CxlRejResponseTo: '2', CxlRejReason: '0', Text: 'too late' },
    });
  });
});

describe('encodeReport per FIX version', () => {
  const trade = {
    kind: 'execution',
    execId: 'E1',
    execType: 'trade',
    ordStatus: 'filled',
    orderId: 'O1',
    clOrdId: 'C1',
    symbol: 'AAPL',
    orderQty: '100',
    lastQty: '100',
    lastPx: '1.5',
    cumQty: '100',
    leavesQty: '0',
    avgPx: '1.5',
  } as const;
  const at = new Date('2026-11-27T10:00:00Z');

  it('FIX 4.2: ExecTransType 0 with ExecType 2 (fill); a bust is ExecTransType 1 with its ExecRefID', () => {
    expect(encodeReport(trade, at, 'FIX.4.2').fields).toMatchObject({ ExecTransType: '0', ExecType: '2', Symbol: 'AAPL', OrderQty: '100', LastShares: '100' });
    expect(encodeReport({ ...trade, execType: 'tradeCancel', execRefId: 'E0', cumQty: '0' }, at, 'FIX.4.2').fields).toMatchObject({ ExecTransType: '1', ExecType: '1', ExecRefID: 'E0' });
    expect(encodeReport({ ...trade, execType: 'orderStatus' }, at, 'FIX.4.2').fields).toMatchObject({ ExecTransType: '3', ExecType: '2' });
  });

  it('FIX 4.4 and 5.0SP2: ExecType F and components', () => {
    for (const v of ['FIX.4.4', 'FIX.5.0SP2'] as const) {
      const { fields } = encodeReport({ ...trade, execRestatementReason: '1' }, at, v);
      expect(fields).toMatchObject({ ExecType: 'F', Instrument: { Symbol: 'AAPL' }, OrderQtyData: { OrderQty: '100' }, LastQty: '100', ExecRestatementReason: '1' });
      expect(fields).not.toHaveProperty('ExecTransType');
    }
  });
});
