import { describe, expect, it } from 'vitest';
import { QuoteSubscriptions } from './quote-subscriptions';

function harness() {
  const sent: Array<{ subscribe: readonly string[]; unsubscribe: readonly string[] }> = [];
  const queue: Array<() => void> = [];
  const subs = new QuoteSubscriptions((c) => sent.push(c), (work) => queue.push(work));
  const turn = () => queue.splice(0).forEach((w) => w());
  return { subs, sent, turn };
}

describe('QuoteSubscriptions', () => {
  it('subscribes an instrument once however many hold it, and unsubscribes when the last lets go', () => {
    const { subs, sent, turn } = harness();
    const ticket = subs.retain('AAPL.XNAS');
    const watch = subs.retain('AAPL.XNAS');
    subs.retain('ESZ6.XCME');
    turn();
    expect(sent).toEqual([{ subscribe: ['AAPL.XNAS', 'ESZ6.XCME'], unsubscribe: [] }]);
    ticket();
    ticket();
    turn();
    expect(sent).toHaveLength(1);
    watch();
    turn();
    expect(sent[1]).toEqual({ subscribe: [], unsubscribe: ['AAPL.XNAS'] });
    expect(subs.held()).toEqual(['ESZ6.XCME']);
  });

  it('sends nothing for a release and a retain within one turn (the ticket re-rendering)', () => {
    const { subs, sent, turn } = harness();
    const first = subs.retain('EURUSD.SPOT');
    turn();
    first();
    subs.retain('EURUSD.SPOT');
    turn();
    expect(sent).toEqual([{ subscribe: ['EURUSD.SPOT'], unsubscribe: [] }]);
  });

  it('sends the whole set again after a reconnect', () => {
    const { subs, sent, turn } = harness();
    subs.retain('A.X');
    subs.retain('B.X');
    turn();
    subs.resendAll();
    turn();
    expect(sent[1]).toEqual({ subscribe: ['A.X', 'B.X'], unsubscribe: [] });
  });

  it('sends at the end of the turn by default (the microtask queue)', async () => {
    const sent: unknown[] = [];
    const subs = new QuoteSubscriptions((c) => sent.push(c));
    subs.retain('A.X');
    expect(sent).toEqual([]);
    await Promise.resolve();
    expect(sent).toEqual([{ subscribe: ['A.X'], unsubscribe: [] }]);
  });
});
