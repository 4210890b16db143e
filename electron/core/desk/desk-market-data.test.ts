import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { QuoteView } from '../../../shared/contract/market-data';
import type { DeskStreamMessage } from '../../../shared/contract/streams';
import type { DeskConfig } from '../config/desk-config';
import { parseDeskConfig } from '../config/desk-config';
import { loadInstrumentFile } from '../instruments/instrument-file';
import { InstrumentMaster } from '../instruments/instrument-master';
import { FakeFeed } from './fake-market-data-feed.test-support';
import { limitTicket, report } from '../orders/test-support';
import { TestClock } from '../time/test-clock';
import { createDesk } from './create-desk';
import type { Desk } from './desk';
import { FakeBroker } from './fake-broker.test-support';

const instruments = loadInstrumentFile(resolve(import.meta.dirname, '../../../config/instruments.csv'));
const config: DeskConfig = parseDeskConfig({
  accounts: ['FUND-ALPHA'],
  brokers: [{ name: 'SIM-A', port: 9881, senderCompId: 'MERIDIAN', targetCompId: 'SIM-A' }],
  marketData: { name: 'VENUE', port: 9890, senderCompId: 'MERIDIAN-MD', targetCompId: 'VENUE', staleAfterSeconds: 3 },
});

describe('the desk with a market-data port', () => {
  let dir: string;
  let clock: TestClock;
  let desk: Desk;
  let feed: FakeFeed;
  let broker: FakeBroker;
  let messages: DeskStreamMessage[];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'desk-md-'));
    clock = new TestClock('2026-12-07T14:00:00.000Z');
    desk = createDesk({
      config,
      dataDir: dir,
      clock,
      journalSyncMs: 0,
      instruments: new InstrumentMaster(instruments),
      connectBroker: (c, listener, _log, options) => (broker = new FakeBroker(c.name, listener, options.unitOfWork)),
      connectMarketData: (_c, listener) => (feed = new FakeFeed(listener)),
    });
    await desk.start();
    messages = [];
    desk.subscribe((m) => messages.push(m));
  });

  afterEach(async () => {
    await desk.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const quoteBatches = async (): Promise<QuoteView[][]> => {
    await Promise.resolve();
    clock.advance(1);
    return messages.flatMap((m) => (m.kind === 'quotes' ? [[...m.rows]] : []));
  };

  it('subscribes the instruments of a window once at the feed, and refuses unknown ids changing nothing', async () => {
    expect(await desk.call('subscribeQuotes', { holder: 'ticket@w1', instrumentIds: ['AAPL.XNAS', 'EURUSD.3M'] })).toEqual({ ok: true, value: { holder: 'ticket@w1', instrumentIds: ['AAPL.XNAS', 'EURUSD.3M'] } });
    const refused = await desk.call('subscribeQuotes', { holder: 'ticket@w1', instrumentIds: ['MSFT.XNAS', 'NOPE.XXXX'] });
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', message: 'unknown instrument: NOPE.XXXX', fields: { instrumentIds: 'unknown: NOPE.XXXX' } } });
    expect([...feed.subscribed].sort()).toEqual(['AAPL.XNAS', 'EURUSD.3M']);
    expect(await desk.call('subscribeQuotes', { holder: 'orders', instrumentIds: ['MSFT.XNAS'] })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(await desk.call('unsubscribeQuotes', { holder: 'ticket@w1', instrumentIds: ['EURUSD.3M'] })).toEqual({ ok: true, value: { holder: 'ticket@w1', instrumentIds: ['AAPL.XNAS'] } });
    expect([...feed.subscribed]).toEqual(['AAPL.XNAS']);
  });

  it('publishes the latest quote per instrument of a turn (conflated), and the snapshot of a new subscriber has the quotes and the session', async () => {
    await desk.call('subscribeQuotes', { holder: 'watch@w1', instrumentIds: ['AAPL.XNAS', 'ESZ6.XCME'] });
    feed.listener.onSnapshot('AAPL.XNAS', [{ type: 'bid', price: '189.99', size: '100' }]);
    for (let i = 0; i < 50; i++) feed.listener.onIncremental('AAPL.XNAS', [{ action: 'change', type: 'bid', price: `190.${String(i).padStart(2, '0')}`, size: '100' }]);
    feed.listener.onSnapshot('ESZ6.XCME', [{ type: 'trade', price: '6000.25', size: '3' }]);
    const batches = await quoteBatches();
    expect(batches).toHaveLength(1);
    expect(batches[0]!.map((q) => [q.instrumentId, q.bid ?? q.last])).toEqual([
      ['AAPL.XNAS', '190.49'],
      ['ESZ6.XCME', '6000.25'],
    ]);
    const late: DeskStreamMessage[] = [];
    desk.subscribe((m) => late.push(m));
    const snapshot = late[0] as Extract<DeskStreamMessage, { kind: 'snapshot' }>;
    expect(snapshot.quotes?.map((q) => q.instrumentId).sort()).toEqual(['AAPL.XNAS', 'ESZ6.XCME']);
    expect(snapshot.marketDataSessions).toEqual([expect.objectContaining({ name: 'VENUE', state: 'loggedOn', subscriptions: 2, stale: 0 })]);
  });

  it('marks a silent quote stale on the desk clock, after staleAfterSeconds', async () => {
    await desk.call('subscribeQuotes', { holder: 'ticket@w1', instrumentIds: ['AAPL.XNAS'] });
    feed.listener.onSnapshot('AAPL.XNAS', [{ type: 'bid', price: '189.99' }]);
    clock.advance(2_900);
    expect((await quoteBatches()).flat().map((q) => q.stale)).toEqual([false]);
    clock.advance(400);
    expect((await quoteBatches()).flat().map((q) => q.stale)).toEqual([false, true]);
  });

  it('follows the instrument of every working order until the order is done', async () => {
    const placed = await desk.call('submitOrder', limitTicket);
    if (!placed.ok) throw new Error(placed.error.message);
    expect([...feed.subscribed]).toEqual(['AAPL.XNAS']);
    await desk.call('subscribeQuotes', { holder: 'ticket@w1', instrumentIds: ['AAPL.XNAS'] });
    await desk.call('unsubscribeQuotes', { holder: 'ticket@w1' });
    expect([...feed.subscribed]).toEqual(['AAPL.XNAS']); // the order still works
    broker.listener.onMessage('SIM-A', report({ execType: 'new', ordStatus: 'new', clOrdId: placed.value.clOrdId, leavesQty: '100' }));
    broker.listener.onMessage('SIM-A', report({ execType: 'trade', ordStatus: 'filled', clOrdId: placed.value.clOrdId, lastQty: '100', lastPx: '150.25', cumQty: '100', leavesQty: '0', avgPx: '150.25' }));
    // The order is done; the position it left is followed now (positions/: its marks).
    expect([...feed.subscribed]).toEqual(['AAPL.XNAS']);
  });
});
