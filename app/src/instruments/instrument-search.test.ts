import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { InstrumentSearchResult } from '../../../shared/contract/instruments';
import type { Result } from '../../../shared/contract/result';
import type { Instrument } from '../../../shared/domain/instrument';
import type { SearchState } from './instrument-search';
import { InstrumentSearch } from './instrument-search';

const instrument = (id: string) => ({ id, symbol: id.split('.')[0], name: id, assetClass: 'equity', currency: 'USD', exchange: 'XNAS', isin: 'US0000000000', tickSize: '0.01', lotSize: '1' }) as Instrument;

describe('InstrumentSearch', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('asks once per pause in typing, for the latest text', async () => {
    const search = vi.fn((query: string) => Promise.resolve<Result<InstrumentSearchResult>>({ ok: true, value: { instruments: [instrument(`${query}.XNAS`)], more: false } }));
    const states: SearchState[] = [];
    const s = new InstrumentSearch(search, (state) => states.push(state), 100);
    s.type('a');
    s.type('ap');
    s.type('app ');
    await vi.advanceTimersByTimeAsync(99);
    expect(search).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(search).toHaveBeenCalledTimes(1);
    expect(search).toHaveBeenCalledWith('app');
    expect(states.at(-1)).toEqual({ kind: 'results', query: 'app', instruments: [instrument('app.XNAS')], more: false });
  });

  it('drops a slow answer to an older query', async () => {
    const answers: Array<(r: Result<InstrumentSearchResult>) => void> = [];
    const search = vi.fn(() => new Promise<Result<InstrumentSearchResult>>((resolve) => answers.push(resolve)));
    const states: SearchState[] = [];
    const s = new InstrumentSearch(search, (state) => states.push(state), 10);
    s.type('eur');
    await vi.advanceTimersByTimeAsync(10);
    s.type('eurusd');
    await vi.advanceTimersByTimeAsync(10);
    answers[1]?.({ ok: true, value: { instruments: [instrument('EURUSD.SPOT')], more: false } });
    answers[0]?.({ ok: true, value: { instruments: [instrument('EUR.OLD')], more: true } });
    await vi.advanceTimersByTimeAsync(0);
    expect(states.filter((x) => x.kind === 'results')).toEqual([{ kind: 'results', query: 'eurusd', instruments: [instrument('EURUSD.SPOT')], more: false }]);
  });

  it('says why a search failed, and clearing the text asks nothing', async () => {
    const search = vi.fn(() => Promise.resolve<Result<InstrumentSearchResult>>({ ok: false, error: { code: 'INTERNAL', message: 'Not connected to the desk' } }));
    const states: SearchState[] = [];
    const s = new InstrumentSearch(search, (state) => states.push(state), 10);
    s.type('x');
    await vi.advanceTimersByTimeAsync(10);
    expect(states.at(-1)).toEqual({ kind: 'failed', query: 'x', message: 'Not connected to the desk' });
    s.type('  ');
    await vi.advanceTimersByTimeAsync(50);
    expect(search).toHaveBeenCalledTimes(1);
    expect(states.at(-1)).toEqual({ kind: 'idle' });
  });
});
