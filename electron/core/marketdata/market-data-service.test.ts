import { describe, expect, it } from 'vitest';
import type { MarketDataSessionView, QuoteView } from '../../../shared/contract/market-data';
import type { Instrument } from '../../../shared/domain/instrument';
import type { SessionState } from '../../../shared/domain/order-types';
import { silentLogger } from '../log/logger';
import { TestClock } from '../time/test-clock';
import type { MarketDataFeed } from './market-data-port';
import { MarketDataService } from './market-data-service';

const equity = (id: string): Instrument => ({ id, assetClass: 'equity', symbol: id, name: id, currency: 'USD', exchange: 'XNAS', isin: 'US0000000000', tickSize: '0.01', lotSize: '1' });

/** A feed that records what the service asks of it. */
class FakeFeed implements MarketDataFeed {
  readonly name = 'FAKE';
  readonly endpoint = { host: '127.0.0.1', port: 1, senderCompId: 'D', targetCompId: 'F', fixVersion: 'FIX.4.4' };
  state: SessionState = 'stopped';
  readonly calls: string[] = [];
  start(): void {
    this.calls.push('start');
  }
  async stop(): Promise<void> {
    this.calls.push('stop');
  }
  subscribe(instrument: Instrument): void {
    this.calls.push(`+${instrument.id}`);
  }
  unsubscribe(id: string): void {
    this.calls.push(`-${id}`);
  }
  stats() {
    return { nextIncomingSeqNum: 1, nextOutgoingSeqNum: 1, gapsDetected: 0, resendRequestsSent: 0, resendRequestsServed: 0, heldMessages: 0, inSchedule: true };
  }
}

function setUp(staleAfterMs = 5_000) {
  const clock = new TestClock('2026-12-07T14:00:00.000Z');
  const published: QuoteView[] = [];
  const sessions: MarketDataSessionView[] = [];
  const known = new Map(['AAPL', 'MSFT', 'KO'].map((id) => [id, equity(id)]));
  const service = new MarketDataService({ clock, log: silentLogger, instrument: (id) => known.get(id), staleAfterMs, publishQuote: (v) => published.push(v), publishSession: (v) => sessions.push(v) });
  const feed = new FakeFeed();
  return { clock, published, sessions, service, feed };
}

describe('MarketDataService', () => {
  it('subscribes at the feed once per instrument however many hold it, and drops it with the last', () => {
    const { service, feed } = setUp();
    service.hold('ticket@1', ['AAPL']); // before the feed starts: made at its start
    service.start(feed);
    expect(feed.calls).toEqual(['+AAPL', 'start']);
    service.hold('watch@1', ['AAPL', 'MSFT']);
    service.release('ticket@1');
    expect(feed.calls.slice(2)).toEqual(['+MSFT']);
    service.release('watch@1', ['AAPL']);
    expect(feed.calls.slice(3)).toEqual(['-AAPL']);
  });

  it('applies a snapshot then increments in order, and ignores what nobody holds', () => {
    const { service, feed, published, clock } = setUp();
    service.start(feed);
    service.hold('t', ['AAPL']);
    service.listener.onSnapshot('AAPL', [
      { type: 'bid', price: '189.99', size: '500' },
      { type: 'offer', price: '190.01', size: '300' },
      { type: 'trade', price: '190', size: '100' },
      { type: 'volume', size: '1000' },
    ]);
    clock.advance(10);
    service.listener.onIncremental('AAPL', [
      { action: 'change', type: 'bid', price: '190.00', size: '200' },
      { action: 'new', type: 'trade', price: '190.01', size: '50' },
      { action: 'change', type: 'volume', size: '1050' },
      { action: 'delete', type: 'offer' },
    ]);
    service.listener.onSnapshot('MSFT', [{ type: 'bid', price: '1' }]);
    const q = service.quote('AAPL')!;
    expect([q.bid, q.bidSize, q.ask, q.last, q.lastSize, q.volume, q.stale, q.source, q.updatedAt]).toEqual(['190.00', '200', undefined, '190.01', '50', '1050', false, 'FAKE', '2026-12-07T14:00:00.010Z']);
    expect(published.map((p) => p.instrumentId)).toEqual(['AAPL', 'AAPL']);
    expect(service.quote('MSFT')).toBeUndefined();
  });

  it('marks a quote stale when nothing arrives within the limit, and fresh again at the next update', () => {
    const { service, feed, clock, published } = setUp(5_000);
    service.start(feed);
    service.hold('t', ['AAPL', 'MSFT']);
    service.listener.onSnapshot('AAPL', [{ type: 'bid', price: '1' }]);
    clock.advance(4_000);
    service.listener.onIncremental('MSFT', [{ action: 'new', type: 'bid', price: '2' }]);
    clock.advance(1_500); // AAPL silent for 5.5 s, MSFT for 1.5 s
    expect(service.quote('AAPL')?.stale).toBe(true);
    expect(service.quote('MSFT')?.stale).toBe(false);
    expect(published.filter((p) => p.instrumentId === 'AAPL').map((p) => p.stale)).toEqual([false, true]);
    expect(service.sessionView()?.stale).toBe(1);
    service.listener.onIncremental('AAPL', [{ action: 'change', type: 'bid', price: '1.01' }]);
    expect(service.quote('AAPL')?.stale).toBe(false);
    clock.advance(60_000);
    expect(published.filter((p) => p.instrumentId === 'AAPL' && p.stale)).toHaveLength(2); // marked once per silence, not every check
  });

  it('says so when a subscription never gets even a snapshot in time', () => {
    const { service, feed, clock } = setUp(2_000);
    service.start(feed);
    service.hold('t', ['KO']);
    clock.advance(2_500);
    expect(service.quote('KO')).toMatchObject({ instrumentId: 'KO', stale: true });
    expect(service.quote('KO')?.bid).toBeUndefined();
  });

  it('marks every quote stale when the feed goes down; the fresh snapshot after the logon clears it', () => {
    const { service, feed, sessions } = setUp();
    service.start(feed);
    service.hold('t', ['AAPL']);
    service.listener.onState('loggedOn');
    service.listener.onSnapshot('AAPL', [{ type: 'bid', price: '1' }]);
    service.listener.onState('disconnected', 'connection closed by the broker');
    expect(service.quote('AAPL')?.stale).toBe(true);
    expect(sessions.at(-1)).toMatchObject({ name: 'FAKE', state: 'disconnected', lastError: 'connection closed by the broker', subscriptions: 1, stale: 1 });
    service.listener.onState('loggedOn');
    service.listener.onSnapshot('AAPL', [{ type: 'bid', price: '1.5' }]);
    expect(service.quote('AAPL')).toMatchObject({ bid: '1.5', stale: false });
  });

  it('shows a refused instrument with the reason, and does not count it as subscribed', () => {
    const { service, feed } = setUp();
    service.start(feed);
    service.hold('t', ['AAPL', 'MSFT']);
    service.listener.onReject('MSFT', 'unknown symbol: MSFT');
    expect(service.quote('MSFT')).toMatchObject({ rejected: 'unknown symbol: MSFT', stale: true });
    expect(service.sessionView()?.subscriptions).toBe(1);
  });

  it('stops the feed and its staleness checks at stop', async () => {
    const { service, feed, clock, published } = setUp();
    service.start(feed);
    service.hold('t', ['AAPL']);
    service.listener.onSnapshot('AAPL', [{ type: 'bid', price: '1' }]);
    await service.stop();
    expect(feed.calls.at(-1)).toBe('stop');
    clock.advance(60_000);
    expect(published.map((p) => p.stale)).toEqual([false]);
  });
});
