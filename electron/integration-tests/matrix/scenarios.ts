import { expect } from 'vitest';
import type { OrderStatus } from '../../../shared/domain/order-types';
import type { Er, Expect, Scenario, ScenarioRun, Step } from './harness';
import { until } from './harness';

/**
 * The FIX order state change matrices (FIX 4.4 Volume 4 Appendix D, groups A–L; the same scenarios
 * in FIX Latest "Order State Changes"), one per applicable scenario, as the buy side sees them:
 * each step is what the desk sends or what the broker sends, and the desk's view after it
 * (OrdStatus, OrderQty, CumQty, LeavesQty, AvgPx).
 *
 * Where the desk's view differs from the OrdStatus in the broker's message, the step says why
 * ("desk:" notes). The one systematic difference: from the moment the desk sends a cancel or
 * replace it shows Pending Cancel / Pending Replace while the order is working; a broker message
 * that crossed our request on the wire carries the broker's older OrdStatus. Quantities always match.
 *
 * Prices: the matrices mostly leave LastPx out; fills here are at 100 unless the matrix gives prices
 * (J.1.a) or the scenario checks exact decimals (A.1.a: 0.1, 0.2, 0.3).
 */

type Letter = Er['cl'];

/** An execution report: type, OrdStatus, ClOrdID (and OrigClOrdID), OrderQty, CumQty, LeavesQty, AvgPx. */
function er(type: Er['type'], status: OrderStatus, ids: Letter | `${Letter},${Letter}`, qty: string, cum: string, leaves: string, avg: string, extra: Partial<Er> = {}): Er {
  const [cl, orig] = ids.split(',') as [Letter, Letter | undefined];
  return { type, status, cl, ...(orig !== undefined && { orig }), qty, cum, leaves, avg, ...extra };
}

const x = (expect: Expect) => expect;
const newOrder = (qty = '10000', tif: 'day' | 'gtc' | 'ioc' | 'fok' = 'day'): Step => ({ desk: 'new', qty, tif, expect: ['pendingNew', qty, '0', qty, '0'] });
const ack = (qty = '10000'): Step => ({ er: er('new', 'new', 'X', qty, '0', qty, '0'), expect: ['new', qty, '0', qty, '0'] });
const fill = (status: OrderStatus, cl: Letter, qty: string, cum: string, leaves: string, last: string, avg = '100', px = '100', shown: OrderStatus = status, id?: string): Step => ({
  er: er('trade', status, cl, qty, cum, leaves, avg, { last: [last, px], ...(id !== undefined && { id }) }),
  expect: x([shown, qty, cum, leaves, avg]),
});

function stateOf(run: ScenarioRun, name: string): string | undefined {
  const id = run.execId(name);
  return run.snapshotExecutions().find((e) => e.execId === id)?.state;
}

export const SCENARIOS: readonly Scenario[] = [
  // ── A Vanilla ──────────────────────────────────────────────────────────────
  {
    ref: 'A.1.a',
    title: 'filled order (exact AvgPx from fills at 0.1, 0.2, 0.3)',
    steps: [
      newOrder(),
      ack(),
      fill('partiallyFilled', 'X', '10000', '2000', '8000', '2000', '0.1', '0.1'),
      fill('partiallyFilled', 'X', '10000', '3000', '7000', '1000', '0.133333333333', '0.2'),
      fill('filled', 'X', '10000', '10000', '0', '7000', '0.25', '0.3'),
    ],
    then: (run) => expect(run.executions().filter((e) => e.execType === 'trade').map((e) => [e.lastQty, e.lastPx])).toEqual([['2000', '0.1'], ['1000', '0.2'], ['7000', '0.3']]),
  },
  {
    ref: 'A.1.a',
    title: 'filled order — rejected by the sell side',
    steps: [newOrder(), { er: er('rejected', 'rejected', 'X', '10000', '0', '0', '0', { text: 'unknown symbol' }), expect: ['rejected', '10000', '0', '0', '0'] }],
    then: (run) => expect(run.order().text).toMatch(/unknown symbol/),
  },
  {
    ref: 'A.1.b',
    title: 'part-filled day order, done for day',
    steps: [
      newOrder(),
      ack(),
      fill('partiallyFilled', 'X', '10000', '2000', '8000', '2000'),
      fill('partiallyFilled', 'X', '10000', '3000', '7000', '1000'),
      { er: er('doneForDay', 'doneForDay', 'X', '10000', '3000', '0', '100'), expect: ['doneForDay', '10000', '3000', '0', '100'] },
    ],
  },

  // ── B Cancel ───────────────────────────────────────────────────────────────
  {
    ref: 'B.1.a',
    title: 'cancel request issued for a zero-filled order',
    steps: [
      newOrder(),
      ack(),
      { desk: 'cancel', expect: ['pendingCancel', '10000', '0', '10000', '0'] },
      { er: er('pendingCancel', 'pendingCancel', 'Y,X', '10000', '0', '10000', '0'), expect: ['pendingCancel', '10000', '0', '10000', '0'] },
      { er: er('canceled', 'canceled', 'Y,X', '10000', '0', '0', '0'), expect: ['canceled', '10000', '0', '0', '0'] },
    ],
  },
  {
    ref: 'B.1.a',
    title: 'cancel request issued for a zero-filled order — rejected after pending cancel',
    steps: [
      newOrder(),
      ack(),
      { desk: 'cancel', expect: ['pendingCancel', '10000', '0', '10000', '0'] },
      { er: er('pendingCancel', 'pendingCancel', 'Y,X', '10000', '0', '10000', '0'), expect: ['pendingCancel', '10000', '0', '10000', '0'] },
      { reject: { cl: 'Y', orig: 'X', status: 'new', to: 'cancel', text: 'rejected by trader' }, expect: ['new', '10000', '0', '10000', '0'] },
    ],
    then: (run) => expect(run.order().text).toMatch(/cancel rejected: rejected by trader/),
  },
  {
    ref: 'B.1.b',
    title: 'cancel request issued for a part-filled order — executions occur whilst cancel request is active',
    steps: [
      newOrder(),
      ack(),
      fill('partiallyFilled', 'X', '10000', '2000', '8000', '2000'),
      { desk: 'cancel', expect: ['pendingCancel', '10000', '2000', '8000', '100'] },
      // desk: the fill crossed our cancel (broker said partiallyFilled); the desk keeps showing the cancel it sent.
      fill('partiallyFilled', 'X', '10000', '5000', '5000', '3000', '100', '100', 'pendingCancel'),
      { er: er('pendingCancel', 'pendingCancel', 'Y,X', '10000', '5000', '5000', '100'), expect: ['pendingCancel', '10000', '5000', '5000', '100'] },
      fill('pendingCancel', 'X', '10000', '6000', '4000', '1000'),
      { er: er('canceled', 'canceled', 'Y,X', '10000', '6000', '0', '100'), expect: ['canceled', '10000', '6000', '0', '100'] },
    ],
  },
  {
    ref: 'B.1.c',
    title: 'cancel request issued for an order that becomes filled before cancel request can be accepted',
    steps: [
      newOrder(),
      ack(),
      fill('partiallyFilled', 'X', '10000', '2000', '8000', '2000'),
      { desk: 'cancel', expect: ['pendingCancel', '10000', '2000', '8000', '100'] },
      fill('partiallyFilled', 'X', '10000', '5000', '5000', '3000', '100', '100', 'pendingCancel'),
      { er: er('pendingCancel', 'pendingCancel', 'Y,X', '10000', '5000', '5000', '100'), expect: ['pendingCancel', '10000', '5000', '5000', '100'] },
      // "Pending cancel" (12) takes precedence over "filled" (8) while the broker holds the cancel.
      fill('pendingCancel', 'X', '10000', '10000', '0', '5000'),
      { reject: { cl: 'Y', orig: 'X', status: 'filled', to: 'cancel', reason: 'tooLateToCancel' }, expect: ['filled', '10000', '10000', '0', '100'] },
    ],
  },
  {
    ref: 'B.1.d',
    title: 'cancel request issued for an order that has not yet been acknowledged',
    steps: [
      newOrder(),
      { desk: 'cancel', expect: ['pendingCancel', '10000', '0', '10000', '0'] },
      { er: er('pendingNew', 'pendingNew', 'X', '10000', '0', '10000', '0'), expect: ['pendingCancel', '10000', '0', '10000', '0'] },
      { er: er('pendingCancel', 'pendingCancel', 'Y,X', '10000', '0', '10000', '0'), expect: ['pendingCancel', '10000', '0', '10000', '0'] },
      { er: er('canceled', 'canceled', 'Y,X', '10000', '0', '0', '0'), expect: ['canceled', '10000', '0', '0', '0'] },
    ],
  },
  {
    ref: 'B.1.e',
    title: 'cancel request issued for an order that has not yet been acknowledged — the acknowledgment and the cancel request cross',
    steps: [
      newOrder(),
      { desk: 'cancel', expect: ['pendingCancel', '10000', '0', '10000', '0'] },
      // desk: the ack crossed our cancel (broker said new).
      { er: er('new', 'new', 'X', '10000', '0', '10000', '0'), expect: ['pendingCancel', '10000', '0', '10000', '0'] },
      { er: er('pendingCancel', 'pendingCancel', 'Y,X', '10000', '0', '10000', '0'), expect: ['pendingCancel', '10000', '0', '10000', '0'] },
      { er: er('canceled', 'canceled', 'Y,X', '10000', '0', '0', '0'), expect: ['canceled', '10000', '0', '0', '0'] },
    ],
  },
  {
    ref: 'B.1.f',
    title: 'cancel request issued for an order the broker does not know — rejected as unknown order',
    steps: [
      newOrder(),
      ack(),
      { desk: 'cancel', expect: ['pendingCancel', '10000', '0', '10000', '0'] },
      { reject: { cl: 'Y', orig: 'X', status: 'rejected', to: 'cancel', text: 'unknown order' }, expect: ['new', '10000', '0', '10000', '0'] },
    ],
    then: (run) => {
      expect(run.order().text).toMatch(/does not know the order/);
      expect(run.shared.view.alerts.some((a) => a.orderId === run.orderId && /does not know the order/.test(a.message))).toBe(true);
    },
  },

  // ── C Cancel/replace quantity changes ──────────────────────────────────────
  {
    ref: 'C.1.a',
    title: 'zero-filled order, cancel/replace request issued to increase order qty',
    steps: [
      newOrder(),
      ack(),
      { desk: 'replace', qty: '11000', expect: ['pendingReplace', '10000', '0', '10000', '0'] },
      { er: er('pendingReplace', 'pendingReplace', 'Y,X', '10000', '0', '10000', '0'), expect: ['pendingReplace', '10000', '0', '10000', '0'] },
      { er: er('replaced', 'new', 'Y,X', '11000', '0', '11000', '0'), expect: ['new', '11000', '0', '11000', '0'] },
    ],
    then: (run) => expect(run.order().liveClOrdId).toBe(run.letters.get('Y')),
  },
  {
    ref: 'C.1.b',
    title: 'part-filled order, followed by cancel/replace request to increase order qty, execution occurs whilst order is pending replace',
    steps: [
      newOrder(),
      ack(),
      fill('partiallyFilled', 'X', '10000', '1000', '9000', '1000'),
      { desk: 'replace', qty: '12000', expect: ['pendingReplace', '10000', '1000', '9000', '100'] },
      { er: er('pendingReplace', 'pendingReplace', 'Y,X', '10000', '1000', '9000', '100'), expect: ['pendingReplace', '10000', '1000', '9000', '100'] },
      // The fill carries the original order's values (ClOrdID X, OrderQty 10000).
      fill('pendingReplace', 'X', '10000', '1100', '8900', '100'),
      { er: er('replaced', 'partiallyFilled', 'Y,X', '12000', '1100', '10900', '100'), expect: ['partiallyFilled', '12000', '1100', '10900', '100'] },
      fill('filled', 'Y', '12000', '12000', '0', '10900'),
    ],
  },
  {
    ref: 'C.1.c',
    title: 'filled order, followed by cancel/replace request to increase order quantity',
    steps: [
      newOrder(),
      ack(),
      fill('filled', 'X', '10000', '10000', '0', '10000'),
      // desk: a request on a filled order is not shown until the broker puts the order in that state.
      { desk: 'replace', qty: '12000', expect: ['filled', '10000', '10000', '0', '100'] },
      { er: er('pendingReplace', 'pendingReplace', 'Y,X', '10000', '10000', '0', '100'), expect: ['pendingReplace', '10000', '10000', '0', '100'] },
      { er: er('replaced', 'partiallyFilled', 'Y,X', '12000', '10000', '2000', '100'), expect: ['partiallyFilled', '12000', '10000', '2000', '100'] },
      fill('filled', 'Y', '12000', '12000', '0', '2000'),
    ],
  },
  {
    ref: 'C.2.a',
    title: 'cancel/replace request (not for quantity change) is rejected as a fill has occurred',
    steps: [
      newOrder(),
      ack(),
      fill('partiallyFilled', 'X', '10000', '1000', '9000', '1000'),
      { desk: 'replace', qty: '10000', price: '101', expect: ['pendingReplace', '10000', '1000', '9000', '100'] },
      fill('filled', 'X', '10000', '10000', '0', '9000'),
      { reject: { cl: 'Y', orig: 'X', status: 'filled', to: 'replace', reason: 'tooLateToCancel' }, expect: ['filled', '10000', '10000', '0', '100'] },
    ],
    then: (run) => expect(run.order().text).toMatch(/amend rejected: too late/),
  },
  {
    ref: 'C.3.a',
    title: 'cancel/replace request sent whilst execution is being reported — requested qty exceeds cum qty; replaced then filled',
    steps: [
      newOrder(),
      ack(),
      { desk: 'replace', qty: '8000', expect: ['pendingReplace', '10000', '0', '10000', '0'] },
      fill('partiallyFilled', 'X', '10000', '1500', '8500', '1500', '100', '100', 'pendingReplace'),
      { er: er('pendingReplace', 'pendingReplace', 'Y,X', '10000', '1500', '8500', '100'), expect: ['pendingReplace', '10000', '1500', '8500', '100'] },
      { er: er('replaced', 'partiallyFilled', 'Y,X', '8000', '1500', '6500', '100'), expect: ['partiallyFilled', '8000', '1500', '6500', '100'] },
      fill('filled', 'Y', '8000', '8000', '0', '6500'),
    ],
  },
  {
    ref: 'C.3.b',
    title: 'cancel/replace request sent whilst execution is being reported — requested qty equals cum qty',
    steps: [
      newOrder(),
      ack(),
      { desk: 'replace', qty: '7000', expect: ['pendingReplace', '10000', '0', '10000', '0'] },
      fill('partiallyFilled', 'X', '10000', '7000', '3000', '7000', '100', '100', 'pendingReplace'),
      // "Filled" takes precedence over "canceled": the replace cancels the balance.
      { er: er('replaced', 'filled', 'Y,X', '7000', '7000', '0', '100'), expect: ['filled', '7000', '7000', '0', '100'] },
    ],
  },
  {
    ref: 'C.3.c',
    title: 'cancel/replace request sent whilst execution is being reported — requested qty below cum qty; amended to cum qty',
    steps: [
      newOrder(),
      ack(),
      { desk: 'replace', qty: '7000', expect: ['pendingReplace', '10000', '0', '10000', '0'] },
      fill('partiallyFilled', 'X', '10000', '8000', '2000', '8000', '100', '100', 'pendingReplace'),
      { er: er('replaced', 'filled', 'Y,X', '8000', '8000', '0', '100'), expect: ['filled', '8000', '8000', '0', '100'] },
    ],
  },

  // ── D Cancel/replace sequencing and chaining ───────────────────────────────
  {
    ref: 'D.1.a',
    title: 'one cancel/replace request is issued which is accepted — another one is issued which is also accepted',
    steps: [
      newOrder(),
      ack(),
      fill('partiallyFilled', 'X', '10000', '1000', '9000', '1000'),
      { desk: 'replace', qty: '8000', expect: ['pendingReplace', '10000', '1000', '9000', '100'] },
      { er: er('pendingReplace', 'pendingReplace', 'Y,X', '10000', '1000', '9000', '100'), expect: ['pendingReplace', '10000', '1000', '9000', '100'] },
      fill('pendingReplace', 'X', '10000', '1500', '8500', '500'),
      { er: er('replaced', 'partiallyFilled', 'Y,X', '8000', '1500', '6500', '100'), expect: ['partiallyFilled', '8000', '1500', '6500', '100'] },
      fill('partiallyFilled', 'Y', '8000', '3500', '4500', '2000'),
      { desk: 'replace', qty: '6000', expect: ['pendingReplace', '8000', '3500', '4500', '100'] },
      { er: er('pendingReplace', 'pendingReplace', 'Z,Y', '8000', '3500', '4500', '100'), expect: ['pendingReplace', '8000', '3500', '4500', '100'] },
      fill('pendingReplace', 'Y', '8000', '4000', '4000', '500'),
      { er: er('replaced', 'partiallyFilled', 'Z,Y', '6000', '4000', '2000', '100'), expect: ['partiallyFilled', '6000', '4000', '2000', '100'] },
      fill('filled', 'Z', '6000', '6000', '0', '2000'),
    ],
    then: async (run) => {
      const replaces = await run.sent('G');
      expect(replaces.map((m) => m.fields.find(([t]) => t === 41)?.[1])).toEqual([run.letters.get('X'), run.letters.get('Y')]);
    },
  },
  {
    ref: 'D.1.b',
    title: 'one cancel/replace request is issued which is rejected before order becomes pending replace — then another one is issued which is accepted',
    steps: [
      newOrder(),
      ack(),
      fill('partiallyFilled', 'X', '10000', '1000', '9000', '1000'),
      { desk: 'replace', qty: '8000', expect: ['pendingReplace', '10000', '1000', '9000', '100'] },
      { reject: { cl: 'Y', orig: 'X', status: 'partiallyFilled', to: 'replace' }, expect: ['partiallyFilled', '10000', '1000', '9000', '100'] },
      fill('partiallyFilled', 'X', '10000', '1500', '8500', '500'),
      { desk: 'replace', qty: '7000', expect: ['pendingReplace', '10000', '1500', '8500', '100'] },
      { er: er('pendingReplace', 'pendingReplace', 'Z,X', '10000', '1500', '8500', '100'), expect: ['pendingReplace', '10000', '1500', '8500', '100'] },
      { er: er('replaced', 'partiallyFilled', 'Z,X', '7000', '1500', '5500', '100'), expect: ['partiallyFilled', '7000', '1500', '5500', '100'] },
    ],
    // OrigClOrdID of the second request is X: the last ClOrdID not rejected.
    then: async (run) => expect((await run.sent('G')).map((m) => m.fields.find(([t]) => t === 41)?.[1])).toEqual([run.letters.get('X'), run.letters.get('X')]),
  },
  {
    ref: 'D.1.c',
    title: 'one cancel/replace request is issued which is rejected after it is in pending replace — then another one is issued which is accepted',
    steps: [
      newOrder(),
      ack(),
      fill('partiallyFilled', 'X', '10000', '1000', '9000', '1000'),
      { desk: 'replace', qty: '8000', expect: ['pendingReplace', '10000', '1000', '9000', '100'] },
      { er: er('pendingReplace', 'pendingReplace', 'Y,X', '10000', '1000', '9000', '100'), expect: ['pendingReplace', '10000', '1000', '9000', '100'] },
      fill('pendingReplace', 'X', '10000', '1500', '8500', '500'),
      { reject: { cl: 'Y', orig: 'X', status: 'partiallyFilled', to: 'replace' }, expect: ['partiallyFilled', '10000', '1500', '8500', '100'] },
      fill('partiallyFilled', 'X', '10000', '3500', '6500', '2000'),
      { desk: 'replace', qty: '6000', expect: ['pendingReplace', '10000', '3500', '6500', '100'] },
      { er: er('pendingReplace', 'pendingReplace', 'Z,X', '10000', '3500', '6500', '100'), expect: ['pendingReplace', '10000', '3500', '6500', '100'] },
      { er: er('replaced', 'partiallyFilled', 'Z,X', '6000', '3500', '2500', '100'), expect: ['partiallyFilled', '6000', '3500', '2500', '100'] },
      fill('partiallyFilled', 'Z', '6000', '5000', '1000', '1500'),
    ],
  },
  {
    ref: 'D.2.a',
    title: 'one cancel/replace request is issued followed immediately by another — broker processes sequentially',
    steps: [
      newOrder(),
      ack(),
      fill('partiallyFilled', 'X', '10000', '1000', '9000', '1000'),
      { desk: 'replace', qty: '8000', expect: ['pendingReplace', '10000', '1000', '9000', '100'] },
      { desk: 'replace', qty: '7000', expect: ['pendingReplace', '10000', '1000', '9000', '100'] },
      { er: er('pendingReplace', 'pendingReplace', 'Y,X', '10000', '1000', '9000', '100'), expect: ['pendingReplace', '10000', '1000', '9000', '100'] },
      // desk: Z is still unanswered, so the order stays Pending Replace (the broker, not yet at Z, says partiallyFilled).
      { er: er('replaced', 'partiallyFilled', 'Y,X', '8000', '1000', '7000', '100'), expect: ['pendingReplace', '8000', '1000', '7000', '100'] },
      { er: er('pendingReplace', 'pendingReplace', 'Z,Y', '8000', '1000', '7000', '100'), expect: ['pendingReplace', '8000', '1000', '7000', '100'] },
      { er: er('replaced', 'partiallyFilled', 'Z,Y', '7000', '1000', '6000', '100'), expect: ['partiallyFilled', '7000', '1000', '6000', '100'] },
      fill('filled', 'Z', '7000', '7000', '0', '6000'),
    ],
    // The second request chains to the first: OrigClOrdID = Y, sent before Y was acknowledged.
    then: async (run) => expect((await run.sent('G')).map((m) => m.fields.find(([t]) => t === 41)?.[1])).toEqual([run.letters.get('X'), run.letters.get('Y')]),
  },
  {
    ref: 'D.2.b',
    title: 'one cancel/replace request is issued followed immediately by another — broker processes pending replaces before replaces',
    steps: [
      newOrder(),
      ack(),
      fill('partiallyFilled', 'X', '10000', '1000', '9000', '1000'),
      { desk: 'replace', qty: '8000', expect: ['pendingReplace', '10000', '1000', '9000', '100'] },
      { desk: 'replace', qty: '7000', expect: ['pendingReplace', '10000', '1000', '9000', '100'] },
      { er: er('pendingReplace', 'pendingReplace', 'Y,X', '10000', '1000', '9000', '100'), expect: ['pendingReplace', '10000', '1000', '9000', '100'] },
      // desk: the broker already states Y's quantity (8000/7000); the desk shows the order's confirmed terms until Y is replaced.
      { er: er('pendingReplace', 'pendingReplace', 'Z,X', '8000', '1000', '7000', '100'), expect: ['pendingReplace', '10000', '1000', '9000', '100'] },
      { er: er('replaced', 'pendingReplace', 'Y,X', '8000', '1000', '7000', '100'), expect: ['pendingReplace', '8000', '1000', '7000', '100'] },
      { er: er('replaced', 'partiallyFilled', 'Z,Y', '7000', '1000', '6000', '100'), expect: ['partiallyFilled', '7000', '1000', '6000', '100'] },
      fill('filled', 'Z', '7000', '7000', '0', '6000'),
    ],
  },
  {
    ref: 'D.2.c',
    title: 'one cancel/replace request is issued followed immediately by another — broker rejects the second as order is pending replace',
    steps: [
      newOrder(),
      ack(),
      fill('partiallyFilled', 'X', '10000', '1000', '9000', '1000'),
      { desk: 'replace', qty: '8000', expect: ['pendingReplace', '10000', '1000', '9000', '100'] },
      { desk: 'replace', qty: '7000', expect: ['pendingReplace', '10000', '1000', '9000', '100'] },
      { er: er('pendingReplace', 'pendingReplace', 'Y,X', '10000', '1000', '9000', '100'), expect: ['pendingReplace', '10000', '1000', '9000', '100'] },
      { reject: { cl: 'Z', orig: 'X', status: 'pendingReplace', to: 'replace', text: 'order already in pending replace status' }, expect: ['pendingReplace', '10000', '1000', '9000', '100'] },
      { er: er('replaced', 'partiallyFilled', 'Y,X', '8000', '1000', '7000', '100'), expect: ['partiallyFilled', '8000', '1000', '7000', '100'] },
      fill('partiallyFilled', 'Y', '8000', '3000', '5000', '2000'),
    ],
  },

  // ── E Unsolicited/reinstatement ────────────────────────────────────────────
  {
    ref: 'E.1.b',
    title: 'unsolicited cancel of a part-filled order (ExecRestatementReason verbal change, shown and alerted)',
    steps: [
      newOrder(),
      ack(),
      fill('partiallyFilled', 'X', '10000', '1000', '9000', '1000'),
      { er: er('canceled', 'canceled', 'X', '10000', '1000', '0', '100', { reason: '2' }), expect: ['canceled', '10000', '1000', '0', '100'] },
    ],
    then: (run) => {
      expect(run.order().text).toMatch(/verbal change/);
      expect(run.shared.view.alerts.some((a) => a.orderId === run.orderId && /unsolicited cancel.*verbal change/.test(a.message))).toBe(true);
    },
  },
  {
    ref: 'E.1.c',
    title: 'unsolicited replacement of a part-filled order (restated twice, verbal)',
    steps: [
      newOrder(),
      ack(),
      { er: er('restated', 'new', 'X', '11000', '0', '11000', '0', { reason: '2' }), expect: ['new', '11000', '0', '11000', '0'] },
      fill('partiallyFilled', 'X', '11000', '1000', '10000', '1000'),
      { er: er('restated', 'partiallyFilled', 'X', '12000', '1000', '11000', '100', { reason: '2' }), expect: ['partiallyFilled', '12000', '1000', '11000', '100'] },
    ],
    then: (run) => expect(run.order().text).toMatch(/restated \(verbal change\)/),
  },
  {
    ref: 'E.1.d',
    title: 'unsolicited reduction of order quantity by sell side (partial decline of OrderQty)',
    steps: [
      newOrder(),
      ack(),
      fill('partiallyFilled', 'X', '10000', '1000', '9000', '1000'),
      { er: er('restated', 'partiallyFilled', 'X', '8000', '1000', '7000', '100', { reason: '5' }), expect: ['partiallyFilled', '8000', '1000', '7000', '100'] },
    ],
    then: (run) => expect(run.order().text).toMatch(/partial decline/),
  },

  // ── F Order reject ─────────────────────────────────────────────────────────
  {
    ref: 'F.1.a',
    title: 'order rejected due to duplicate ClOrdID',
    steps: [newOrder(), { er: er('rejected', 'rejected', 'X', '10000', '0', '0', '0', { text: 'duplicate ClOrdID' }), expect: ['rejected', '10000', '0', '0', '0'] }],
    then: (run) => expect(run.order().text).toBe('duplicate ClOrdID'),
  },
  {
    ref: 'F.1.c',
    title: 'order rejected because the order has already been verbally submitted',
    steps: [newOrder(), { er: er('rejected', 'rejected', 'X', '10000', '0', '0', '0', { text: 'already submitted verbally' }), expect: ['rejected', '10000', '0', '0', '0'] }],
  },

  // ── G Order status ─────────────────────────────────────────────────────────
  {
    ref: 'G.1.a',
    title: 'order status for an order the broker does not know (rejected, unknown order)',
    steps: [newOrder(), { er: er('orderStatus', 'rejected', 'X', '10000', '0', '0', '0', { text: 'unknown order' }), expect: ['rejected', '10000', '0', '0', '0'] }],
    // Never acknowledged: the broker never received it (not "lost", not a reject of the trader's ticket).
    then: (run) => expect(run.order().text).toMatch(/never received this order/),
  },
  {
    ref: 'G.1.b',
    title: 'order status of a working order ("nothing done")',
    steps: [newOrder(), ack(), { er: er('orderStatus', 'new', 'X', '10000', '0', '10000', '0', { text: 'nothing done' }), expect: ['new', '10000', '0', '10000', '0'] }],
  },
  {
    ref: 'G.1.c',
    title: 'order sent, immediately followed by a status request',
    steps: [
      newOrder(),
      { er: er('orderStatus', 'pendingNew', 'X', '10000', '0', '10000', '0'), expect: ['pendingNew', '10000', '0', '10000', '0'] },
      ack(),
      { er: er('orderStatus', 'new', 'X', '10000', '0', '10000', '0'), expect: ['new', '10000', '0', '10000', '0'] },
    ],
  },

  // ── H GT orders ────────────────────────────────────────────────────────────
  {
    ref: 'H.1.a',
    title: 'GTC order partially filled, restated (renewed) and partially filled the following day',
    steps: [
      newOrder('10000', 'gtc'),
      ack(),
      fill('partiallyFilled', 'X', '10000', '2000', '8000', '2000'),
      // A GT order done for the day still has its leaves for tomorrow.
      { er: er('doneForDay', 'doneForDay', 'X', '10000', '2000', '8000', '100'), expect: ['doneForDay', '10000', '2000', '8000', '100'] },
      { er: er('restated', 'partiallyFilled', 'X', '10000', '2000', '8000', '100', { reason: '1' }), expect: ['partiallyFilled', '10000', '2000', '8000', '100'] },
      fill('partiallyFilled', 'X', '10000', '3000', '7000', '1000'),
    ],
  },
  {
    ref: 'H.1.b',
    title: 'GTC order with partial fill, a 2:1 stock split, then a partial fill and fill the following day',
    steps: [
      newOrder('10000', 'gtc'),
      ack(),
      fill('partiallyFilled', 'X', '10000', '2000', '8000', '2000'),
      { er: er('doneForDay', 'doneForDay', 'X', '10000', '2000', '8000', '100'), expect: ['doneForDay', '10000', '2000', '8000', '100'] },
      { er: er('restated', 'partiallyFilled', 'X', '20000', '4000', '16000', '50', { reason: '0' }), expect: ['partiallyFilled', '20000', '4000', '16000', '50'] },
      fill('partiallyFilled', 'X', '20000', '5000', '15000', '1000', '50', '50'),
      fill('filled', 'X', '20000', '20000', '0', '15000', '50', '50'),
    ],
  },
  {
    ref: 'H.1.c',
    title: 'GTC order partially filled, restated (renewed) and canceled the following day',
    steps: [
      newOrder('10000', 'gtc'),
      ack(),
      fill('partiallyFilled', 'X', '10000', '2000', '8000', '2000'),
      { er: er('doneForDay', 'doneForDay', 'X', '10000', '2000', '8000', '100'), expect: ['doneForDay', '10000', '2000', '8000', '100'] },
      { er: er('restated', 'partiallyFilled', 'X', '10000', '2000', '8000', '100', { reason: '1' }), expect: ['partiallyFilled', '10000', '2000', '8000', '100'] },
      { desk: 'cancel', expect: ['pendingCancel', '10000', '2000', '8000', '100'] },
      { er: er('pendingCancel', 'pendingCancel', 'Y,X', '10000', '2000', '8000', '100'), expect: ['pendingCancel', '10000', '2000', '8000', '100'] },
      { er: er('canceled', 'canceled', 'Y,X', '10000', '2000', '0', '100'), expect: ['canceled', '10000', '2000', '0', '100'] },
    ],
  },
  {
    ref: 'H.1.d',
    title: 'GTC order partially filled, restated (renewed) followed by replace request to increase quantity',
    steps: [
      newOrder('10000', 'gtc'),
      ack(),
      fill('partiallyFilled', 'X', '10000', '2000', '8000', '2000'),
      { er: er('doneForDay', 'doneForDay', 'X', '10000', '2000', '8000', '100'), expect: ['doneForDay', '10000', '2000', '8000', '100'] },
      { er: er('restated', 'partiallyFilled', 'X', '10000', '2000', '8000', '100', { reason: '1' }), expect: ['partiallyFilled', '10000', '2000', '8000', '100'] },
      { desk: 'replace', qty: '15000', expect: ['pendingReplace', '10000', '2000', '8000', '100'] },
      { er: er('pendingReplace', 'pendingReplace', 'Y,X', '10000', '2000', '8000', '100'), expect: ['pendingReplace', '10000', '2000', '8000', '100'] },
      { er: er('replaced', 'partiallyFilled', 'Y,X', '15000', '2000', '13000', '100'), expect: ['partiallyFilled', '15000', '2000', '13000', '100'] },
    ],
  },

  // ── I Time in force ────────────────────────────────────────────────────────
  {
    ref: 'I.1.a',
    title: 'fill or kill order cannot be filled',
    steps: [newOrder('10000', 'fok'), ack(), { er: er('canceled', 'canceled', 'X', '10000', '0', '0', '0'), expect: ['canceled', '10000', '0', '0', '0'] }],
    then: (run) => expect(run.shared.view.alerts.some((a) => a.orderId === run.orderId && /FOK order killed/.test(a.message) && a.level === 'info')).toBe(true),
  },
  {
    ref: 'I.1.b',
    title: 'immediate or cancel order that cannot be immediately hit',
    steps: [
      newOrder('10000', 'ioc'),
      ack(),
      fill('partiallyFilled', 'X', '10000', '1000', '9000', '1000'),
      { er: er('canceled', 'canceled', 'X', '10000', '1000', '0', '100'), expect: ['canceled', '10000', '1000', '0', '100'] },
    ],
  },

  // ── J Execution cancels/corrects ───────────────────────────────────────────
  {
    ref: 'J.1.a',
    title: 'filled order, followed by correction and cancellation of executions',
    steps: [
      newOrder(),
      ack(),
      fill('partiallyFilled', 'X', '10000', '1000', '9000', '1000', '100', '100', 'partiallyFilled', 'C'),
      fill('filled', 'X', '10000', '10000', '0', '9000', '109', '110', 'filled', 'D'),
      { er: er('tradeCancel', 'partiallyFilled', 'X', '10000', '9000', '1000', '110', { ref: 'C', id: 'E', last: ['0', '0'] }), expect: ['partiallyFilled', '10000', '9000', '1000', '110'] },
      { er: er('tradeCorrect', 'partiallyFilled', 'X', '10000', '9000', '1000', '100', { ref: 'D', id: 'F', last: ['9000', '100'] }), expect: ['partiallyFilled', '10000', '9000', '1000', '100'] },
      fill('filled', 'X', '10000', '10000', '0', '1000', '102', '120', 'filled', 'G'),
      { er: er('tradeCorrect', 'filled', 'X', '10000', '10000', '0', '120', { ref: 'F', id: 'H', last: ['9000', '120'] }), expect: ['filled', '10000', '10000', '0', '120'] },
      { desk: 'replace', qty: '12000', expect: ['filled', '10000', '10000', '0', '120'] },
      { er: er('pendingReplace', 'pendingReplace', 'Y,X', '10000', '10000', '0', '120'), expect: ['pendingReplace', '10000', '10000', '0', '120'] },
      { er: er('replaced', 'partiallyFilled', 'Y,X', '12000', '10000', '2000', '120'), expect: ['partiallyFilled', '12000', '10000', '2000', '120'] },
      { er: er('tradeCorrect', 'partiallyFilled', 'Y', '12000', '10500', '1500', '120', { ref: 'H', id: 'K', last: ['9500', '120'] }), expect: ['partiallyFilled', '12000', '10500', '1500', '120'] },
    ],
    then: (run) => {
      expect(['C', 'D', 'F', 'H', 'G', 'K'].map((n) => stateOf(run, n))).toEqual(['busted', 'corrected', 'corrected', 'corrected', 'active', 'active']);
      expect(run.shared.view.alerts.some((a) => a.orderId === run.orderId && /trade bust/.test(a.message))).toBe(true);
    },
  },
  {
    ref: 'J.1.b',
    title: 'a canceled order followed by a busted execution and a new execution',
    steps: [
      newOrder(),
      ack(),
      fill('partiallyFilled', 'X', '10000', '5000', '5000', '5000', '50', '50', 'partiallyFilled', 'B'),
      { desk: 'cancel', expect: ['pendingCancel', '10000', '5000', '5000', '50'] },
      { er: er('pendingCancel', 'pendingCancel', 'Y,X', '10000', '5000', '5000', '50'), expect: ['pendingCancel', '10000', '5000', '5000', '50'] },
      { er: er('canceled', 'canceled', 'Y,X', '10000', '5000', '0', '50'), expect: ['canceled', '10000', '5000', '0', '50'] },
      // "Canceled" takes precedence over "new": the bust does not reopen a canceled order.
      { er: er('tradeCancel', 'canceled', 'X', '10000', '0', '0', '0', { ref: 'B', id: 'E' }), expect: ['canceled', '10000', '0', '0', '0'] },
      fill('canceled', 'X', '10000', '4000', '0', '4000', '51', '51', 'canceled', 'F'),
    ],
    then: (run) => expect(stateOf(run, 'B')).toBe('busted'),
  },
  {
    ref: 'J.1.c',
    title: 'GTC order partially filled, restated and partially filled the following day, with corrections of quantity on both executions',
    steps: [
      newOrder('10000', 'gtc'),
      ack(),
      fill('partiallyFilled', 'X', '10000', '2000', '8000', '2000', '100', '100', 'partiallyFilled', 'B'),
      { er: er('doneForDay', 'doneForDay', 'X', '10000', '2000', '8000', '100'), expect: ['doneForDay', '10000', '2000', '8000', '100'] },
      { er: er('restated', 'partiallyFilled', 'X', '10000', '2000', '8000', '100', { reason: '1' }), expect: ['partiallyFilled', '10000', '2000', '8000', '100'] },
      fill('partiallyFilled', 'X', '10000', '3000', '7000', '1000', '100', '100', 'partiallyFilled', 'E'),
      { er: er('tradeCorrect', 'partiallyFilled', 'X', '10000', '2500', '7500', '100', { ref: 'B', id: 'F', last: ['1500', '100'] }), expect: ['partiallyFilled', '10000', '2500', '7500', '100'] },
      { er: er('tradeCorrect', 'partiallyFilled', 'X', '10000', '2000', '8000', '100', { ref: 'E', id: 'G', last: ['500', '100'] }), expect: ['partiallyFilled', '10000', '2000', '8000', '100'] },
    ],
  },
  {
    ref: 'J.1.d',
    title: 'part-filled day order done for day, followed by a trade correction and a bust',
    steps: [
      newOrder(),
      ack(),
      fill('partiallyFilled', 'X', '10000', '2000', '8000', '2000', '100', '100', 'partiallyFilled', 'B'),
      fill('partiallyFilled', 'X', '10000', '3000', '7000', '1000', '103.333333333333', '110', 'partiallyFilled', 'C'),
      { er: er('doneForDay', 'doneForDay', 'X', '10000', '3000', '0', '103.33333333'), expect: ['doneForDay', '10000', '3000', '0', '103.333333333333'] },
      // Done for day (10) outranks the quantity statuses: a correction and a bust keep it.
      { er: er('tradeCorrect', 'doneForDay', 'X', '10000', '2500', '0', '104', { ref: 'B', id: 'D', last: ['1500', '100'] }), expect: ['doneForDay', '10000', '2500', '0', '104'] },
      { er: er('tradeCancel', 'doneForDay', 'X', '10000', '1500', '0', '100', { ref: 'C', id: 'E' }), expect: ['doneForDay', '10000', '1500', '0', '100'] },
    ],
  },

  // ── K Trading halt ─────────────────────────────────────────────────────────
  {
    ref: 'K.1.a',
    title: 'trading halt — order suspended, then reinstated',
    steps: [
      newOrder(),
      ack(),
      fill('partiallyFilled', 'X', '10000', '1000', '9000', '1000'),
      { er: er('suspended', 'suspended', 'X', '10000', '1000', '9000', '100', { text: 'trading halt' }), expect: ['suspended', '10000', '1000', '9000', '100'] },
      { er: er('restated', 'partiallyFilled', 'X', '10000', '1000', '9000', '100', { text: 'trading resumed' }), expect: ['partiallyFilled', '10000', '1000', '9000', '100'] },
      fill('partiallyFilled', 'X', '10000', '2000', '8000', '1000'),
    ],
  },
  {
    ref: 'K.1.b',
    title: 'trading halt — order canceled (ExecRestatementReason cancel on trading halt)',
    steps: [
      newOrder(),
      ack(),
      fill('partiallyFilled', 'X', '10000', '1000', '9000', '1000'),
      { er: er('suspended', 'suspended', 'X', '10000', '1000', '9000', '100'), expect: ['suspended', '10000', '1000', '9000', '100'] },
      { er: er('canceled', 'canceled', 'X', '10000', '1000', '0', '100', { reason: '6' }), expect: ['canceled', '10000', '1000', '0', '100'] },
    ],
    then: (run) => expect(run.order().text).toMatch(/cancel on trading halt/),
  },

  // ── L Miscellaneous ────────────────────────────────────────────────────────
  {
    ref: 'L.1.a',
    title: 'transmitting a guarantee of execution prior to execution (stopped)',
    steps: [
      newOrder(),
      ack(),
      // Stopped carries LastQty/LastPx of the guarantee: not an execution.
      { er: er('stopped', 'stopped', 'X', '10000', '0', '10000', '0', { last: ['1000', '50.10'], text: 'guaranteed to buy 1000 at 50.10' }), expect: ['stopped', '10000', '0', '10000', '0'] },
      // Stopped (7) takes precedence over partially filled (4).
      fill('stopped', 'X', '10000', '1000', '9000', '1000', '50', '50'),
    ],
  },
];

/**
 * Beyond the matrices: what a real wire does. Messages out of order after a sequence gap, a
 * repeated ExecID, and an overfill.
 */
export const WIRE_SCENARIOS: readonly Scenario[] = [
  {
    ref: 'expiry',
    title: 'a part-filled GT order expires (ExecType C), and a fill that crossed the expiry still counts',
    steps: [
      newOrder('10000', 'gtc'),
      ack(),
      fill('partiallyFilled', 'X', '10000', '1000', '9000', '1000'),
      { er: er('expired', 'expired', 'X', '10000', '1000', '0', '100', { text: 'GTC limit reached' }), expect: ['expired', '10000', '1000', '0', '100'] },
      { er: er('trade', 'expired', 'X', '10000', '1500', '0', '100', { last: ['500', '100'] }), expect: ['expired', '10000', '1500', '0', '100'] },
    ],
    then: (run) => expect(run.order().text).toMatch(/GTC limit reached/),
  },
  {
    ref: 'gap',
    title: 'messages out of order after a sequence gap end in the right state',
    steps: [
      newOrder(),
      // The fills arrive before the ack, the second before the first; the late ack changes nothing.
      fill('partiallyFilled', 'X', '10000', '5000', '5000', '3000', '100', '100', 'partiallyFilled'),
      // desk: CumQty is a fold over the fills, so the earlier fill adds to what the desk shows (5000, not the report's 2000).
      { er: er('trade', 'partiallyFilled', 'X', '10000', '2000', '8000', '100', { last: ['2000', '100'] }), expect: ['partiallyFilled', '10000', '5000', '5000', '100'] },
      { er: er('new', 'new', 'X', '10000', '0', '10000', '0'), expect: ['partiallyFilled', '10000', '5000', '5000', '100'] },
      { desk: 'cancel', expect: ['pendingCancel', '10000', '5000', '5000', '100'] },
      // The cancel confirm overtakes the pending ack and the last fill before the cancel.
      { er: er('canceled', 'canceled', 'Y,X', '10000', '6000', '0', '100'), expect: ['canceled', '10000', '6000', '0', '100'] },
      { er: er('trade', 'partiallyFilled', 'X', '10000', '6000', '4000', '100', { last: ['1000', '100'] }), expect: ['canceled', '10000', '6000', '0', '100'] },
      { er: er('pendingCancel', 'pendingCancel', 'Y,X', '10000', '5000', '5000', '100'), expect: ['canceled', '10000', '6000', '0', '100'] },
    ],
  },
  {
    ref: 'gap',
    title: 'a bust that arrives before the fill it busts',
    steps: [
      newOrder(),
      ack(),
      fill('partiallyFilled', 'X', '10000', '1000', '9000', '1000', '100', '100', 'partiallyFilled', 'A'),
    ],
    then: async (run) => {
      // Play the bust of an execution the desk has not seen yet, then that execution.
      const control = run.shared.sim.control!;
      const late = run.report(er('trade', 'partiallyFilled', 'X', '10000', '3000', '7000', '100', { last: ['2000', '100'], id: 'B' }));
      const bust = run.report(er('tradeCancel', 'partiallyFilled', 'X', '10000', '1000', '9000', '100', { ref: 'B' }));
      await control.send(run.broker, [bust, late]);
      const lateId = late.kind === 'execution' ? late.execId : '';
      await until('the late fill applied', () => run.executions().some((e) => e.execId === lateId));
      await run.expectOrder(['partiallyFilled', '10000', '1000', '9000', '100'], 'after the bust and the late fill');
      expect(stateOf(run, 'B')).toBe('busted');
    },
  },
];
