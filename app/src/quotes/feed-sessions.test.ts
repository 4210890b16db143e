import { describe, expect, it } from 'vitest';
import type { MarketDataSessionView } from '../../../shared/contract/market-data';
import { applyFeedSessionMessage, feedSessions } from './feed-sessions';

const md = (state: MarketDataSessionView['state'], stale = 0) =>
  ({ name: 'MD', host: '127.0.0.1', port: 9890, senderCompId: 'DESK-MD', targetCompId: 'SIM-MD', fixVersion: 'FIX.4.4', state, updatedAt: 'x', subscriptions: 3, stale }) as MarketDataSessionView;
const snapshot = { kind: 'snapshot', orders: [], executions: [], sessions: [], alerts: [], reference: { brokers: [], accounts: [], instruments: [] } } as const;

describe('the market-data sessions for the status bar', () => {
  it('takes the snapshot, then updates by name; a snapshot without a feed empties it', () => {
    applyFeedSessionMessage({ ...snapshot, marketDataSessions: [md('connecting')] });
    expect(feedSessions().map((s) => s.state)).toEqual(['connecting']);
    applyFeedSessionMessage({ kind: 'marketDataSessions', rows: [md('loggedOn', 2)] });
    expect(feedSessions()).toEqual([md('loggedOn', 2)]);
    applyFeedSessionMessage({ kind: 'orders', rows: [] });
    expect(feedSessions()).toHaveLength(1);
    applyFeedSessionMessage(snapshot);
    expect(feedSessions()).toEqual([]);
  });
});
