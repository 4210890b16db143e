import fc from 'fast-check';
import type { ExecType, OrderStatus, OrderType, TimeInForce } from '../../../shared/domain/order-types';
import type { ExecutionReportMessage } from '../broker/broker-port';
import type { DeskEvent } from '../journal/desk-events';
import { aaplTerms, msftTerms } from './order-terms.test-support';

/**
 * Random desk event streams for differential tests of the journal fold (snapshot + tail against a
 * full replay). Mostly plausible order lives (acks, fills, amends, cancels, busts and corrections,
 * restatements, status reports, adoptions) with deliberate collisions — ExecIDs repeated, ClOrdIDs
 * claimed by two orders, broker OrderIDs that change or repeat, reports for unknown orders, events
 * the state table refuses — so every container of the book and every index path is exercised.
 */

const BROKERS = ['SIM-A', 'SIM-B', 'SIM-C'] as const;
const QTY = ['100', '50', '1.5', '0', '1000000', '33.333333'] as const;
const PX = ['150.25', '0.1', '99.999999', '-0', '2', '1e-7'] as const;
const EXEC_TYPES: readonly ExecType[] = [
  'new', 'trade', 'trade', 'trade', 'pendingNew', 'pendingCancel', 'canceled', 'pendingReplace', 'replaced', 'rejected', 'doneForDay', 'expired',
  'suspended', 'stopped', 'restated', 'tradeCancel', 'tradeCorrect', 'orderStatus', 'calculated',
];
const STATUSES: readonly OrderStatus[] = ['new', 'partiallyFilled', 'filled', 'canceled', 'rejected', 'pendingCancel', 'pendingReplace', 'pendingNew', 'expired', 'doneForDay', 'suspended', 'stopped'];
const TIFS: readonly TimeInForce[] = ['day', 'gtc', 'ioc', 'fok', 'gtd'];
const TYPES: readonly OrderType[] = ['limit', 'market', 'stop', 'stopLimit'];

type Step =
  | { k: 'submit'; broker: number; qty: number; px: number; tif: number; type: number; denied: boolean }
  | { k: 'report'; order: number; execType: number; status: number; qty: number; px: number; cum: number; execId: number; clOrd: number; boid: number; ref: number; flags: number }
  | { k: 'cancel'; order: number; shared: boolean }
  | { k: 'replace'; order: number; qty: number; px: number; shared: boolean }
  | { k: 'reject'; order: number; clOrd: number; replace: boolean; unknown: boolean; boid: number }
  | { k: 'sendFailed'; order: number; request: number }
  | { k: 'unmatched'; broker: number; execId: number; reject: boolean; execType: number }
  | { k: 'interrupt'; broker: number; reason: number; some: boolean }
  | { k: 'adopt'; broker: number; clOrd: number; status: number; cum: number; execId: number; boid: number }
  | { k: 'audit'; broker: number; which: number; execId: number; order: number }
  | { k: 'brokerReject'; order: number; which: number; clOrd: number; session: boolean }
  | { k: 'timeout'; order: number; which: number }
  | { k: 'settle'; order: number; outcome: number }
  | { k: 'alert'; broker: number; level: number; n: number; ack: boolean }
  | { k: 'day'; skip: number };

const small = (max: number) => fc.nat(max);
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ k: fc.constant('submit' as const), broker: small(2), qty: small(5), px: small(5), tif: small(4), type: small(3), denied: fc.boolean() }) },
  {
    weight: 10,
    arbitrary: fc.record({
      k: fc.constant('report' as const),
      order: fc.nat(),
      execType: small(EXEC_TYPES.length - 1),
      status: small(STATUSES.length - 1),
      qty: small(5),
      px: small(5),
      cum: small(5),
      execId: small(40),
      clOrd: small(6),
      boid: small(8),
      ref: small(40),
      flags: small(31),
    }),
  },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('cancel' as const), order: fc.nat(), shared: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('replace' as const), order: fc.nat(), qty: small(5), px: small(5), shared: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('reject' as const), order: fc.nat(), clOrd: small(6), replace: fc.boolean(), unknown: fc.boolean(), boid: small(8) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('sendFailed' as const), order: fc.nat(), request: small(2) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('unmatched' as const), broker: small(2), execId: small(40), reject: fc.boolean(), execType: small(EXEC_TYPES.length - 1) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('interrupt' as const), broker: small(2), reason: small(2), some: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('adopt' as const), broker: small(2), clOrd: small(9), status: small(STATUSES.length - 1), cum: small(5), execId: small(40), boid: small(8) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('audit' as const), broker: small(2), which: small(3), execId: small(40), order: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('brokerReject' as const), order: fc.nat(), which: small(3), clOrd: small(6), session: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('timeout' as const), order: fc.nat(), which: small(3) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('settle' as const), order: fc.nat(), outcome: small(2) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('alert' as const), broker: small(2), level: small(2), n: small(5), ack: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('day' as const), skip: small(1) }) },
);

/** One stream of `length` events, the same for the same seed. */
export function sampleEvents(seed: number, length: number): DeskEvent[] {
  return fc.sample(deskEvents(length, length), { seed, numRuns: 1 })[0] as DeskEvent[];
}

/** A random stream of `minLength`..`maxLength` desk events. */
export function deskEvents(minLength = 1, maxLength = 120): fc.Arbitrary<DeskEvent[]> {
  return fc.array(step, { minLength, maxLength }).map(toEvents);
}

interface Known {
  readonly orderId: string;
  readonly broker: string;
  readonly clOrdIds: string[];
  /** ExecIDs of the trades reported for it: what its busts and corrections refer to. */
  readonly trades: string[];
}

function pick<T>(list: readonly T[], i: number): T {
  return list[i % list.length] as T;
}

/** Turns steps into events; each event's `at` is one millisecond after the previous one. */
export function toEvents(steps: readonly Step[]): DeskEvent[] {
  const orders: Known[] = [];
  const events: DeskEvent[] = [];
  let ms = Date.UTC(2026, 10, 27, 9, 0, 0);
  let serial = 0;
  const at = () => new Date((ms += 1)).toISOString();
  // Shared pools: the collisions.
  const execId = (n: number) => `X${n}`;
  const boid = (broker: string, n: number) => (n < 6 ? `${broker}-O${n}` : `SHARED-O${n}`);
  const adoptedClOrd = (n: number) => (n < 5 ? `T-${n + 1}` : `FOREIGN-${n}`);
  for (const s of steps) {
    const order = orders.length === 0 ? undefined : pick(orders, 'order' in s ? s.order : 0);
    switch (s.k) {
      case 'submit': {
        const orderId = `T-${orders.length + 1}`;
        const broker = pick(BROKERS, s.broker);
        const type = pick(TYPES, s.type);
        const tif = pick(TIFS, s.tif);
        const terms = pick([aaplTerms, msftTerms], s.qty);
        const ticket = {
          instrumentId: terms.instrument.id,
          side: pick(['buy', 'sell', 'sellShort'] as const, s.px),
          quantity: pick(QTY, s.qty) === '0' ? '100' : pick(QTY, s.qty),
          orderType: type,
          ...(type === 'limit' || type === 'stopLimit' ? { limitPrice: pick(PX, s.px) } : {}),
          ...(type === 'stop' || type === 'stopLimit' ? { stopPrice: pick(PX, s.px + 1) } : {}),
          timeInForce: tif,
          ...(tif === 'gtd' ? { expireDate: '2026-12-31' } : {}),
          account: pick(['FUND-ALPHA', 'FUND-BETA'], s.tif),
          broker,
        };
        orders.push({ orderId, broker, clOrdIds: [orderId], trades: [] });
        events.push(
          s.denied
            ? { type: 'orderDenied', at: at(), orderId, clOrdId: orderId, ticket, ...terms, code: 'BROKER_UNAVAILABLE', reason: 'not connected' }
            : { type: 'orderSubmitted', at: at(), orderId, clOrdId: orderId, ticket, ...terms },
        );
        break;
      }
      case 'report': {
        if (order === undefined) break;
        const execType = pick(EXEC_TYPES, s.execType);
        const time = at();
        if (execType === 'trade') order.trades.push(execId(s.execId));
        // Busts and corrections mostly name an earlier trade of the order (else any ExecID, or none).
        const ref = order.trades.length > 0 && s.ref % 5 !== 0 ? pick(order.trades, s.ref) : s.ref < 30 ? execId(s.ref) : undefined;
        const report: ExecutionReportMessage = {
          type: 'executionReport',
          execId: execId(s.execId),
          execType,
          ordStatus: pick(STATUSES, s.status),
          clOrdId: pick(order.clOrdIds, s.clOrd),
          ...(s.flags & 1 ? { origClOrdId: order.clOrdIds[0] as string } : {}),
          ...(s.boid < 7 ? { brokerOrderId: boid(order.broker, s.boid) } : {}),
          symbol: 'AAPL',
          side: s.flags & 2 ? 'sell' : 'buy',
          ...(s.flags & 4 ? { orderQty: pick(QTY, s.qty + 1) } : {}),
          ...(execType === 'trade' || execType === 'tradeCorrect' ? { lastQty: pick(QTY, s.qty), lastPx: pick(PX, s.px) } : {}),
          cumQty: pick(QTY, s.cum),
          leavesQty: '0',
          avgPx: pick(PX, s.px + s.cum),
          ...((execType === 'tradeCancel' || execType === 'tradeCorrect') && ref !== undefined ? { execRefId: ref } : {}),
          ...(execType === 'restated' && s.flags & 8 ? { restatementReason: 'Corporate action' } : {}),
          ...(s.flags & 8 ? { text: `text ${s.status}` } : {}),
          ...(s.flags & 2 ? { transactTime: time } : {}),
          ...(execType === 'orderStatus' && s.flags & 4 ? { massStatusReqId: 'MS-1' } : {}),
          possDup: (s.flags & 1) === 1,
          seqNum: ++serial,
          raw: `8=FIX.4.4|35=8|17=${execId(s.execId)}|`,
        };
        // Now and then the desk found the ExecID on another order first (a broker reusing ExecIDs).
        const reusedFrom = s.flags & 16 && orders.length > 1 ? pick(orders, s.execId).orderId : undefined;
        events.push({
          type: 'executionReceived',
          at: time,
          orderId: order.orderId,
          broker: s.flags & 8 && s.flags & 1 ? pick(BROKERS, s.boid) : order.broker,
          report,
          ...(reusedFrom !== undefined && reusedFrom !== order.orderId && { reusedFrom }),
        });
        break;
      }
      case 'cancel':
      case 'replace': {
        if (order === undefined) break;
        // A shared ClOrdID: two orders will claim it.
        const clOrdId = s.shared ? `SHARED-${s.k}-${s.order % 3}` : `${order.orderId}-${s.k[0]}${order.clOrdIds.length}`;
        const origClOrdId = order.clOrdIds.at(-1) as string;
        order.clOrdIds.push(clOrdId);
        events.push(
          s.k === 'cancel'
            ? { type: 'cancelRequested', at: at(), orderId: order.orderId, clOrdId, origClOrdId }
            : { type: 'replaceRequested', at: at(), orderId: order.orderId, clOrdId, origClOrdId, quantity: pick(QTY, s.qty), ...(s.px % 2 === 0 && { limitPrice: pick(PX, s.px) }) },
        );
        break;
      }
      case 'reject': {
        if (order === undefined) break;
        events.push({
          type: 'cancelRejectReceived',
          at: at(),
          orderId: order.orderId,
          broker: order.broker,
          reject: {
            type: 'cancelReject',
            clOrdId: pick(order.clOrdIds, s.clOrd),
            responseTo: s.replace ? 'replace' : 'cancel',
            ...(s.unknown ? { ordStatus: 'rejected' as const } : {}),
            ...(s.boid < 4 ? { brokerOrderId: boid(order.broker, s.boid) } : {}),
            text: 'too late',
            possDup: false,
            seqNum: ++serial,
            raw: '8=FIX.4.4|35=9|',
          },
        });
        break;
      }
      case 'sendFailed': {
        if (order === undefined) break;
        const request = pick(['new', 'replace', 'cancel'] as const, s.request);
        events.push({ type: 'sendFailed', at: at(), orderId: order.orderId, clOrdId: order.clOrdIds.at(-1) as string, request, reason: 'session dropped' });
        break;
      }
      case 'unmatched': {
        const broker = pick(BROKERS, s.broker);
        events.push({
          type: 'unmatchedBrokerMessage',
          at: at(),
          broker,
          message: s.reject
            ? { type: 'cancelReject', clOrdId: 'NOT-OURS', responseTo: 'cancel', possDup: false, seqNum: ++serial, raw: '8=FIX.4.4|35=9|' }
            : { type: 'executionReport', execId: execId(s.execId), execType: pick(EXEC_TYPES, s.execType), ordStatus: 'new', clOrdId: 'NOT-OURS', lastQty: '5', lastPx: '1.5', cumQty: '5', leavesQty: '0', avgPx: '1.5', possDup: false, seqNum: ++serial, raw: '8=FIX.4.4|35=8|' },
        });
        break;
      }
      case 'interrupt': {
        const broker = pick(BROKERS, s.broker);
        const reason = pick(['sessionDropped', 'deskRestarted', 'notReplayed'] as const, s.reason);
        const ids = orders.filter((o) => o.broker === broker).flatMap((o) => o.clOrdIds.slice(-1));
        events.push({ type: 'sessionInterrupted', at: at(), broker, reason, ...(reason === 'notReplayed' || s.some ? { clOrdIds: ids.slice(0, 2) } : {}) });
        break;
      }
      case 'adopt': {
        const broker = pick(BROKERS, s.broker);
        const clOrdId = adoptedClOrd(s.clOrd);
        // As the desk names an adopted order: its ClOrdID, or broker-prefixed when an order has that id.
        const orderId = orders.some((o) => o.orderId === clOrdId) ? `${broker}.${clOrdId}` : clOrdId;
        if (!orders.some((o) => o.orderId === orderId)) orders.push({ orderId, broker, clOrdIds: [clOrdId], trades: [] });
        events.push({
          type: 'orderAdopted',
          at: at(),
          orderId,
          broker,
          ...msftTerms,
          report: {
            type: 'executionReport',
            execId: execId(s.execId),
            execType: 'orderStatus',
            ordStatus: pick(STATUSES, s.status),
            clOrdId,
            ...(s.boid < 7 ? { brokerOrderId: boid(broker, s.boid) } : {}),
            symbol: 'MSFT',
            side: 'buy',
            orderQty: '100',
            ...(s.status % 2 === 0 ? { limitPrice: '150.25' } : {}),
            cumQty: pick(QTY, s.cum),
            leavesQty: '0',
            avgPx: '150.25',
            massStatusReqId: 'MS-1',
            possDup: false,
            seqNum: ++serial,
            raw: '8=FIX.4.4|35=8|',
          },
        });
        break;
      }
      case 'audit': {
        const broker = pick(BROKERS, s.broker);
        const report: ExecutionReportMessage = {
          type: 'executionReport',
          execId: execId(s.execId),
          execType: pick(['trade', 'tradeCancel', 'tradeCorrect', 'new'] as const, s.execId),
          ordStatus: 'partiallyFilled',
          clOrdId: order?.clOrdIds[0] ?? 'T-1',
          side: 'buy',
          lastQty: pick(QTY, s.execId),
          lastPx: '150.25',
          cumQty: '10',
          leavesQty: '90',
          avgPx: '150.25',
          possDup: false,
          seqNum: ++serial,
          raw: '8=FIX.4.4|35=8|',
        };
        if (s.which === 0) events.push({ type: 'dropCopyReceived', at: at(), broker, report });
        else if (s.which === 1) events.push({ type: 'dropCopyMismatch', at: at(), broker, execId: report.execId, kind: pick(['missingOnTrading', 'missingOnDropCopy', 'different'] as const, s.execId), detail: 'differs', ...(order !== undefined && { orderId: order.orderId }) });
        else if (s.which === 2 && order !== undefined) events.push({ type: 'fixMessageSent', at: at(), orderId: order.orderId, broker: order.broker, msgType: 'D', raw: `8=FIX.4.4|35=D|11=${order.orderId}|` });
        else events.push({ type: 'sessionAdministered', at: at(), broker, session: 'trading', action: 'connect', outcome: 'done' });
        break;
      }
      case 'brokerReject': {
        if (order === undefined) break;
        const rejected = pick(['newOrder', 'cancel', 'replace', 'statusRequest'] as const, s.which);
        events.push({
          type: 'brokerRejectReceived',
          at: at(),
          orderId: order.orderId,
          broker: order.broker,
          reject: {
            type: 'requestReject',
            level: s.session ? 'session' : 'business',
            rejected,
            rejectedMessage: 'NewOrderSingle (35=D)',
            clOrdId: pick(order.clOrdIds, s.clOrd),
            ...(s.session ? { refSeqNum: s.clOrd + 1, field: 'OrdType (40)' } : {}),
            reason: s.session ? 'Value is incorrect (out of range) for this tag (SessionRejectReason 5)' : 'Unsupported message type (BusinessRejectReason 3)',
            ...(s.clOrd % 2 === 0 ? { text: 'not here' } : {}),
            possDup: false,
            seqNum: ++serial,
            raw: s.session ? '8=FIX.4.4|35=3|45=1|' : '8=FIX.4.4|35=j|',
          },
        });
        break;
      }
      case 'timeout': {
        if (order === undefined) break;
        const request = pick(['new', 'cancel', 'replace', 'status'] as const, s.which);
        events.push({ type: 'requestTimedOut', at: at(), orderId: order.orderId, broker: order.broker, request, clOrdId: order.clOrdIds.at(-1) as string, seconds: 30 });
        break;
      }
      case 'settle': {
        if (order === undefined) break;
        events.push({ type: 'orderSettled', at: at(), orderId: order.orderId, by: 'trader', outcome: pick(['asShown', 'canceled', 'rejected'] as const, s.outcome), reason: 'phoned the broker' });
        break;
      }
      case 'day': {
        // A new trading day (an hour later than the last event): orders finished before it leave the book.
        ms += 3_600_000 * (1 + s.skip);
        events.push({ type: 'dayStarted', at: at(), day: new Date(ms).toISOString().slice(0, 10) });
        break;
      }
      case 'alert': {
        const broker = pick(BROKERS, s.broker);
        const level = pick(['error', 'warning', 'info'] as const, s.level);
        events.push({ type: 'alertRaised', at: at(), level, code: 'SESSION', message: `${broker}: gap at ${s.n * 7}${s.n > 3 ? ' (other)' : ''}`, broker, ...(order !== undefined && s.n === 0 && { orderId: order.orderId }) });
        if (s.ack) events.push({ type: 'alertsAcknowledged', at: at(), by: 'trader', alertIds: [`A-${s.n + 1}`, `A-${events.length}`] });
        break;
      }
    }
  }
  return events;
}

/** Every string a stream names as a ClOrdID, ExecID or broker OrderID, with the brokers: what to ask two books about. */
export function namesIn(events: readonly DeskEvent[]): { clOrdIds: string[]; execIds: string[]; brokerOrderIds: string[]; orderIds: string[]; brokers: readonly string[] } {
  const orderIds = new Set<string>(['T-999']);
  const clOrdIds = new Set<string>(['NOT-OURS', 'T-999']);
  const execIds = new Set<string>(['X999']);
  const brokerOrderIds = new Set<string>(['NONE']);
  for (const e of events) {
    if ('clOrdId' in e) clOrdIds.add(e.clOrdId);
    if ('orderId' in e && e.orderId !== undefined) {
      clOrdIds.add(e.orderId);
      orderIds.add(e.orderId);
    }
    const report = e.type === 'executionReceived' || e.type === 'orderAdopted' || e.type === 'dropCopyReceived' ? e.report : e.type === 'unmatchedBrokerMessage' ? e.message : e.type === 'cancelRejectReceived' ? e.reject : undefined;
    if (report !== undefined) {
      clOrdIds.add(report.clOrdId);
      if (report.brokerOrderId !== undefined) brokerOrderIds.add(report.brokerOrderId);
      if (report.type === 'executionReport') execIds.add(report.execId);
    }
  }
  return { clOrdIds: [...clOrdIds], execIds: [...execIds], brokerOrderIds: [...brokerOrderIds], orderIds: [...orderIds], brokers: BROKERS };
}
