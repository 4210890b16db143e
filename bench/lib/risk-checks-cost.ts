import type { RiskLimits } from '../../electron/core/config/risk-limits-config';
import { Dec } from '../../electron/core/decimal/decimal';
import type { Instrument } from '../../shared/domain/instrument';
import { assessOrder } from '../../electron/core/risk/pre-trade-checks';

/**
 * The pre-trade checks alone, in process: what `assessOrder` costs per order with the given limits
 * (usage and position lookups answered at once). The round trip's with/without comparison is the
 * figure that counts; on a noisy machine this one says what part of it the checks can be.
 */
export function checksMicrosecondsPerOrder(limits: RiskLimits, instrument: Instrument, broker: string, orders = 20_000): number {
  const state = {
    limits,
    mode: 'normal' as const,
    nowMs: 0,
    reference: () => undefined,
    position: () => new Dec(0),
    dailyGross: () => new Dec('12345678.90'),
    openOrders: () => 1_000,
    lastSameOrderMs: () => undefined,
    bucket: () => ({ tokens: 50_000, atMs: 0 }),
  };
  const one = (i: number) => assessOrder({ account: 'FUND-ALPHA', broker, instrument, side: 'buy', quantity: new Dec(100 + (i % 1_000)), price: new Dec('100.00') }, state);
  for (let i = 0; i < 2_000; i++) one(i);
  const t0 = performance.now();
  for (let i = 0; i < orders; i++) one(i);
  return ((performance.now() - t0) / orders) * 1_000;
}
