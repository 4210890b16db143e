import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PositionRow } from '../../../shared/contract/positions';
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
  accounts: ['FUND-ALPHA', 'FUND-EURO'],
  funds: [
    { name: 'MACRO', baseCurrency: 'USD', accounts: ['FUND-ALPHA'] },
    { name: 'EURO', baseCurrency: 'EUR', accounts: ['FUND-EURO'] },
  ],
  brokers: [{ name: 'SIM-A', port: 9881, senderCompId: 'MERIDIAN', targetCompId: 'SIM-A' }],
  marketData: { name: 'VENUE', port: 9890, senderCompId: 'MERIDIAN-MD', targetCompId: 'VENUE', staleAfterSeconds: 3 },
});

describe('the desk’s positions', () => {
  let dir: string;
  let clock: TestClock;
  let desk: Desk;
  let feed: FakeFeed;
  let broker: FakeBroker;
  let messages: DeskStreamMessage[];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'desk-positions-'));
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

  /** The end of the turn, then `ms` on the clock: what was published meanwhile. */
  const positionRows = async (ms = 1): Promise<PositionRow[]> => {
    await Promise.resolve();
    clock.advance(ms);
    await Promise.resolve();
    clock.advance(1);
    return messages.flatMap((m) => (m.kind === 'positions' ? [...m.rows] : m.kind === 'snapshot' ? [...(m.positions ?? [])] : []));
  };

  const sod = ['account,instrumentId,quantity,price', 'FUND-ALPHA,AAPL.XNAS,100,140', 'FUND-EURO,VOD.XLON,-1000,70'].join('\n');

  it('refuses a bad start-of-day file with its line and field, importing nothing', async () => {
    const bad = `${sod}\nFUND-ALPHA,ESZ6.XCME,ten,5000\nFUND-NOPE,AAPL.XNAS,1,1`;
    const refused = await desk.call('importStartOfDay', { fileName: 'sod.csv', text: bad });
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', fields: { quantity: "line 4: quantity 'ten' is not a decimal (negative for a short)" } } });
    expect(refused.ok ? '' : refused.error.message).toMatch(/sod\.csv: 2 problems, nothing loaded\n {2}line 4, quantity: [^\n]*\n {2}line 5, account: account 'FUND-NOPE' is not one of the desk's accounts/);
    expect(await positionRows()).toEqual([]);
    expect(await desk.call('importStartOfDay', { fileName: 'x'.repeat(300), text: sod })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
  });

  it('imports a start of day, counts fills on top, values on marks (conflated), in the fund’s base currency', async () => {
    expect(await desk.call('importStartOfDay', { fileName: 'sod.csv', text: sod })).toEqual({ ok: true, value: { positions: 2 } });
    let rows = await positionRows();
    const aapl = rows.filter((r) => r.key === 'FUND-ALPHA|AAPL.XNAS').at(-1);
    expect(aapl).toMatchObject({ fund: 'MACRO', quantity: '100', startQuantity: '100', realised: '0', assetClass: 'equity' });
    expect(aapl?.mark).toBeUndefined();
    // Followed: the instruments held, and the spots converting pence-priced VOD (GBP) to the EURO fund's base:
    // EUR/GBP (inverse), and GBP/USD and EUR/USD for the cross through USD should EUR/GBP have no quote; no other spot.
    expect([...feed.subscribed].sort()).toEqual(['AAPL.XNAS', 'EURGBP.SPOT', 'EURUSD.SPOT', 'GBPUSD.SPOT', 'VOD.XLON']);

    const placed = await desk.call('submitOrder', { ...limitTicket, quantity: '50', limitPrice: '150' });
    if (!placed.ok) throw new Error(placed.error.message);
    broker.listener.onMessage('SIM-A', report({ execType: 'trade', ordStatus: 'filled', clOrdId: placed.value.clOrdId, lastQty: '50', lastPx: '150', cumQty: '50', leavesQty: '0', avgPx: '150' }));
    messages = [];
    rows = await positionRows();
    expect(rows.map((r) => [r.key, r.quantity, r.bought, r.averageCost])).toEqual([['FUND-ALPHA|AAPL.XNAS', '150', '50', '143.33333333']]);

    // Quotes: 20 moves of AAPL are one revaluation, after REVALUE_MS.
    messages = [];
    for (let i = 0; i < 20; i++) feed.listener.onIncremental('AAPL.XNAS', [{ action: 'change', type: 'trade', price: `150.${String(i).padStart(2, '0')}`, size: '1' }]);
    expect(await positionRows()).toEqual([]);
    rows = await positionRows(250);
    expect(rows.map((r) => [r.key, r.mark, r.markSource, r.unrealised, r.pnlBase])).toEqual([['FUND-ALPHA|AAPL.XNAS', '150.19', 'last', '1028.5', '1028.5']]);

    // Vodafone in pence, in a EUR fund: no rate until EUR/GBP moves.
    messages = [];
    feed.listener.onSnapshot('VOD.XLON', [{ type: 'close', price: '72' }]);
    rows = await positionRows(250);
    expect(rows.at(-1)).toMatchObject({ key: 'FUND-EURO|VOD.XLON', currency: 'GBP', unrealised: '-20', noRate: 'no rate GBP/EUR', markSource: 'close' });
    messages = [];
    feed.listener.onSnapshot('EURGBP.SPOT', [{ type: 'bid', price: '0.8' }, { type: 'offer', price: '0.8' }]);
    rows = await positionRows(250);
    expect(rows.find((r) => r.key === 'FUND-EURO|VOD.XLON')).toMatchObject({ unrealisedBase: '-25', exposureBase: '-900', fxRate: '1.25', fxSource: '1/EURGBP.SPOT mid' });
  });
});
