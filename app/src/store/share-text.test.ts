import { describe, expect, it } from 'vitest';
import { shareText } from './share-text';

describe('shareText', () => {
  it('changes no value of the row: equal strings only, the fields named only', () => {
    const held = { id: 'ORDER-000001', status: 'partiallyFilled', cum: '5', qty: 10, note: 'old note text' };
    const row = JSON.parse('{"id":"ORDER-000001","status":"filled","cum":"10","qty":10,"note":"old note text"}') as typeof held;
    shareText(row, held, ['id', 'status', 'cum', 'qty']);
    expect(row).toEqual({ id: 'ORDER-000001', status: 'filled', cum: '10', qty: 10, note: 'old note text' });
    expect(held).toEqual({ id: 'ORDER-000001', status: 'partiallyFilled', cum: '5', qty: 10, note: 'old note text' });
  });

  it('does nothing without a held row', () => {
    const row = { id: 'A' };
    shareText(row, undefined, ['id']);
    expect(row).toEqual({ id: 'A' });
  });
});
