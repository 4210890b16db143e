import { describe, expect, it } from 'vitest';
import type { CancelMessage, NewOrderMessage, ReplaceMessage, StatusRequestMessage } from '../broker/broker-port';
import { shippedInstrument } from '../instruments/shipped-instruments.test-support';
import { tagName } from './fix-field-names';
import { encodeOutbound } from './outbound-messages';

const transactTime = new Date('2026-11-27T10:00:00.123Z');

const newOrder = (overrides: Partial<NewOrderMessage> = {}): NewOrderMessage => ({
  type: 'newOrder',
  clOrdId: 'C1',
  account: 'FUND-ALPHA',
  instrument: shippedInstrument('VOD.XLON'),
  tradeDate: '2026-11-27',
  side: 'buy',
  orderType: 'limit',
  quantity: '1000.5',
  limitPrice: '70.123456789012',
  timeInForce: 'day',
  transactTime,
  ...overrides,
});

/** The message as tag names and values, in the order sent. */
function fields(message: Parameters<typeof encodeOutbound>[0]) {
  const encoded = encodeOutbound(message);
  if (!encoded.ok) throw new Error(encoded.problems.join('; '));
  return { msgType: encoded.msgType, fields: encoded.fields.map(([tag, value]) => [tagName(tag), value] as const), get: (name: string) => encoded.fields.find(([tag]) => tagName(tag) === name)?.[1] };
}

function problems(message: Parameters<typeof encodeOutbound>[0]): readonly string[] {
  const encoded = encodeOutbound(message);
  return encoded.ok ? [] : encoded.problems;
}

describe('encodeOutbound: NewOrderSingle (D)', () => {
  it('writes every field as its tag, in dictionary order, decimals as the exact text given', () => {
    const d = fields(newOrder());
    expect(d.msgType).toBe('D');
    expect(d.fields).toEqual([
      ['ClOrdID', 'C1'],
      ['Account', 'FUND-ALPHA'],
      ['HandlInst', '1'],
      ['Symbol', 'VOD.L'],
      ['SecurityID', 'GB00BH4HKS39'],
      ['SecurityIDSource', '4'],
      ['SecurityType', 'CS'],
      ['SecurityExchange', 'XLON'],
      ['Side', '1'],
      ['TransactTime', '20261127-10:00:00.123'],
      ['OrderQty', '1000.5'],
      ['OrdType', '2'],
      ['Price', '70.123456789012'],
      ['TimeInForce', '0'],
      ['Currency', 'GBX'],
    ]);
  });

  it.each([
    ['ESZ6.XCME', 'FIX.4.2', { Symbol: 'ES', SecurityType: 'FUT', MaturityMonthYear: '202612', SecurityExchange: 'XCME', Currency: 'USD' }],
    ['AAPL261218C200', 'FIX.4.2', { Symbol: 'AAPL', SecurityType: 'OPT', MaturityMonthYear: '202612', MaturityDay: '18', PutOrCall: '1', StrikePrice: '200', ContractMultiplier: '100' }],
    ['AAPL261218C200', 'FIX.5.0SP2', { MaturityDate: '20261218', ExerciseStyle: '1', MaturityDay: undefined }],
    ['EURUSD.SPOT', 'FIX.4.4', { Symbol: 'EUR/USD', SecurityType: 'FOR', Currency: 'EUR', SettlType: '0', SettlDate: undefined }],
    ['EURUSD.3M', 'FIX.5.0SP2', { Symbol: 'EUR/USD', SecurityType: 'FXFWD', Currency: 'EUR', SettlType: '6', SettlDate: '20270301' }],
    ['UST.4.25.2034', 'FIX.4.4', { Symbol: '[N/A]', SecurityID: 'US91282CLW90', SecurityIDSource: '4', SecurityType: 'TNOTE', MaturityDate: '20341115', CouponRate: '4.25', PriceType: '1', Currency: 'USD' }],
    ['UST.4.25.2034', 'FIX.4.2', { SecurityType: 'GOVT', MaturityMonthYear: '203411', MaturityDay: '15', PriceType: undefined }],
  ] as const)('a NewOrderSingle for %s in %s carries its Instrument component and order terms', (id, version, expected) => {
    const encoded = encodeOutbound(newOrder({ instrument: shippedInstrument(id), limitPrice: '1.5' }), version);
    if (!encoded.ok) throw new Error(encoded.problems.join('; '));
    const got = Object.fromEntries(Object.keys(expected).map((name) => [name, encoded.fields.find(([tag]) => tagName(tag) === name)?.[1]]));
    expect(got).toEqual(expected);
  });

  it('names the same instrument the same way on the amend, the cancel and the status request, whatever day they go', () => {
    const order = { instrument: shippedInstrument('EURUSD.3M'), tradeDate: '2026-11-27' };
    const later = new Date('2026-12-15T10:00:00Z');
    const forms = [
      encodeOutbound({ ...newOrder(order), type: 'replace', origClOrdId: 'C1', transactTime: later }, 'FIX.4.4'),
      encodeOutbound({ type: 'cancel', clOrdId: 'C3', origClOrdId: 'C2', ...order, side: 'sell', quantity: '10', transactTime: later }, 'FIX.4.4'),
      encodeOutbound({ type: 'statusRequest', clOrdId: 'C3', ...order, side: 'sell' }, 'FIX.4.4'),
    ];
    for (const encoded of forms) {
      if (!encoded.ok) throw new Error(encoded.problems.join('; '));
      expect(encoded.fields.filter(([tag]) => tag === 55 || tag === 167)).toEqual([[55, 'EUR/USD'], [167, 'FOR']]);
    }
    const replace = forms[0] as Extract<(typeof forms)[0], { ok: true }>;
    expect(replace.fields.find(([tag]) => tag === 64)?.[1]).toBe('20270301');
  });

  it.each([
    ['buy', '1'],
    ['sell', '2'],
    ['sellShort', '5'],
  ] as const)('side %s is %s', (side, code) => {
    expect(fields(newOrder({ side })).get('Side')).toBe(code);
  });

  it.each([
    ['market', '1', {}],
    ['limit', '2', { limitPrice: '10' }],
    ['stop', '3', { stopPrice: '9' }],
    ['stopLimit', '4', { limitPrice: '10', stopPrice: '9' }],
  ] as const)('order type %s is %s, with its prices', (orderType, code, prices) => {
    const f = fields(newOrder({ orderType, limitPrice: undefined, ...prices }));
    expect(f.get('OrdType')).toBe(code);
    expect(f.get('Price')).toBe('limitPrice' in prices ? prices.limitPrice : undefined);
    expect(f.get('StopPx')).toBe('stopPrice' in prices ? prices.stopPrice : undefined);
  });

  it.each([
    ['day', '0'],
    ['gtc', '1'],
    ['ioc', '3'],
    ['fok', '4'],
  ] as const)('time in force %s is %s', (timeInForce, code) => {
    expect(fields(newOrder({ timeInForce })).get('TimeInForce')).toBe(code);
  });

  it('sends GTD as 6 with ExpireDate (432) YYYYMMDD', () => {
    const f = fields(newOrder({ timeInForce: 'gtd', expireDate: '2026-12-31' }));
    expect(f.get('TimeInForce')).toBe('6');
    expect(f.get('ExpireDate')).toBe('20261231');
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

describe('encodeOutbound: OrderCancelReplaceRequest (G)', () => {
  it('carries OrigClOrdID and OrderID with the new terms', () => {
    const replace: ReplaceMessage = { ...newOrder({ clOrdId: 'C2', quantity: '2000' }), type: 'replace', origClOrdId: 'C1', brokerOrderId: 'B-1' };
    const f = fields(replace);
    expect(f.msgType).toBe('G');
    expect(f.fields.slice(0, 3)).toEqual([
      ['OrderID', 'B-1'],
      ['OrigClOrdID', 'C1'],
      ['ClOrdID', 'C2'],
    ]);
    expect([f.get('OrderQty'), f.get('Price')]).toEqual(['2000', '70.123456789012']);
  });
  it('needs the OrigClOrdID', () => {
    expect(problems({ ...newOrder(), type: 'replace', origClOrdId: '' })).toEqual(['origClOrdId is required']);
  });
});

describe('encodeOutbound: OrderCancelRequest (F) and OrderStatusRequest (H)', () => {
  const aapl = { instrument: shippedInstrument('AAPL.XNAS'), tradeDate: '2026-11-27' };
  const cancel: CancelMessage = { type: 'cancel', clOrdId: 'C3', origClOrdId: 'C2', ...aapl, side: 'sell', quantity: '10', transactTime };
  it('maps a cancel', () => {
    expect(fields(cancel)).toMatchObject({
      msgType: 'F',
      fields: [
        ['OrigClOrdID', 'C2'],
        ['ClOrdID', 'C3'],
        ['Symbol', 'AAPL'],
        ['SecurityID', 'US0378331005'],
        ['SecurityIDSource', '4'],
        ['SecurityType', 'CS'],
        ['SecurityExchange', 'XNAS'],
        ['Side', '2'],
        ['TransactTime', '20261127-10:00:00.123'],
        ['OrderQty', '10'],
      ],
    });
    expect(problems({ ...cancel, quantity: '-1' })).toEqual(["quantity '-1' is not a positive decimal"]);
  });
  it('maps a status request', () => {
    const status: StatusRequestMessage = { type: 'statusRequest', clOrdId: 'C3', brokerOrderId: 'B-1', ...aapl, side: 'sellShort' };
    expect(fields(status)).toMatchObject({
      msgType: 'H',
      fields: [
        ['OrderID', 'B-1'],
        ['ClOrdID', 'C3'],
        ['Symbol', 'AAPL'],
        ['SecurityID', 'US0378331005'],
        ['SecurityIDSource', '4'],
        ['SecurityType', 'CS'],
        ['SecurityExchange', 'XNAS'],
        ['Side', '5'],
      ],
    });
  });
  it('a status request carries its OrdStatusReqID (790) from FIX 4.4 on; FIX 4.2 has no such tag', () => {
    const status: StatusRequestMessage = { type: 'statusRequest', clOrdId: 'C3', ordStatusReqId: 'OS-1', ...aapl, side: 'buy' };
    const tag790 = (version: 'FIX.4.2' | 'FIX.4.4' | 'FIX.5.0SP2') => {
      const encoded = encodeOutbound(status, version);
      if (!encoded.ok) throw new Error(encoded.problems.join('; '));
      return encoded.fields.filter(([tag]) => tag === 790);
    };
    expect(tag790('FIX.4.4')).toEqual([[790, 'OS-1']]);
    expect(tag790('FIX.5.0SP2')).toEqual([[790, 'OS-1']]);
    expect(tag790('FIX.4.2')).toEqual([]);
    expect(problems({ ...status, ordStatusReqId: '' })).toEqual(expect.arrayContaining([expect.stringMatching(/ordStatusReqId/)]));
  });
  it('refuses an unknown message type', () => {
    expect(problems({ type: 'massCancel' } as never)).toEqual(["unknown message type 'massCancel'"]);
  });
});

describe('encodeOutbound: FIX versions, DontKnowTrade and OrderMassStatusRequest', () => {
  it('writes the same tags in FIX 4.2, 4.4 and 5.0SP2 (components are a dictionary idea, not a wire one)', () => {
    const byVersion = (['FIX.4.2', 'FIX.4.4', 'FIX.5.0SP2'] as const).map((v) => encodeOutbound(newOrder(), v));
    expect(byVersion[0]).toEqual(byVersion[1]);
    expect(byVersion[2]).toEqual(byVersion[1]);
  });

  it('writes a DontKnowTrade (35=Q) with DKReason D', () => {
    const dk = { type: 'dontKnowTrade', brokerOrderId: 'O-9', execId: 'E-9', reason: 'noMatchingOrder', symbol: 'VOD.L', side: 'sell', quantity: '100', lastQty: '10', lastPx: '1.5' } as const;
    expect(fields(dk)).toMatchObject({
      msgType: 'Q',
      fields: [
        ['OrderID', 'O-9'],
        ['ExecID', 'E-9'],
        ['DKReason', 'D'],
        ['Symbol', 'VOD.L'],
        ['Side', '2'],
        ['OrderQty', '100'],
        ['LastQty', '10'],
        ['LastPx', '1.5'],
      ],
    });
    expect(problems({ ...dk, execId: '' })).toContain('execId is required');
  });

  it('never sends OrderMassStatusRequest (35=AF, FIX 4.3+) on a FIX 4.2 session', () => {
    expect(fields({ type: 'massStatusRequest', massStatusReqId: 'MS-1' }).fields).toEqual([
      ['MassStatusReqID', 'MS-1'],
      ['MassStatusReqType', '7'],
    ]);
    expect(encodeOutbound({ type: 'massStatusRequest', massStatusReqId: 'MS-1' }, 'FIX.4.2')).toEqual({ ok: false, problems: ['FIX 4.2 has no OrderMassStatusRequest (35=AF)'] });
  });
});
