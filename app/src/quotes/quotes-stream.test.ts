import { describe, expect, it } from 'vitest';
import type { QuoteView } from '../../../shared/contract/market-data';
import { fail } from '../../../shared/contract/result';
import { QuoteBook } from './quote-book';
import { QuoteSubscriptions } from './quote-subscriptions';
import { applyQuoteMessage, connectQuoteSubscriptions } from './quotes-stream';

const q = (instrumentId: string, last: string): QuoteView => ({ instrumentId, last, updatedAt: '2026-12-07T10:00:00.000Z', source: 'MD', stale: false });
const snapshot = { kind: 'snapshot', orders: [], executions: [], sessions: [], alerts: [], reference: { brokers: [], accounts: [], instruments: [] } } as const;

describe('quotes on the desk stream', () => {
  it('a snapshot replaces the book (none: empty), deltas update it, other messages are not quotes', () => {
    const book = new QuoteBook();
    expect(applyQuoteMessage(book, { ...snapshot, quotes: [q('A.X', '1')] })).toBe(true);
    expect(book.get('A.X')?.last).toBe('1');
    expect(applyQuoteMessage(book, { kind: 'quotes', rows: [q('B.X', '2')] })).toBe(true);
    expect(book.size).toBe(2);
    expect(applyQuoteMessage(book, { kind: 'alerts', rows: [] })).toBe(false);
    applyQuoteMessage(book, snapshot);
    expect(book.size).toBe(0);
  });

  it('sends subscribe and unsubscribe as the window\'s holder, and reports a refusal', async () => {
    const calls: Array<[string, unknown]> = [];
    const reports: string[] = [];
    const subs = new QuoteSubscriptions(() => undefined, (work) => work());
    connectQuoteSubscriptions(
      subs,
      ((command: string, params: unknown) => {
        calls.push([command, params]);
        return Promise.resolve(command === 'subscribeQuotes' ? fail('UNKNOWN_INSTRUMENT', 'no instrument NOPE.X') : { ok: true, value: { holder: 'w', instrumentIds: [] } });
      }) as never,
      'window@main-1',
      (m) => reports.push(m),
    );
    const release = subs.retain('NOPE.X');
    release();
    await Promise.resolve();
    expect(calls).toEqual([
      ['subscribeQuotes', { holder: 'window@main-1', instrumentIds: ['NOPE.X'] }],
      ['unsubscribeQuotes', { holder: 'window@main-1', instrumentIds: ['NOPE.X'] }],
    ]);
    expect(reports).toEqual(['Quotes not available for NOPE.X: no instrument NOPE.X']);
  });
});
