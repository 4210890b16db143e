import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OrderTicket } from '../../../shared/contract/ticket';
import { riskLimitsSchema } from '../config/risk-limits-config';
import { Dec } from '../decimal/decimal';
import { shippedInstrument } from '../instruments/shipped-instruments.test-support';
import type { OrderBookView } from '../orders/order-book';
import { TestClock } from '../time/test-clock';
import type { RiskState } from './pre-trade-checks';
import { assessOrder } from './pre-trade-checks';
import { limitsHash } from './risk-limits-state';
import { RiskUsage } from './risk-usage';

/**
 * The order-rate throttle and the duplicate guard, driven on the test clock: attempts at random
 * times, each assessed against the usage folded from the orders that went out before it (as the
 * desk does: the gate reads the read model, the journal feeds it).
 */
const AAPL = shippedInstrument('AAPL.XNAS');
const noOrders = { get: () => undefined } as unknown as OrderBookView;

function harness(limitsInput: unknown) {
  const limits = riskLimitsSchema.parse(limitsInput);
  const usage = new RiskUsage(noOrders, { current: () => ({ limits, hash: limitsHash(limits) }) });
  const clock = new TestClock('2026-11-27T14:00:00.000Z');
  let seq = 0;
  const attempt = (ticket: Pick<OrderTicket, 'account' | 'side' | 'quantity' | 'broker'>) => {
    const state: RiskState = {
      limits,
      mode: 'normal',
      nowMs: clock.now().getTime(),
      reference: () => ({ price: new Dec(150), stale: false }),
      position: () => new Dec(0),
      dailyGross: (a) => usage.view.dailyGross(a),
      openOrders: () => 0,
      lastSameOrderMs: (k) => usage.view.lastSameOrderMs(k),
      bucket: (b) => usage.view.bucket(b),
    };
    const findings = assessOrder({ account: ticket.account, broker: ticket.broker, instrument: AAPL, side: ticket.side, quantity: new Dec(ticket.quantity), price: new Dec(150), locate: true }, state).findings;
    if (!findings.some((f) => f.tier === 'block')) {
      seq += 1;
      const full: OrderTicket = { instrumentId: AAPL.id, orderType: 'limit', limitPrice: '150', timeInForce: 'day', ...ticket };
      usage.apply({ type: 'orderSubmitted', at: clock.now().toISOString(), orderId: `O${seq}`, clOrdId: `O${seq}`, ticket: full, instrument: AAPL, tradeDate: '2026-11-27' });
    }
    return findings;
  };
  return { clock, attempt };
}

describe('order-rate throttle per broker (token bucket on the desk clock)', () => {
  it('never lets more than burst + rate × window through in any window, and always lets one through after a full refill', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 10 }),
        fc.array(fc.integer({ min: 0, max: 1_500 }), { minLength: 1, maxLength: 120 }),
        (ratePerSecond, burst, gaps) => {
          const { clock, attempt } = harness({ brokerRates: { 'SIM-A': { ordersPerSecond: ratePerSecond, burst } } });
          const accepted: number[] = [];
          for (const gap of gaps) {
            clock.advance(gap);
            const now = clock.now().getTime();
            const refused = attempt({ account: 'FUND-ALPHA', side: 'buy', quantity: String(accepted.length + 1), broker: 'SIM-A' }).some((f) => f.code === 'ORDER_RATE_ABOVE_MAX');
            const last = accepted.at(-1);
            if (last === undefined || now - last >= (burst / ratePerSecond) * 1_000) expect(refused).toBe(false);
            if (!refused) accepted.push(now);
          }
          for (let i = 0; i < accepted.length; i++) {
            for (let j = i; j < accepted.length; j++) {
              const windowMs = accepted[j]! - accepted[i]!;
              expect(j - i + 1).toBeLessThanOrEqual(burst + (ratePerSecond * windowMs) / 1_000 + 1e-9);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('another broker has its own bucket', () => {
    const { attempt } = harness({ brokerRates: { 'SIM-A': { ordersPerSecond: 1, burst: 1 } } });
    expect(attempt({ account: 'FUND-ALPHA', side: 'buy', quantity: '1', broker: 'SIM-A' })).toEqual([]);
    expect(attempt({ account: 'FUND-ALPHA', side: 'buy', quantity: '2', broker: 'SIM-A' }).map((f) => f.code)).toEqual(['ORDER_RATE_ABOVE_MAX']);
    expect(attempt({ account: 'FUND-ALPHA', side: 'buy', quantity: '3', broker: 'SIM-B' })).toEqual([]);
  });
});

describe('duplicate-order guard (same account, side, instrument, quantity within the window)', () => {
  it('flags an order exactly when the same one went out less than the window before it', () => {
    const orderArb = fc.record({
      gap: fc.integer({ min: 0, max: 4_000 }),
      account: fc.constantFrom('FUND-ALPHA', 'FUND-BETA'),
      side: fc.constantFrom('buy' as const, 'sellShort' as const),
      quantity: fc.constantFrom('100', '100.0', '200'),
    });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(orderArb, { minLength: 1, maxLength: 80 }), (windowSeconds, attempts) => {
        // Warnings do not stop an order here: what went out is what the guard remembers.
        const { clock, attempt } = harness({ defaults: { duplicateWindowSeconds: windowSeconds } });
        const sent: { at: number; key: string }[] = [];
        for (const a of attempts) {
          clock.advance(a.gap);
          const now = clock.now().getTime();
          const key = `${a.account}|${a.side}|${new Dec(a.quantity).toString()}`;
          const expected = sent.some((s) => s.key === key && now - s.at < windowSeconds * 1_000);
          const flagged = attempt({ account: a.account, side: a.side, quantity: a.quantity, broker: 'SIM-A' }).some((f) => f.code === 'DUPLICATE_ORDER');
          expect(flagged).toBe(expected);
          sent.push({ at: now, key });
        }
      }),
      { numRuns: 200 },
    );
  });
});
