import { describe, expect, it } from 'vitest';
import { QuoteHolders } from './quote-holders';

describe('QuoteHolders', () => {
  it('wants an instrument from its first holder to its last', () => {
    const h = new QuoteHolders();
    expect(h.hold('ticket@1', ['A', 'B'])).toEqual({ added: ['A', 'B'], removed: [] });
    expect(h.hold('watch@1', ['B', 'C'])).toEqual({ added: ['C'], removed: [] });
    expect(h.hold('watch@1', ['B'])).toEqual({ added: [], removed: [] }); // holding twice counts once
    expect(h.release('ticket@1', ['B'])).toEqual({ added: [], removed: [] }); // watch@1 still holds B
    expect(h.release('watch@1')).toEqual({ added: [], removed: ['B', 'C'] });
    expect(h.wanted()).toEqual(['A']);
    expect(h.release('nobody')).toEqual({ added: [], removed: [] });
    expect(h.release('ticket@1', ['Z'])).toEqual({ added: [], removed: [] });
  });

  it('sets a holder to exactly a set, reporting only what changed for the feed', () => {
    const h = new QuoteHolders();
    h.hold('ticket@1', ['A']);
    expect(h.set('orders', new Set(['A', 'B']))).toEqual({ added: ['B'], removed: [] });
    expect(h.set('orders', new Set(['B', 'C']))).toEqual({ added: ['C'], removed: [] }); // A still held by the ticket
    expect(h.heldBy('orders')).toEqual(['B', 'C']);
    expect(h.set('orders', new Set())).toEqual({ added: [], removed: ['B', 'C'] });
    expect(h.isWanted('A')).toBe(true);
    expect(h.heldBy('orders')).toEqual([]);
  });
});
