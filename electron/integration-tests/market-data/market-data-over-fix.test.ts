import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixVersion } from '../../core/config/desk-config';
import { DeskMarketDataUnderTest, sleep, startVenue } from './market-data-support';

/**
 * The desk's market-data port (FIX adapter + service) against the simulator's venue, a process of
 * its own, over TCP, in each FIX version: snapshot then increments applied in order until the
 * desk's quote equals the venue's, unsubscribe, reject, a dropped connection, staleness.
 */
describe.each<FixVersion>(['FIX.4.2', 'FIX.4.4', 'FIX.5.0SP2'])('market data over FIX %s', (fixVersion) => {
  let venue: Awaited<ReturnType<typeof startVenue>>;
  let desk: DeskMarketDataUnderTest;

  beforeAll(async () => {
    venue = await startVenue(fixVersion);
    desk = new DeskMarketDataUnderTest(fixVersion, venue.port);
    desk.service.start(desk.feed);
    await desk.until('logon', () => desk.feed.state === 'loggedOn');
  });

  afterAll(async () => {
    await desk?.service.stop();
    await venue?.close();
  });

  it('gets a snapshot, then increments applied in order reach exactly the venue quote', async () => {
    const ids = ['AAPL.XNAS', 'ESZ6.XCME', 'EURUSD.3M', 'UST.4.25.2034', 'AAPL261218C200'];
    expect(desk.service.hold('ticket@w1', ids)).toEqual([...ids].sort());
    for (const id of ids) await desk.until(`${id} snapshot`, () => desk.snapshots.get(id) === 1 && desk.published.get(id)?.bid !== undefined);
    // Enough increments that sides, trades and figures have moved many times.
    await desk.until('increments', () => (desk.increments.get('AAPL.XNAS') ?? 0) > 20 && (desk.increments.get('ESZ6.XCME') ?? 0) > 10);
    const control = venue.sim.control!;
    await control.marketData.pause();
    await sleep(300); // what was in flight arrives
    for (const id of ids) {
      const truth = await control.marketData.quote(id);
      const quote = desk.service.quote(id)!;
      expect({ id, bid: quote.bid, ask: quote.ask, bidSize: quote.bidSize, askSize: quote.askSize }).toEqual({ id, bid: truth.bid, ask: truth.ask, bidSize: truth.bidSize, askSize: truth.askSize });
      expect([id, quote.last, quote.lastSize, quote.high, quote.low]).toEqual([id, truth.last, truth.lastSize, truth.high, truth.low]);
      if (fixVersion !== 'FIX.4.2') expect([id, quote.volume]).toEqual([id, truth.volume]); // 4.2 has no volume entry: the desk sums the trades it saw
      expect(quote.stale).toBe(false);
      expect(quote.source).toBe('VENUE');
    }
    expect(desk.malformed).toEqual([]);
    await control.marketData.resume();
  });

  it('refuses an instrument the venue does not quote, with the reason', async () => {
    desk.service.hold('ticket@w2', ['MSFT.XNAS']);
    const refused = await desk.until('reject', () => desk.published.get('MSFT.XNAS')?.rejected);
    expect(refused).toMatch(/unknown symbol/);
    expect(desk.published.get('MSFT.XNAS')?.stale).toBe(true);
    desk.service.release('ticket@w2');
  });

  it('stops the updates of an instrument nobody holds any more, and keeps the others', async () => {
    desk.service.hold('watch@w1', ['ESZ6.XCME']); // ESZ6 held twice: releasing the ticket keeps it
    const subscribedBefore = (await venue.sim.control!.marketData.state()).subscriptions;
    desk.service.release('ticket@w1', ['AAPL.XNAS', 'ESZ6.XCME']);
    await sleep(150); // the unsubscribe on its way, what was in flight arrives
    const aapl = desk.increments.get('AAPL.XNAS') ?? 0;
    const es = desk.increments.get('ESZ6.XCME') ?? 0;
    await sleep(500);
    expect(desk.increments.get('AAPL.XNAS') ?? 0).toBe(aapl);
    expect(desk.increments.get('ESZ6.XCME') ?? 0).toBeGreaterThan(es);
    expect(desk.service.quote('AAPL.XNAS')).toBeUndefined();
    expect((await venue.sim.control!.marketData.state()).subscriptions).toBe(subscribedBefore - 1);
  });

  it('after a dropped connection reconnects, subscribes everything again and the quotes are fresh', async () => {
    const held = ['ESZ6.XCME', 'EURUSD.3M', 'UST.4.25.2034', 'AAPL261218C200'];
    const snapshotsBefore = held.map((id) => desk.snapshots.get(id) ?? 0);
    const logons = desk.states.filter((s) => s === 'loggedOn').length;
    await venue.sim.control!.marketData.disconnect();
    await desk.until('the drop', () => desk.states.slice(-3).some((s) => s !== 'loggedOn'));
    await desk.until('logged on again', () => desk.states.filter((s) => s === 'loggedOn').length === logons + 1);
    for (const [i, id] of held.entries()) await desk.until(`${id} snapshot again`, () => (desk.snapshots.get(id) ?? 0) === snapshotsBefore[i]! + 1 && desk.published.get(id)?.stale === false);
    expect((await venue.sim.control!.marketData.state()).subscriptions).toBe(held.length);
    expect(desk.malformed).toEqual([]);
  });

  it('marks a quote stale when no update arrives within the limit, on the injected clock', async () => {
    desk.service.hold('ticket@w3', ['KO.XNYS']);
    await desk.until('KO snapshot', () => desk.published.get('KO.XNYS')?.bid !== undefined);
    await sleep(200); // KO never moves: nothing follows the snapshot
    expect(desk.increments.get('KO.XNYS')).toBeUndefined();
    desk.clock.advance(4_800);
    expect(desk.service.quote('KO.XNYS')?.stale).toBe(false);
    desk.clock.advance(400);
    expect(desk.service.quote('KO.XNYS')?.stale).toBe(true);
    expect(desk.published.get('KO.XNYS')?.stale).toBe(true);
    expect(desk.service.sessionView()?.stale).toBeGreaterThanOrEqual(1);
    // An instrument that keeps moving stays fresh: its updates reset the limit.
    await desk.until('ESZ6 update', () => desk.service.quote('ESZ6.XCME')?.stale === false);
  });
});
