import { describe, expect, it } from 'vitest';
import type { QuoteView } from '../../../shared/contract/market-data';
import { changeOf, moveInList, quoteState, signed } from './watch-values';

const quote = (q: Partial<QuoteView>): QuoteView => ({ instrumentId: 'X', updatedAt: '2026-12-07T10:00:00.000Z', source: 'MD', stale: false, ...q });

describe('market watch values', () => {
  it('changes on the previous close, exactly', () => {
    expect(changeOf(quote({ last: '1.08532', close: '1.08412' }))).toEqual({ change: '0.0012', percent: '0.11' });
    expect(changeOf(quote({ last: '98.5', close: '99.00390625' }))).toEqual({ change: '-0.50390625', percent: '-0.51' });
    expect(changeOf(quote({ last: '100' }))).toBeUndefined();
    expect(signed('0.0012')).toBe('+0.0012');
    expect(signed('-0.5', 2)).toBe('\u22120.50');
    expect(signed('0', 2)).toBe('0.00');
  });

  it('moves an instrument up or down the list, clamped at the ends', () => {
    expect(moveInList(['A', 'B', 'C'], 'C', -1)).toEqual(['A', 'C', 'B']);
    expect(moveInList(['A', 'B', 'C'], 'A', 1)).toEqual(['B', 'A', 'C']);
    const list = ['A', 'B'];
    expect(moveInList(list, 'A', -1)).toBe(list);
    expect(moveInList(list, 'Z', 1)).toBe(list);
  });

  it('says stale, refused or waiting; nothing when live', () => {
    expect(quoteState(undefined)).toBe('waiting');
    expect(quoteState(quote({ stale: true }))).toBe('stale');
    expect(quoteState(quote({ rejected: 'unknown instrument' }))).toBe('refused: unknown instrument');
    expect(quoteState(quote({}))).toBe('');
  });
});
