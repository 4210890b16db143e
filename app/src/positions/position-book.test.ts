import { describe, expect, it } from 'vitest';
import type { PositionRow } from '../../../shared/contract/positions';
import { PositionBook } from './position-book';

const row = (version: number, quantity: string, key = 'A|X') => ({ key, version, quantity }) as unknown as PositionRow;

describe('the renderer’s positions', () => {
  it('a snapshot replaces them; a delta never goes back to a lower version', () => {
    const book = new PositionBook();
    let heard = 0;
    book.onChange(() => heard++);
    book.apply({ kind: 'positions', rows: [row(2, '10')] });
    book.apply({ kind: 'positions', rows: [row(1, '5')] });
    expect(book.all().map((r) => r.quantity)).toEqual(['10']);
    book.apply({ kind: 'snapshot', orders: [], executions: [], sessions: [], alerts: [], reference: { brokers: [], accounts: [], instruments: [] }, positions: [] });
    expect(book.size).toBe(0);
    expect(book.apply({ kind: 'alerts', rows: [] })).toBe(false);
    expect(heard).toBe(3);
  });

  it('lists the positions in key order, the same list until something changes', () => {
    const book = new PositionBook();
    book.apply({ kind: 'positions', rows: [row(1, '1', 'B|Y'), row(1, '2', 'A|Z')] });
    book.apply({ kind: 'positions', rows: [row(1, '3', 'A|X')] });
    const first = book.all();
    expect(first.map((r) => r.key)).toEqual(['A|X', 'A|Z', 'B|Y']);
    expect(book.all()).toBe(first);
    book.apply({ kind: 'positions', rows: [row(2, '4', 'A|Z')] });
    expect(book.all()).not.toBe(first);
    expect(book.all().map((r) => `${r.key}=${r.quantity}`)).toEqual(['A|X=3', 'A|Z=4', 'B|Y=1']);
  });
});
