import type { AlgoParams } from '../../../shared/contract/algos';
import type { AlgoParentStarted } from '../journal/algo-events';
import { Dec, ZERO } from '../decimal/decimal';
import type { AlgoParent, ChildState } from './algo-parent';
import { startedParent } from './algo-parent';

export const T0 = '2026-11-27T14:30:00.000Z';
export const t0 = Date.parse(T0);
export const minutes = (m: number) => t0 + m * 60_000;
export const iso = (ms: number) => new Date(ms).toISOString();

export function algoParams(overrides: Partial<AlgoParams> = {}): AlgoParams {
  return {
    strategy: 'twap',
    instrumentId: 'AAPL.XNAS',
    side: 'buy',
    quantity: '1000',
    account: 'ACC1',
    broker: 'SIM',
    startTime: T0,
    endTime: iso(minutes(10)),
    childStyle: 'atTouch',
    catchUp: true,
    atEnd: 'cancelRest',
    slices: 10,
    sizeVariancePct: 0,
    timeVariancePct: 0,
    displayVariancePct: 0,
    ...overrides,
  };
}

export function startedEvent(overrides: Partial<AlgoParams> = {}, extra: Partial<AlgoParentStarted> = {}): AlgoParentStarted {
  return { type: 'algoParentStarted', at: T0, parentId: 'P1', by: 'trader', params: algoParams(overrides), lotSize: '1', tickSize: '0.01', seed: 42, ...extra };
}

export function parent(overrides: Partial<AlgoParams> = {}, extra: Partial<AlgoParentStarted> = {}): AlgoParent {
  return startedParent(startedEvent(overrides, extra));
}

export function child(orderId: string, quantity: string, cumQty = '0', price = '100', state: Partial<ChildState> = {}): ChildState {
  const q = new Dec(quantity);
  const c = new Dec(cumQty);
  const open = state.open ?? c.lessThan(q);
  return {
    orderId,
    quantity: q,
    cumQty: c,
    notional: c.times(price),
    exposure: open ? q.minus(c) : ZERO,
    open,
    rejected: false,
    cancelPending: false,
    uncertain: false,
    createdAt: T0,
    ...state,
  };
}
