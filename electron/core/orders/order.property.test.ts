import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OrderStatus } from '../../../shared/domain/order-types';
import type { ExecutionReportMessage } from '../broker/broker-port';
import type { OrderEvent } from '../journal/desk-events';
import { Dec, ZERO } from '../decimal/decimal';
import type { Order } from './order';
import { applyOrderEvent, averagePrice, isOpen } from './order';
import { aaplTerms } from './order-terms.test-support';
import { limitTicket } from './test-support';

/**
 * Property tests of the order domain under random legal broker sequences. A small reference broker
 * turns random intents (fill, bust, correct, cancel, replace, expire) into the messages a real broker
 * would send, and keeps the truth: the surviving fills. After every message the desk's order must
 * agree with the truth.
 */

const at = '2026-11-27T10:00:00.000Z';
const PRICES = ['0.1', '0.2', '0.3', '1.05', '99.99', '150.125'];

type Intent =
  | { readonly k: 'fill'; readonly share: number; readonly px: number }
  | { readonly k: 'bust'; readonly pick: number }
  | { readonly k: 'correct'; readonly pick: number; readonly share: number; readonly px: number }
  | { readonly k: 'cancel'; readonly accept: boolean }
  | { readonly k: 'replace'; readonly share: number; readonly accept: boolean }
  | { readonly k: 'expire' };

const share = fc.integer({ min: 1, max: 100 });
const intent: fc.Arbitrary<Intent> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ k: fc.constant('fill' as const), share, px: fc.nat(PRICES.length - 1) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('bust' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('correct' as const), pick: fc.nat(), share, px: fc.nat(PRICES.length - 1) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('cancel' as const), accept: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('replace' as const), share: fc.integer({ min: 1, max: 300 }), accept: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('expire' as const) }) },
);

interface TruthFill {
  execId: string;
  qty: Dec;
  px: Dec;
  active: boolean;
}

/** The reference broker: what a legal sell side sends, and what really executed. */
class Broker {
  qty: Dec;
  status: 'new' | 'partiallyFilled' | 'filled' | 'canceled' | 'expired' = 'new';
  readonly fills: TruthFill[] = [];
  private clOrdSeq = 1;
  private execSeq = 0;
  live = 'C1';

  constructor(qty: string) {
    this.qty = new Dec(qty);
  }

  get cum(): Dec {
    return this.fills.filter((f) => f.active).reduce((s, f) => s.plus(f.qty), ZERO);
  }

  get notional(): Dec {
    return this.fills.filter((f) => f.active).reduce((s, f) => s.plus(f.qty.times(f.px)), ZERO);
  }

  private get done(): boolean {
    return this.status === 'canceled' || this.status === 'expired';
  }

  private byQuantity(): 'new' | 'partiallyFilled' | 'filled' {
    const cum = this.cum;
    return cum.isZero() ? 'new' : cum.greaterThanOrEqualTo(this.qty) ? 'filled' : 'partiallyFilled';
  }

  report(execType: ExecutionReportMessage['execType'], ordStatus: OrderStatus, extra: Partial<ExecutionReportMessage> = {}): ExecutionReportMessage {
    const cum = this.cum;
    const avg = cum.isZero() ? ZERO : this.notional.dividedBy(cum).toDecimalPlaces(8); // a broker rounds its AvgPx
    const leaves = this.done || this.status === 'filled' ? ZERO : Dec.max(ZERO, this.qty.minus(cum));
    return {
      type: 'executionReport',
      execId: `E${++this.execSeq}`,
      execType,
      ordStatus,
      clOrdId: this.live,
      orderQty: this.qty.toFixed(),
      cumQty: cum.toFixed(),
      leavesQty: leaves.toFixed(),
      avgPx: avg.toFixed(),
      possDup: false,
      seqNum: this.execSeq,
      raw: '',
      ...extra,
    };
  }

  /** The events an intent produces (desk requests and broker reports), in wire order. */
  play(i: Intent, orderId: string): Array<{ event: OrderEvent; kind: string }> {
    const out: Array<{ event: OrderEvent; kind: string }> = [];
    const er = (report: ExecutionReportMessage) => out.push({ kind: report.execType, event: { type: 'executionReceived', at, orderId, broker: 'SIM-A', report } });
    const live = this.status === 'new' || this.status === 'partiallyFilled';
    switch (i.k) {
      case 'fill': {
        if (!live) break;
        const leaves = this.qty.minus(this.cum);
        const q = Dec.max(new Dec('0.01'), leaves.times(i.share).dividedBy(100).toDecimalPlaces(2, Dec.ROUND_DOWN));
        if (q.greaterThan(leaves)) break;
        const px = new Dec(PRICES[i.px] as string);
        const execId = `E${this.execSeq + 1}`;
        this.fills.push({ execId, qty: q, px, active: true });
        this.status = this.byQuantity() as typeof this.status;
        er(this.report('trade', this.status, { lastQty: q.toFixed(), lastPx: px.toFixed() }));
        break;
      }
      case 'bust':
      case 'correct': {
        const active = this.fills.filter((f) => f.active);
        if (active.length === 0) break;
        const target = active[i.pick % active.length] as TruthFill;
        target.active = false;
        let extra: Partial<ExecutionReportMessage> = { execRefId: target.execId };
        if (i.k === 'correct') {
          const q = Dec.max(new Dec('0.01'), target.qty.times(i.share).dividedBy(100).toDecimalPlaces(2, Dec.ROUND_DOWN));
          const px = new Dec(PRICES[i.px] as string);
          this.fills.push({ execId: `E${this.execSeq + 1}`, qty: q, px, active: true });
          extra = { ...extra, lastQty: q.toFixed(), lastPx: px.toFixed() };
        }
        if (!this.done) this.status = this.byQuantity() as typeof this.status;
        er(this.report(i.k === 'bust' ? 'tradeCancel' : 'tradeCorrect', this.status, extra));
        break;
      }
      case 'cancel': {
        if (!live) break;
        const clOrdId = `C${++this.clOrdSeq}`;
        out.push({ kind: 'cancelRequested', event: { type: 'cancelRequested', at, orderId, clOrdId, origClOrdId: this.live } });
        er(this.report('pendingCancel', 'pendingCancel', { clOrdId, origClOrdId: this.live }));
        if (i.accept) {
          this.status = 'canceled';
          er(this.report('canceled', 'canceled', { clOrdId, origClOrdId: this.live }));
          this.live = clOrdId;
        } else {
          out.push({
            kind: 'cancelRejected',
            event: { type: 'cancelRejectReceived', at, orderId, broker: 'SIM-A', reject: { type: 'cancelReject', clOrdId, origClOrdId: this.live, responseTo: 'cancel', possDup: false, seqNum: 0, raw: '' } },
          });
        }
        break;
      }
      case 'replace': {
        if (this.done) break;
        const quantity = this.cum.plus(new Dec(i.share));
        const clOrdId = `C${++this.clOrdSeq}`;
        out.push({ kind: 'replaceRequested', event: { type: 'replaceRequested', at, orderId, clOrdId, origClOrdId: this.live, quantity: quantity.toFixed(), limitPrice: '150' } });
        er(this.report('pendingReplace', 'pendingReplace', { clOrdId, origClOrdId: this.live }));
        if (i.accept) {
          const orig = this.live;
          this.qty = quantity;
          this.live = clOrdId;
          this.status = this.byQuantity() as typeof this.status;
          er(this.report('replaced', this.status, { clOrdId, origClOrdId: orig }));
        } else {
          out.push({
            kind: 'cancelRejected',
            event: { type: 'cancelRejectReceived', at, orderId, broker: 'SIM-A', reject: { type: 'cancelReject', clOrdId, origClOrdId: this.live, responseTo: 'replace', possDup: false, seqNum: 0, raw: '' } },
          });
        }
        break;
      }
      case 'expire':
        if (!live) break;
        this.status = 'expired';
        er(this.report('expired', 'expired'));
        break;
    }
    return out;
  }
}

function apply(order: Order | undefined, event: OrderEvent): Order {
  const r = applyOrderEvent(order, event);
  if (!r.ok) throw new Error(`${event.type} refused: ${r.reason}`);
  return r.order;
}

const TERMINAL: ReadonlySet<OrderStatus> = new Set(['canceled', 'rejected', 'expired']);

describe('order domain properties under random legal broker sequences', () => {
  it('CumQty + LeavesQty = OrderQty while live; CumQty = surviving fills; AvgPx = their weighted price; terminal stays terminal', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.array(intent, { maxLength: 40 }), (units, intents) => {
        const qty = new Dec(units).dividedBy(100).toFixed(); // fractional quantities, e.g. FX amounts
        const broker = new Broker(qty);
        let order = apply(undefined, { type: 'orderSubmitted', at, orderId: 'C1', clOrdId: 'C1', ticket: { ...limitTicket, quantity: qty }, ...aaplTerms });
        order = apply(order, { type: 'executionReceived', at, orderId: 'C1', broker: 'SIM-A', report: broker.report('new', 'new') });
        for (const i of intents) {
          for (const { event, kind } of broker.play(i, 'C1')) {
            const before = order;
            order = apply(order, event);
            // CumQty never exceeds what was executed and survived; AvgPx is the quantity-weighted price of those fills.
            expect(order.cumQty.toFixed()).toBe(broker.cum.toFixed());
            expect(order.avgPx.toFixed()).toBe(averagePrice(broker.cum, broker.notional).toFixed());
            if (isOpen(order) && !order.overfilled) expect(order.cumQty.plus(order.leavesQty).toFixed()).toBe(order.quantity.toFixed());
            if (!isOpen(order)) expect(order.leavesQty.toFixed()).toBe('0');
            // Terminal stays terminal; only a bust or correction (or a replace raising the quantity, C.1.c) reopens a filled order.
            if (TERMINAL.has(before.working)) expect(order.working).toBe(before.working);
            if (before.working === 'filled' && order.working !== 'filled') expect(['tradeCancel', 'tradeCorrect', 'replaced']).toContain(kind);
          }
        }
        expect(order.working === 'filled' || order.working === 'canceled' || order.working === 'expired' || !order.cumQty.greaterThan(order.quantity)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('fills, busts and corrections in any order (a sequence gap) end with the same CumQty and AvgPx', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ q: fc.integer({ min: 1, max: 500 }), px: fc.nat(PRICES.length - 1), bust: fc.boolean() }), { minLength: 1, maxLength: 12 }),
        fc.integer(),
        (fills, seed) => {
          const reports: ExecutionReportMessage[] = [];
          let cum = ZERO;
          let notional = ZERO;
          fills.forEach((f, n) => {
            const q = new Dec(f.q);
            const px = new Dec(PRICES[f.px] as string);
            reports.push({ type: 'executionReport', execId: `F${n}`, execType: 'trade', ordStatus: 'partiallyFilled', clOrdId: 'C1', lastQty: q.toFixed(), lastPx: px.toFixed(), cumQty: '0', leavesQty: '0', avgPx: '0', possDup: false, seqNum: n, raw: '' });
            if (f.bust) {
              reports.push({ type: 'executionReport', execId: `B${n}`, execType: 'tradeCancel', ordStatus: 'partiallyFilled', clOrdId: 'C1', execRefId: `F${n}`, cumQty: '0', leavesQty: '0', avgPx: '0', possDup: false, seqNum: n, raw: '' });
            } else {
              cum = cum.plus(q);
              notional = notional.plus(q.times(px));
            }
          });
          const shuffled = shuffle(reports, seed);
          let order = apply(undefined, { type: 'orderSubmitted', at, orderId: 'C1', clOrdId: 'C1', ticket: { ...limitTicket, quantity: '100000' }, ...aaplTerms });
          for (const report of shuffled) order = apply(order, { type: 'executionReceived', at, orderId: 'C1', broker: 'SIM-A', report });
          expect(order.cumQty.toFixed()).toBe(cum.toFixed());
          expect(order.avgPx.toFixed()).toBe(averagePrice(cum, notional).toFixed());
          expect(order.working).toBe(cum.isZero() ? 'new' : 'partiallyFilled');
        },
      ),
      { numRuns: 300 },
    );
  });
});

function shuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
