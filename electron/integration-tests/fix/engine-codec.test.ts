import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import type { NewOrderMessage, OutboundMessage } from '../../core/broker/broker-port';
import { TAG, tagName } from '../../core/fix/fix-field-names';
import { encodeOutbound } from '../../core/fix/outbound-messages';
import { shippedInstrument } from '../../core/instruments/shipped-instruments.test-support';
import { loadDefinitions } from '../support/jspurefix-runtime';

/**
 * Our outbound messages (tags written directly) against an independent engine's FIX 4.4 dictionary
 * (jspurefix's qf44): every tag we send is a field of that message there, under the name our one
 * table gives it, and every field the dictionary requires in the message body is sent.
 */
async function checkedByTheDictionary(message: OutboundMessage): Promise<Map<string, string>> {
  const encoded = encodeOutbound(message);
  if (!encoded.ok) throw new Error(encoded.problems.join('; '));
  const definition = (await loadDefinitions()).message.get(encoded.msgType);
  if (definition === undefined) throw new Error(`the dictionary has no message ${encoded.msgType}`);
  const problems: string[] = [];
  for (const [tag] of encoded.fields) {
    if (definition.containedTag[tag] !== true) problems.push(`${tagName(tag)} (${tag}) is not a field of ${definition.name}`);
    else if (definition.tagToSimple[tag]?.name !== tagName(tag)) problems.push(`${tag} is ${definition.tagToSimple[tag]?.name} in the dictionary, ${tagName(tag)} in ours`);
  }
  for (const tag of Object.keys(definition.localRequired).map(Number)) {
    if (!encoded.fields.some(([t]) => t === tag)) problems.push(`${definition.name} requires ${definition.localRequired[tag]?.name} (${tag})`);
  }
  expect(problems).toEqual([]);
  return new Map(encoded.fields.map(([tag, value]) => [tagName(tag), value]));
}

const order: NewOrderMessage = {
  type: 'newOrder',
  clOrdId: 'C1',
  account: 'FUND-ALPHA',
  instrument: shippedInstrument('EURUSD.3M'),
  tradeDate: '2026-11-27',
  side: 'sellShort',
  orderType: 'stopLimit',
  quantity: '1000000.000000000001',
  limitPrice: '1.08505',
  stopPrice: '0.1',
  timeInForce: 'gtd',
  expireDate: '2026-12-31',
  transactTime: new Date('2026-11-27T10:00:00.123Z'),
};

describe('our outbound FIX against the engine’s FIX 4.4 dictionary (qf44)', () => {
  it('NewOrderSingle: every field where the dictionary has it, decimals verbatim (no float rounding)', async () => {
    const fields = await checkedByTheDictionary(order);
    expect(Object.fromEntries(fields)).toEqual({
      ClOrdID: 'C1',
      Account: 'FUND-ALPHA',
      HandlInst: '1',
      Symbol: 'EUR/USD',
      SecurityType: 'FOR',
      Side: '5',
      TransactTime: '20261127-10:00:00.123',
      OrderQty: '1000000.000000000001',
      OrdType: '4',
      Price: '1.08505',
      StopPx: '0.1',
      TimeInForce: '6',
      ExpireDate: '20261231',
      Currency: 'EUR',
      SettlType: '6',
      SettlDate: '20270301',
    });
  });

  it.each(['AAPL.XNAS', 'VOD.XLON', 'ESZ6.XCME', 'AAPL261218C200', 'EURUSD.SPOT', 'UST.4.25.2034', 'AAPL.4.3.2033', 'DBR.2.6.2034'])(
    'NewOrderSingle, cancel and status request for %s: its Instrument component and order terms are the dictionary’s',
    async (id) => {
      const terms = { instrument: shippedInstrument(id), tradeDate: '2026-11-27' };
      await checkedByTheDictionary({ ...order, ...terms });
      await checkedByTheDictionary({ type: 'cancel', clOrdId: 'C3', origClOrdId: 'C2', ...terms, side: 'sell', quantity: '5', transactTime: order.transactTime });
      await checkedByTheDictionary({ type: 'statusRequest', clOrdId: 'C3', ...terms, side: 'buy' });
    },
  );

  it('OrderCancelReplaceRequest, OrderCancelRequest, OrderStatusRequest, DontKnowTrade, OrderMassStatusRequest', async () => {
    const g = await checkedByTheDictionary({ ...order, type: 'replace', clOrdId: 'C2', origClOrdId: 'C1', brokerOrderId: 'O-1' });
    expect([g.get('OrderID'), g.get('OrigClOrdID'), g.get('ClOrdID'), g.get('OrderQty')]).toEqual(['O-1', 'C1', 'C2', '1000000.000000000001']);
    const f = await checkedByTheDictionary({ type: 'cancel', clOrdId: 'C3', origClOrdId: 'C2', instrument: order.instrument, tradeDate: order.tradeDate, side: 'sell', quantity: '5.5', transactTime: order.transactTime });
    expect([f.get('OrigClOrdID'), f.get('ClOrdID'), f.get('Symbol'), f.get('Side'), f.get('OrderQty')]).toEqual(['C2', 'C3', 'EUR/USD', '2', '5.5']);
    const h = await checkedByTheDictionary({ type: 'statusRequest', clOrdId: 'C3', instrument: order.instrument, tradeDate: order.tradeDate, side: 'buy' });
    expect([h.get('ClOrdID'), h.get('Symbol'), h.get('Side')]).toEqual(['C3', 'EUR/USD', '1']);
    const q = await checkedByTheDictionary({ type: 'dontKnowTrade', brokerOrderId: 'O-9', execId: 'E-9', reason: 'noMatchingOrder', symbol: 'VOD.L', side: 'sell', quantity: '100', lastQty: '10', lastPx: '1.5' });
    expect([q.get('DKReason'), q.get('LastQty'), q.get('LastPx')]).toEqual(['D', '10', '1.5']);
    const af = await checkedByTheDictionary({ type: 'massStatusRequest', massStatusReqId: 'MS-1' });
    expect([af.get('MassStatusReqID'), af.get('MassStatusReqType')]).toEqual(['MS-1', '7']);
  });
});

describe('the one table of field names against the FIX 4.4 dictionary', () => {
  it('gives every field name the dictionary’s tag', async () => {
    const definitions = await loadDefinitions();
    const wrong = Object.entries(TAG)
      // ExecTransType, MaturityDay: 4.2 (gone in 4.4); ApplVerID, DefaultApplVerID: FIXT.1.1; ExerciseStyle: 5.0 (each checked in its version: instrument-fields.test.ts);
      // StrategyParametersGrp (957-960): 5.0 (fix/broker-algo-fields.test.ts)
      .filter(([name]) => !['ExecTransType', 'MaturityDay', 'ApplVerID', 'DefaultApplVerID', 'ExerciseStyle', 'NoStrategyParameters', 'StrategyParameterName', 'StrategyParameterType', 'StrategyParameterValue'].includes(name))
      .filter(([name, tag]) => definitions.simple.get(name)?.tag !== tag)
      .map(([name, tag]) => `${name}: ours ${tag}, dictionary ${definitions.simple.get(name)?.tag ?? 'none'}`);
    expect(wrong).toEqual([]);
  });
});
