import { describe, expect, it } from 'vitest';
import type { CancelMessage, NewOrderMessage, ReplaceMessage, StatusRequestMessage } from '../broker/broker-port';
import { mapOutbound } from './outbound-mapping';

const transactTime = new Date('2026-11-27T10:00:00.123Z');

const newOrder = (overrides: Partial<NewOrderMessage> = {}): NewOrderMessage => ({
  type: 'newOrder',
  clOrdId: 'C1',
  account: 'FUND-ALPHA',
  symbol: 'VOD.L',
  side: 'buy',
  orderType: 'limit',
  quantity: '1000.5',
  limitPrice: '70.123456789012',
  timeInForce: 'day',
  transactTime,
  ...overrides,
});

function fields(message: Parameters<typeof mapOutbound>[0]) {
  const mapped = mapOutbound(message);
  if (!mapped.ok) throw new Error(mapped.problems.join('; '));
  return mapped.fix;
}

function problems(message: Parameters<typeof mapOutbound>[0]): readonly string[] {
  const mapped = mapOutbound(message);
  return mapped.ok ? [] : mapped.problems;
}

describe('mapOutbound: NewOrderSingle (D)', () => {
  it('maps every field, decimals as the exact text given', () => {
    expect(fields(newOrder())).toEqual({
      msgType: 'D',
      fields: {
        ClOrdID: 'C1',
        Account: 'FUND-ALPHA',
        HandlInst: '1',
        Instrument: { Symbol: 'VOD.L' },
        Side: '1',
        TransactTime: transactTime,
        OrderQtyData: { OrderQty: '1000.5' },
        OrdType: '2',
        Price: '70.123456789012',
        TimeInForce: '0',
      },
    });
  });

  it.each([
    ['buy', '1'],
    ['sell', '2'],
    ['sellShort', '5'],
  ] as const)('side %s is %s', (side, code) => {
    expect(fields(newOrder({ side })).fields.Side).toBe(code);
  });

  it.each([
    ['market', '1', {}],
    ['limit', '2', { limitPrice: '10' }],
    ['stop', '3', { stopPrice: '9' }],
    ['stopLimit', '4', { limitPrice: '10', stopPrice: '9' }],
  ] as const)('order type %s is %s, with its prices', (orderType, code, prices) => {
    const f = fields(newOrder({ orderType, limitPrice: undefined, ...prices })).fields;
    expect(f.OrdType).toBe(code);
    expect(f.Price).toBe('limitPrice' in prices ? prices.limitPrice : undefined);
    expect(f.StopPx).toBe('stopPrice' in prices ? prices.stopPrice : undefined);
  });

  it.each([
    ['day', '0'],
    ['gtc', '1'],
    ['ioc', '3'],
    ['fok', '4'],
  ] as const)('time in force %s is %s', (timeInForce, code) => {
    expect(fields(newOrder({ timeInForce })).fields.TimeInForce).toBe(code);
  });

  it('sends GTD as 6 with ExpireDate (432) YYYYMMDD', () => {
    const f = fields(newOrder({ timeInForce: 'gtd', expireDate: '2026-12-31' })).fields;
    expect(f.TimeInForce).toBe('6');
    expect(f.ExpireDate).toBe('20261231');
  });

  it('refuses what the engine would happily send broken', () => {
    expect(problems(newOrder({ quantity: '0' }))).toEqual(["quantity '0' is not a positive decimal"]);
    expect(problems(newOrder({ quantity: '1e3' }))).toEqual(["quantity '1e3' is not a positive decimal"]);
    expect(problems(newOrder({ quantity: 100 as unknown as string }))).toEqual(["quantity '100' is not a positive decimal"]);
    expect(problems(newOrder({ limitPrice: undefined }))).toEqual(['limitPrice is required for a limit order']);
    expect(problems(newOrder({ orderType: 'market' }))).toEqual(['a market order takes no limitPrice']);
    expect(problems(newOrder({ orderType: 'stop', limitPrice: undefined }))).toEqual(['stopPrice is required for a stop order']);
    expect(problems(newOrder({ timeInForce: 'gtd' }))).toEqual(['expireDate is required for a gtd order']);
    expect(problems(newOrder({ expireDate: '2026-12-31' }))).toEqual(['expireDate is only for a gtd order, not day']);
    expect(problems(newOrder({ timeInForce: 'gtd', expireDate: '2026-13-01' }))).toEqual(["expireDate '2026-13-01' is not a valid YYYY-MM-DD date"]);
    expect(problems(newOrder({ clOrdId: 'A\x01B' }))).toEqual(["clOrdId 'A\x01B' may only contain printable ASCII"]);
    expect(problems(newOrder({ clOrdId: '' }))).toEqual(['clOrdId is required']);
    expect(problems(newOrder({ side: 'short' as never }))).toEqual(["side 'short' is not one of buy, sell, sellShort"]);
    expect(problems(newOrder({ transactTime: new Date('nope') }))).toEqual(['transactTime is not a valid time']);
  });
});

describe('mapOutbound: OrderCancelReplaceRequest (G)', () => {
  it('carries OrigClOrdID and OrderID with the new terms', () => {
    const replace: ReplaceMessage = { ...newOrder({ clOrdId: 'C2', quantity: '2000' }), type: 'replace', origClOrdId: 'C1', brokerOrderId: 'B-1' };
    const f = fields(replace);
    expect(f.msgType).toBe('G');
    expect(f.fields).toMatchObject({ OrderID: 'B-1', OrigClOrdID: 'C1', ClOrdID: 'C2', OrderQtyData: { OrderQty: '2000' }, Price: '70.123456789012' });
  });
  it('needs the OrigClOrdID', () => {
    expect(problems({ ...newOrder(), type: 'replace', origClOrdId: '' })).toEqual(['origClOrdId is required']);
  });
});

describe('mapOutbound: OrderCancelRequest (F) and OrderStatusRequest (H)', () => {
  const cancel: CancelMessage = { type: 'cancel', clOrdId: 'C3', origClOrdId: 'C2', symbol: 'AAPL', side: 'sell', quantity: '10', transactTime };
  it('maps a cancel', () => {
    expect(fields(cancel)).toEqual({
      msgType: 'F',
      fields: { OrigClOrdID: 'C2', ClOrdID: 'C3', Instrument: { Symbol: 'AAPL' }, Side: '2', TransactTime: transactTime, OrderQtyData: { OrderQty: '10' } },
    });
    expect(problems({ ...cancel, quantity: '-1' })).toEqual(["quantity '-1' is not a positive decimal"]);
  });
  it('maps a status request', () => {
    const status: StatusRequestMessage = { type: 'statusRequest', clOrdId: 'C3', brokerOrderId: 'B-1', symbol: 'AAPL', side: 'sellShort' };
    expect(fields(status)).toEqual({ msgType: 'H', fields: { OrderID: 'B-1', ClOrdID: 'C3', Instrument: { Symbol: 'AAPL' }, Side: '5' } });
  });
  it('refuses an unknown message type', () => {
    expect(problems({ type: 'massCancel' } as never)).toEqual(["unknown message type 'massCancel'"]);
  });
});

describe('mapOutbound: FIX versions and DontKnowTrade', () => {
  it('sends FIX 4.2 without components (flat Symbol and OrderQty), FIX 5.0SP2 like 4.4', () => {
    const fix42 = mapOutbound(newOrder(), 'FIX.4.2');
    if (!fix42.ok) throw new Error();
    expect(fix42.fix.fields).toMatchObject({ Symbol: 'VOD.L', OrderQty: '1000.5' });
    expect(fix42.fix.fields).not.toHaveProperty('Instrument');
    const fix50 = mapOutbound(newOrder(), 'FIX.5.0SP2');
    if (!fix50.ok) throw new Error();
    expect(fix50.fix.fields).toMatchObject({ Instrument: { Symbol: 'VOD.L' }, OrderQtyData: { OrderQty: '1000.5' } });
  });

  it('maps a DontKnowTrade (35=Q) with DKReason D, and LastShares in FIX 4.2', () => {
    const dk = { type: 'dontKnowTrade', brokerOrderId: 'O-9', execId: 'E-9', reason: 'noMatchingOrder', symbol: 'VOD.L', side: 'sell', quantity: '100', lastQty: '10', lastPx: '1.5' } as const;
    expect(fields(dk)).toEqual({
      msgType: 'Q',
      fields: { OrderID: 'O-9', ExecID: 'E-9', DKReason: 'D', Instrument: { Symbol: 'VOD.L' }, Side: '2', OrderQtyData: { OrderQty: '100' }, LastQty: '10', LastPx: '1.5' },
    });
    const fix42 = mapOutbound(dk, 'FIX.4.2');
    expect(fix42.ok && fix42.fix.fields).toMatchObject({ Symbol: 'VOD.L', OrderQty: '100', LastShares: '10' });
    expect(problems({ ...dk, execId: '' })).toContain('execId is required');
  });
});
