import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Instrument } from '../../../shared/domain/instrument';
import { FIX_VERSIONS } from '../config/desk-config';
import { dictionaryFacts } from '../fix/dictionary/jspurefix-dictionary.test-support';
import type { FixField } from '../fix/fix-wire';
import { loadInstrumentFile } from '../instruments/instrument-file';
import { marketDataRequest, readMarketDataMessage } from './fix-market-data';
import { applyIncremental, applySnapshot, markStale } from './quote-state';

const instruments = loadInstrumentFile(resolve(import.meta.dirname, '../../../config/instruments.csv'));
const aapl = instruments.find((i) => i.id === 'AAPL.XNAS') as Instrument;
const fields = (text: string): FixField[] => text.split('|').filter((f) => f !== '').map((f) => [Number(f.slice(0, f.indexOf('='))), f.slice(f.indexOf('=') + 1)]);

describe('MarketDataRequest', () => {
  it.each(FIX_VERSIONS)('%s: every tag and code of a request for each class is one the dictionary defines for 35=V', async (version) => {
    const dictionary = await dictionaryFacts(version);
    const allowed = dictionary.messageTags('V');
    for (const instrument of instruments) {
      for (const [tag, value] of marketDataRequest('R1', instrument, version, 'subscribe', '2026-12-07').fields) {
        expect(allowed.has(tag), `${instrument.id} ${version}: tag ${tag}`).toBe(true);
        const values = dictionary.enumValues(tag);
        if (values !== undefined && tag !== 15) expect(values.has(value), `${instrument.id} ${version}: ${tag}=${value}`).toBe(true);
      }
    }
  }, 60_000);

  it('asks for top of book, snapshot plus updates, with the entry types the version has', () => {
    const text = (v: (typeof FIX_VERSIONS)[number], action: 'subscribe' | 'unsubscribe') =>
      marketDataRequest('R7', aapl, v, action, '2026-12-07')
        .fields.map(([t, x]) => `${t}=${x}`)
        .join('|');
    expect(text('FIX.4.4', 'subscribe')).toBe('262=R7|263=1|264=1|265=1|267=8|269=0|269=1|269=2|269=4|269=5|269=7|269=8|269=B|146=1|55=AAPL|48=US0378331005|22=4|167=CS|207=XNAS');
    expect(text('FIX.4.2', 'unsubscribe')).toMatch(/^262=R7\|263=2\|264=1\|265=1\|267=7\|/);
  });
});

describe('reading market data', () => {
  it('a snapshot, then increments applied in order, gives the quote a person expects', () => {
    const snapshot = readMarketDataMessage('W', fields('262=R1|55=AAPL|268=5|269=0|270=190.01|271=500|269=1|270=190.03|271=300|269=2|270=190.02|271=100|269=5|270=188.50|269=B|271=1250000|'), 'FIX.4.4');
    expect(snapshot.ok).toBe(true);
    if (!snapshot.ok || snapshot.message.kind !== 'snapshot') return;
    let state = applySnapshot('AAPL.XNAS', snapshot.message.entries, '2026-12-07T14:30:00.000Z', 'SIM-MD');
    expect(state.view).toEqual({
      instrumentId: 'AAPL.XNAS',
      bid: '190.01',
      bidSize: '500',
      ask: '190.03',
      askSize: '300',
      last: '190.02',
      lastSize: '100',
      close: '188.50',
      volume: '1250000',
      updatedAt: '2026-12-07T14:30:00.000Z',
      source: 'SIM-MD',
      stale: false,
    });
    const update = readMarketDataMessage('X', fields('262=R1|268=3|279=1|269=0|55=AAPL|270=190.02|271=400|279=0|269=2|55=AAPL|270=190.03|271=200|279=2|269=1|55=AAPL|'), 'FIX.4.4');
    expect(update.ok).toBe(true);
    if (!update.ok || update.message.kind !== 'incremental') return;
    expect(update.message.entries.map((e) => [e.action, e.type, e.reqId, e.symbol])).toEqual([
      ['change', 'bid', 'R1', 'AAPL'],
      ['new', 'trade', 'R1', 'AAPL'],
      ['delete', 'offer', 'R1', 'AAPL'],
    ]);
    state = applyIncremental(state, 'AAPL.XNAS', update.message.entries, '2026-12-07T14:30:01.000Z', 'SIM-MD');
    expect(state.view).toMatchObject({ bid: '190.02', bidSize: '400', last: '190.03', lastSize: '200', volume: '1250000' });
    expect(state.view.ask).toBeUndefined();
    expect(markStale(state).view.stale).toBe(true);
  });

  it('FIX 4.2 has no volume entry: the day volume is summed from trades', () => {
    const update = readMarketDataMessage('X', fields('268=2|279=0|269=2|55=ES|270=6000.25|271=3|279=0|269=2|55=ES|270=6000.50|271=2|'), 'FIX.4.2');
    if (!update.ok || update.message.kind !== 'incremental') throw new Error('not read');
    const state = applyIncremental(undefined, 'ESZ6.XCME', update.message.entries, '2026-12-07T14:30:00.000Z', 'SIM-MD');
    expect(state.view).toMatchObject({ last: '6000.50', lastSize: '2', volume: '5' });
  });

  it('a reject names the request and the reason', () => {
    const reject = readMarketDataMessage('Y', fields('262=R9|281=0|58=no such security|'), 'FIX.5.0SP2');
    expect(reject).toEqual({ ok: true, message: { kind: 'reject', reqId: 'R9', reason: 'unknown symbol: no such security' } });
  });

  it.each([
    ['a malformed price', 'W', '262=R1|268=1|269=0|270=1.2.3|'],
    ['a negative size', 'W', '262=R1|268=1|269=0|270=1|271=-5|'],
    ['a wrong entry count', 'W', '262=R1|268=2|269=0|270=1|'],
    ['an unknown update action', 'X', '268=1|279=7|269=0|270=1|'],
    ['a snapshot without its request id', 'W', '268=1|269=0|270=1|'],
  ])('refuses %s and applies nothing', (_what, msgType, text) => {
    expect(readMarketDataMessage(msgType, fields(text), 'FIX.4.4').ok).toBe(false);
  });
});
