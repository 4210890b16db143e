import { describe, expect, it } from 'vitest';
import type { AlgoParentView } from '../../../shared/contract/algos';
import { AlgoHistory } from './algo-history';

const view = (cumQty: string, scheduledQty: string) => ({ parentId: 'P1', instrumentId: 'AAPL.XNAS', cumQty, scheduledQty }) as AlgoParentView;

describe('algo chart history', () => {
  it('keeps a point per change, in time order, and tells its watchers', () => {
    const h = new AlgoHistory();
    let told = 0;
    h.watch(() => told++);
    h.record([view('0', '100')], 1_000, () => '190.01');
    h.record([view('0', '100')], 2_000, () => '190.01'); // nothing changed
    h.record([view('100', '200')], 3_000, () => undefined);
    h.record([view('150', '200')], 2_500, () => undefined); // late: dropped
    expect(h.points('P1')).toEqual([
      { t: 1, executed: 0, scheduled: 100, price: 190.01 },
      { t: 3, executed: 100, scheduled: 200, price: null },
    ]);
    expect(told).toBe(2);
  });
});
