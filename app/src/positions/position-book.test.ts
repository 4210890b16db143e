import { describe, expect, it } from 'vitest';
import type { PositionRow } from '../../../shared/contract/positions';
import { PositionBook } from './position-book';

const row = (version: number, quantity: string) => ({ key: 'A|X', version, quantity }) as unknown as PositionRow;

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
});
