import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QuoteView } from '../../../shared/contract/market-data';
import { parseDeskConfig } from '../../core/config/desk-config';
import { createDesk } from '../../core/desk/create-desk';
import type { Desk } from '../../core/desk/desk';
import { brokerEntriesFor } from '../support/broker-entries';
import { DeskView, until } from '../support/desk-view';
import { startVenue } from './market-data-support';

/**
 * One market in the simulator: the venue quotes what the brokers fill from. The desk (in process, its
 * broker session and its market-data session over TCP) against the simulator process, the market
 * moving every 25 ms: once the venue's quote stood still and reached the desk, a marketable buy fills
 * at exactly that offer, and the fill prints on the venue's tape (last, size, volume), which the desk
 * then hears over its market-data session.
 */
describe('one market: the venue quotes what the brokers fill from', () => {
  let venue: Awaited<ReturnType<typeof startVenue>>;
  let desk: Desk;
  let view: DeskView;
  let dir: string;
  const quotes: QuoteView[] = [];
  const latest = (id: string) => quotes.findLast((q) => q.instrumentId === id);

  beforeAll(async () => {
    venue = await startVenue('FIX.4.4', { tickIntervalMs: 25 });
    dir = mkdtempSync(join(tmpdir(), 'desk-one-market-'));
    const config = parseDeskConfig({
      accounts: ['FUND-ALPHA'],
      brokers: brokerEntriesFor(venue.sim.brokers),
      marketData: { name: 'VENUE', port: venue.port, senderCompId: 'DESK-MD', targetCompId: 'SIM-MD', heartbeatSeconds: 5, reconnectSeconds: 0.2 },
    });
    desk = createDesk({ config, dataDir: dir, journalSyncMs: 0 });
    desk.subscribe((m) => {
      if (m.kind === 'quotes') quotes.push(...m.rows);
    });
    await desk.start();
    view = new DeskView(desk);
    await until('the broker session logged on', () => view.sessions.get('SIM-A')?.state === 'loggedOn');
  }, 60_000);

  afterAll(async () => {
    await desk?.stop();
    await venue?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a marketable buy fills at the offer the venue quotes at that moment; the fill is on the venue\'s tape', async () => {
    const id = 'AAPL.XNAS';
    const control = venue.sim.control!;
    expect(await desk.call('subscribeQuotes', { holder: 'test', instrumentIds: [id] })).toMatchObject({ ok: true });
    // The market walks (two markets with their own walks would have parted by now).
    await until('the quote moved many times', () => new Set(quotes.filter((q) => q.instrumentId === id).map((q) => q.ask)).size > 10);
    await control.marketData.pause(); // the market stands still
    const truth = await control.marketData.quote(id);
    await until('the desk has the venue\'s quote', () => latest(id)?.ask === truth.ask && latest(id)?.bid === truth.bid);

    const limit = (Number(truth.ask) + 50).toFixed(2); // marketable
    const r = await desk.call('submitOrder', { instrumentId: id, side: 'buy', quantity: '10', orderType: 'limit', limitPrice: limit, timeInForce: 'ioc', account: 'FUND-ALPHA', broker: 'SIM-A' });
    if (!r.ok) throw new Error(r.error.message);
    const fill = await until('the fill', () => [...view.executions.values()].find((e) => e.orderId === r.value.orderId));
    expect(fill.lastPx).toBe(truth.ask);
    expect(latest(id)?.ask).toBe(truth.ask);

    const after = await control.marketData.quote(id);
    expect({ last: after.last, lastSize: after.lastSize, volume: String(Number(after.volume) - Number(truth.volume)) }).toEqual({ last: truth.ask, lastSize: '10', volume: '10' });
    // Resumed: the venue sends what changed meanwhile first, the fill's print among it.
    const seen = quotes.length;
    await control.marketData.resume();
    await until('the desk hears the fill print', () => quotes.slice(seen).some((q) => q.instrumentId === id && q.last === truth.ask && q.lastSize === '10' && q.volume === after.volume));
  });
});
