import { describe, expect, it } from 'vitest';
import { tagName } from '../core/fix/fix-field-names';
import { parseFixText } from '../core/fix/fix-text';
import type { FixField } from '../core/fix/fix-wire';
import { fixTimestamp } from '../core/fix/fix-wire';
import { decodeRequest, encodeReport } from './sim-fix-mapping';

const named = (fields: readonly FixField[]) => fields.map(([tag, value]) => [tagName(tag), value] as const);

const decode = (text: string) => decodeRequest(parseFixText(text).get(35)!, parseFixText(text));

describe('decodeRequest', () => {
  it('reads a NewOrderSingle with exact decimals', () => {
    expect(decode('35=D|11=C1|1=F|55=AAPL|54=5|38=100.50|40=4|44=10.25|99=10.5|59=6|432=20261231')).toEqual({
      kind: 'new',
      request: {
        clOrdId: 'C1',
        account: 'F',
        symbol: 'AAPL',
        instrument: 'AAPL',
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
    expect(decode('35=H|11=C3|790=OS-1|55=AAPL|54=2')).toEqual({ kind: 'status', request: { clOrdId: 'C3', ordStatusReqId: 'OS-1', symbol: 'AAPL', side: 'sell' } });
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
    expect(named(fields)).toEqual([
      ['OrderID', 'O1'],
      ['ClOrdID', 'C1'],
      ['ExecID', 'E1'],
      ['ExecType', 'F'],
      ['OrdStatus', '1'],
      ['Symbol', 'AAPL'],
      ['Side', '1'],
      ['OrderQty', '100'],
      ['OrdType', '2'],
      ['Price', '101'],
      ['TimeInForce', '0'],
      ['LastQty', '25'],
      ['LastPx', '100.015'],
      ['LeavesQty', '75'],
      ['CumQty', '25'],
      ['AvgPx', '100.015'],
      ['TransactTime', fixTimestamp(at)],
    ]);
  });

  it('writes a cancel reject', () => {
    const reject = encodeReport(
      { kind: 'cancelReject', orderId: 'O1', clOrdId: 'C2', origClOrdId: 'C1', ordStatus: 'filled', responseTo: 'replace', reason: 'tooLateToCancel', text: 'too late' },
      at,
    );
    expect(reject.msgType).toBe('9');
    expect(named(reject.fields)).toEqual([
      ['OrderID', 'O1'],
      ['ClOrdID', 'C2'],
      ['OrigClOrdID', 'C1'],
      ['OrdStatus', '2'],
      ['TransactTime', fixTimestamp(at)],
      ['CxlRejResponseTo', '2'],
      ['CxlRejReason', '0'],
      ['Text', 'too late'],
    ]);
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
    const fill = named(encodeReport(trade, at, 'FIX.4.2').fields);
    expect(fill.slice(2, 5)).toEqual([
      ['ExecID', 'E1'],
      ['ExecTransType', '0'],
      ['ExecType', '2'],
    ]);
    expect(Object.fromEntries(fill)).toMatchObject({ Symbol: 'AAPL', OrderQty: '100', LastQty: '100' }); // LastQty (32) is 4.2's LastShares
    expect(Object.fromEntries(named(encodeReport({ ...trade, execType: 'tradeCancel', execRefId: 'E0', cumQty: '0' }, at, 'FIX.4.2').fields))).toMatchObject({ ExecTransType: '1', ExecType: '1', ExecRefID: 'E0' });
    expect(Object.fromEntries(named(encodeReport({ ...trade, execType: 'orderStatus' }, at, 'FIX.4.2').fields))).toMatchObject({ ExecTransType: '3', ExecType: '2' });
  });

  it('echoes an OrdStatusReqID (790) on the answer to a status request', () => {
    const fields = Object.fromEntries(named(encodeReport({ ...trade, execType: 'orderStatus', ordStatusReqId: 'OS-1' }, at, 'FIX.4.4').fields));
    expect(fields).toMatchObject({ ExecType: 'I', OrdStatusReqID: 'OS-1' });
  });

  it('FIX 4.4 and 5.0SP2: ExecType F, no ExecTransType', () => {
    for (const v of ['FIX.4.4', 'FIX.5.0SP2'] as const) {
      const fields = Object.fromEntries(named(encodeReport({ ...trade, execRestatementReason: '1' }, at, v).fields));
      expect(fields).toMatchObject({ ExecType: 'F', Symbol: 'AAPL', OrderQty: '100', LastQty: '100', ExecRestatementReason: '1' });
      expect(fields).not.toHaveProperty('ExecTransType');
    }
  });
});
