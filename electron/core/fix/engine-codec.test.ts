import 'reflect-metadata';
import { ElasticBuffer } from 'jspurefix';
import { AsciiEncoder } from 'jspurefix/dist/buffer/ascii/ascii-encoder.js';
import { describe, expect, it } from 'vitest';
import type { NewOrderMessage } from '../broker/broker-port';
import { parseFixText } from './fix-text';
import { loadDefinitions } from '../../integration-tests/support/jspurefix-runtime';
import { mapOutbound } from './outbound-mapping';

/** What the engine actually writes for our field objects: tags and exact text, against the qf44 dictionary. */
async function encode(message: Parameters<typeof mapOutbound>[0]): Promise<string> {
  const mapped = mapOutbound(message);
  if (!mapped.ok) throw new Error(mapped.problems.join('; '));
  const definitions = await loadDefinitions();
  const name = definitions.message.get(mapped.fix.msgType)?.name;
  if (name === undefined) throw new Error(`no message ${mapped.fix.msgType}`);
  const buffer = new ElasticBuffer(4096);
  const encoder = new AsciiEncoder(buffer, definitions);
  const unknown: string[] = [];
  encoder.onUnknownField = (field: string) => unknown.push(field);
  encoder.encode(mapped.fix.fields as never, name);
  expect(unknown).toEqual([]);
  return buffer.toString();
}

const order: NewOrderMessage = {
  type: 'newOrder',
  clOrdId: 'C1',
  account: 'FUND-ALPHA',
  symbol: 'EURUSD',
  side: 'sellShort',
  orderType: 'stopLimit',
  quantity: '1000000.000000000001',
  limitPrice: '1.08505',
  stopPrice: '0.1',
  timeInForce: 'gtd',
  expireDate: '2026-12-31',
  transactTime: new Date('2026-11-27T10:00:00.123Z'),
};

describe('our FIX field objects through the engine encoder (qf44)', () => {
  it('NewOrderSingle: every tag, decimals verbatim (no float rounding)', async () => {
    const r = parseFixText(await encode(order));
    expect(r.get(11)).toBe('C1');
    expect(r.get(1)).toBe('FUND-ALPHA');
    expect(r.get(21)).toBe('1');
    expect(r.get(55)).toBe('EURUSD');
    expect(r.get(54)).toBe('5');
    expect(r.get(60)).toBe('20261127-10:00:00.123');
    expect(r.get(38)).toBe('1000000.000000000001');
    expect(r.get(40)).toBe('4');
    expect(r.get(44)).toBe('1.08505');
    expect(r.get(99)).toBe('0.1');
    expect(r.get(59)).toBe('6');
    expect(r.get(432)).toBe('20261231');
  });

  it('OrderCancelReplaceRequest, OrderCancelRequest, OrderStatusRequest', async () => {
    const g = parseFixText(await encode({ ...order, type: 'replace', clOrdId: 'C2', origClOrdId: 'C1', brokerOrderId: 'O-1' }));
    expect([g.get(37), g.get(41), g.get(11), g.get(38)]).toEqual(['O-1', 'C1', 'C2', '1000000.000000000001']);
    const f = parseFixText(
      await encode({ type: 'cancel', clOrdId: 'C3', origClOrdId: 'C2', symbol: 'EURUSD', side: 'sell', quantity: '5.5', transactTime: order.transactTime }),
    );
    expect([f.get(41), f.get(11), f.get(55), f.get(54), f.get(38)]).toEqual(['C2', 'C3', 'EURUSD', '2', '5.5']);
    const h = parseFixText(await encode({ type: 'statusRequest', clOrdId: 'C3', symbol: 'EURUSD', side: 'buy' }));
    expect([h.get(11), h.get(55), h.get(54)]).toEqual(['C3', 'EURUSD', '1']);
  });
});

describe('our tag table against the FIX 4.4 dictionary', () => {
  it('gives every field name the dictionary’s tag', async () => {
    const { FIELD_TAGS } = await import('./fix-wire');
    const definitions = await loadDefinitions();
    const wrong = Object.entries(FIELD_TAGS)
      .filter(([name]) => name !== 'LastShares' && name !== 'ExecTransType') // FIX 4.2 only: LastQty (32) was LastShares; ExecTransType (20) is gone in 4.4
      .filter(([name, tag]) => definitions.simple.get(name)?.tag !== tag)
      .map(([name, tag]) => `${name}: ours ${tag}, dictionary ${definitions.simple.get(name)?.tag ?? 'none'}`);
    expect(wrong).toEqual([]);
  });
});
