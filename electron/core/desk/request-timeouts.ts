import type { BrokerConnection } from '../broker/broker-port';
import type { BrokerConfig } from '../config/desk-config';
import { DEFAULT_TIMEOUTS } from '../config/broker-capabilities';
import type { RequestTimedOut } from '../journal/desk-events';
import type { Logger } from '../log/logger';
import type { Order } from '../orders/order';
import { awaitsAnswer } from '../orders/order';
import type { AlertDraft, OrderBookView } from '../orders/order-book';
import type { Clock, TimerHandle } from '../time/clock';

type Awaited = 'new' | 'cancel' | 'replace' | 'status';

interface Deadline {
  readonly due: number;
  readonly serial: number;
  readonly orderId: string;
  readonly broker: string;
  /** 'retry': not a deadline, the time to ask for a status again. */
  readonly kind: Awaited | 'retry';
  readonly clOrdId: string;
}

export interface RequestTimeoutsDeps {
  readonly clock: Clock;
  readonly log: Logger;
  readonly brokers: readonly BrokerConfig[];
  readonly book: OrderBookView;
  readonly connections: ReadonlyMap<string, BrokerConnection>;
  /** Journals a timeout (write-ahead, in its own transaction when none is open) and applies it. */
  readonly record: (event: RequestTimedOut) => void;
  readonly raise: (alert: AlertDraft) => void;
  /** Sends an OrderStatusRequest for the order now (committed, then written); false when it could not go. */
  readonly askStatus: (order: Order) => boolean;
  /** Runs `fn` once the open unit of work commits (now when none is open); never if that commit fails. */
  readonly afterCommit: (fn: () => void) => void;
  readonly now: () => string;
}

/**
 * Every request the desk waits on has a timeout (per broker, `timeouts` in the config), on the
 * injected clock:
 *
 * - A new order, cancel or amend unanswered past its timeout is journaled as `requestTimedOut`: the
 *   order shows "no answer from BROKER" (uncertain), an alert is raised, a cancel is still allowed,
 *   and the desk asks for the order's status. Deadlines come from the journaled send times, so they
 *   survive a restart (`recover`). They only run out while the broker is logged on, and never
 *   sooner than a status timeout after a logon: the status requests of the logon's reconciliation
 *   get their chance to settle what was in flight first.
 * - A status request for an order in doubt unanswered past its timeout, or refused by the broker
 *   (35=3 / 35=j), is a failed check (journaled); it is asked again (at once after a timeout, a
 *   status timeout later after a refusal) until `statusRequestAttempts` were made; then an error
 *   alert asks a person to check with the broker and settle the order. Status requests are in
 *   memory only: a restart asks again at logon anyway.
 *
 * Deadlines sit in one min-heap with one clock timer for the earliest; an answered request is not
 * looked for: when its time comes the book says it is answered and nothing happens. A deadline is
 * armed when the request's unit of work commits: a request whose commit failed (a full disk) never
 * happened and gets none. When the desk reads its state back after such a failure, the deadlines are
 * rebuilt from it (`rebuild`), so one whose timeout could not be journaled is not lost.
 */
export class RequestTimeouts {
  private readonly heap: Deadline[] = [];
  private serial = 0;
  private timer: TimerHandle | undefined;
  private timerDue = Infinity;
  /** Per order: the status request in flight the desk waits on (orders in doubt only). */
  private readonly statusInFlight = new Map<string, Deadline>();
  /** Deadlines that came due while their broker was not logged on: back in the heap at its logon. */
  private readonly parked = new Map<string, Deadline[]>();
  private readonly loggedOnAt = new Map<string, number>();
  private readonly configs: ReadonlyMap<string, BrokerConfig>;
  private stopped = false;

  constructor(private readonly deps: RequestTimeoutsDeps) {
    this.configs = new Map(deps.brokers.map((b) => [b.name, b]));
  }

  /** After a restart: every request still awaited, with the deadline its journaled send time gives it. */
  recover(): void {
    this.awaitAll(0);
  }

  /**
   * After the desk read its state back from the journal (a commit failed): the deadlines of what the
   * journal holds. Requests from their journaled send times, as at a restart, but none sooner than a
   * status timeout from now (one that came due meanwhile could not be journaled: it is tried again
   * then, not in a loop while the disk is full); status checks in flight kept for orders that exist,
   * and an order in doubt with none in flight (its status request could not be stored) asked about
   * again a status timeout from now.
   */
  rebuild(): void {
    const book = this.deps.book;
    const kept = this.heap.filter((d) => (d.kind === 'status' || d.kind === 'retry') && book.get(d.orderId) !== undefined);
    for (const orderId of [...this.statusInFlight.keys()]) if (book.get(orderId) === undefined) this.statusInFlight.delete(orderId);
    this.heap.length = 0;
    this.parked.clear();
    if (this.timer !== undefined) this.deps.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerDue = Infinity;
    for (const d of kept) this.push(d);
    const now = this.nowMs();
    this.awaitAll(now);
    for (const order of book.allOrders()) {
      if (!inDoubt(order) || this.statusInFlight.has(order.orderId) || this.exhausted(order)) continue;
      this.push({ due: now + this.timeoutMs(order.broker, 'status'), serial: ++this.serial, orderId: order.orderId, broker: order.broker, kind: 'retry', clOrdId: order.liveClOrdId });
    }
  }

  private awaitAll(notBeforeStatusTimeoutFrom: number): void {
    for (const order of this.deps.book.allOrders()) {
      if (!awaitsAnswer(order)) continue;
      const floor = notBeforeStatusTimeoutFrom === 0 ? 0 : notBeforeStatusTimeoutFrom + this.timeoutMs(order.broker, 'status');
      if (order.working === 'pendingNew' && order.newOrderTimedOut !== true) this.awaitAnswer(order.orderId, order.broker, 'new', order.clOrdIds[0] as string, order.createdAt, floor);
      for (const r of order.requests) if (!r.acknowledged && r.timedOut !== true) this.awaitAnswer(order.orderId, order.broker, r.kind, r.clOrdId, r.sentAt, floor);
    }
  }

  /** A request of ours went out (it is journaled): its answer is awaited from `sentAt`, once its unit of work commits. */
  requestSent(orderId: string, broker: string, kind: 'new' | 'cancel' | 'replace', clOrdId: string, sentAt: string): void {
    this.deps.afterCommit(() => this.awaitAnswer(orderId, broker, kind, clOrdId, sentAt, 0));
  }

  private awaitAnswer(orderId: string, broker: string, kind: 'new' | 'cancel' | 'replace', clOrdId: string, sentAt: string, notBefore: number): void {
    this.push({ due: Math.max(notBefore, Date.parse(sentAt) + this.timeoutMs(broker, kind)), serial: ++this.serial, orderId, broker, kind, clOrdId });
  }

  /** A status request went out: its answer is awaited when the order is in doubt, from when its unit of work commits. */
  statusSent(order: Order): void {
    if (order.uncertain === undefined) return;
    const { orderId, broker, liveClOrdId } = order;
    this.deps.afterCommit(() => {
      const deadline: Deadline = { due: this.nowMs() + this.timeoutMs(broker, 'status'), serial: ++this.serial, orderId, broker, kind: 'status', clOrdId: liveClOrdId };
      this.statusInFlight.set(orderId, deadline);
      this.push(deadline);
    });
  }

  /** The broker said something about the order (a report, a cancel reject): a status check in flight is answered. */
  answered(orderId: string): void {
    if (this.statusInFlight.size > 0) this.statusInFlight.delete(orderId);
  }

  /** The broker refused our status request for the order (its 35=3 / 35=j is journaled): ask again later, within the attempts. */
  statusRefused(orderId: string): void {
    this.statusInFlight.delete(orderId);
    const order = this.deps.book.get(orderId);
    if (order === undefined || !inDoubt(order)) return;
    if (this.exhausted(order)) {
      this.checkStatus(order); // says so, for a person
      return;
    }
    this.push({ due: this.nowMs() + this.timeoutMs(order.broker, 'status'), serial: ++this.serial, orderId, broker: order.broker, kind: 'retry', clOrdId: order.liveClOrdId });
  }

  /** True when no more status requests are to be made for this order (the broker refused or ignored them often enough). */
  exhausted(order: Order): boolean {
    return (order.statusCheck?.failures ?? 0) >= this.attempts(order.broker);
  }

  loggedOn(broker: string): void {
    this.loggedOnAt.set(broker, this.nowMs());
    const parked = this.parked.get(broker);
    if (parked === undefined) return;
    this.parked.delete(broker);
    for (const d of parked) this.push({ ...d, due: this.nowMs() + this.timeoutMs(broker, 'status'), serial: ++this.serial });
  }

  /** The session dropped: status requests in flight are moot (the next logon asks again); other deadlines wait for it. */
  sessionDown(broker: string): void {
    this.loggedOnAt.delete(broker);
    for (const [orderId, d] of this.statusInFlight) if (d.broker === broker) this.statusInFlight.delete(orderId);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.deps.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Deadlines waiting (tests). */
  get pending(): number {
    return this.heap.length + [...this.parked.values()].reduce((n, list) => n + list.length, 0);
  }

  // ---- the clock --------------------------------------------------------------------------------

  private onTimer(): void {
    this.timer = undefined;
    this.timerDue = Infinity;
    const now = this.nowMs();
    for (let head = this.heap[0]; head !== undefined && head.due <= now; head = this.heap[0]) {
      this.pop();
      try {
        this.due(head, now);
      } catch (error) {
        this.deps.log.error('a request timeout failed', { orderId: head.orderId, kind: head.kind, error: error instanceof Error ? error.stack : String(error) });
      }
    }
    this.arm();
  }

  private due(d: Deadline, now: number): void {
    const order = this.deps.book.get(d.orderId);
    if (order === undefined) return;
    if (d.kind === 'retry') {
      if (inDoubt(order) && !this.statusInFlight.has(order.orderId)) this.checkStatus(order);
      return;
    }
    if (d.kind === 'status') {
      if (this.statusInFlight.get(d.orderId) !== d) return; // answered, or superseded
      this.statusInFlight.delete(d.orderId);
      if (!this.isLoggedOn(d.broker)) return; // the next logon asks again
      this.timedOut(order, 'status', order.liveClOrdId);
      const after = this.deps.book.get(d.orderId);
      if (after !== undefined && inDoubt(after)) this.checkStatus(after);
      return;
    }
    if (!stillAwaited(order, d)) return;
    if (!this.isLoggedOn(d.broker)) {
      const list = this.parked.get(d.broker) ?? [];
      list.push(d);
      this.parked.set(d.broker, list);
      return;
    }
    // Sent before the latest logon: the logon's status requests get their time to settle it first.
    const grace = (this.loggedOnAt.get(d.broker) ?? 0) + this.timeoutMs(d.broker, 'status');
    if (now < grace && d.due < grace) {
      this.push({ ...d, due: grace, serial: ++this.serial });
      return;
    }
    this.timedOut(order, d.kind, d.clOrdId);
    const after = this.deps.book.get(d.orderId);
    if (after !== undefined && !this.statusInFlight.has(after.orderId)) this.checkStatus(after);
  }

  private timedOut(order: Order, request: Awaited, clOrdId: string): void {
    this.deps.record({ type: 'requestTimedOut', at: this.deps.now(), orderId: order.orderId, broker: order.broker, request, clOrdId, seconds: this.timeoutMs(order.broker, request) / 1000 });
  }

  /** Asks the broker for the order's status, when it takes status requests and the attempts are not used up; else tells a person. */
  checkStatus(order: Order): void {
    const config = this.configs.get(order.broker);
    if (config?.capabilities.orderStatusRequest === false) {
      this.settleByHand(order, `${order.broker} takes no status requests (its capability profile)`);
      return;
    }
    if (this.exhausted(order)) {
      this.settleByHand(order, `${order.broker} gave no status after ${order.statusCheck?.failures ?? 0} attempt(s) (${order.statusCheck?.lastFailure ?? 'no answer'})`);
      return;
    }
    if (this.deps.askStatus(order)) this.statusSent(order);
  }

  private settleByHand(order: Order, why: string): void {
    this.deps.raise({
      level: 'error',
      code: 'STATUS_UNAVAILABLE',
      message: `Order ${order.orderId} is in doubt (${order.uncertain?.reason ?? 'a request of ours is unanswered'}) and ${why}: check it with ${order.broker} and mark it settled`,
      orderId: order.orderId,
      broker: order.broker,
    });
  }

  private isLoggedOn(broker: string): boolean {
    return this.deps.connections.get(broker)?.state === 'loggedOn' && this.loggedOnAt.has(broker);
  }

  private timeoutMs(broker: string, kind: Awaited): number {
    const t = this.configs.get(broker)?.timeouts ?? DEFAULT_TIMEOUTS;
    const seconds = kind === 'new' ? t.newOrderSeconds : kind === 'cancel' ? t.cancelSeconds : kind === 'replace' ? t.replaceSeconds : t.statusSeconds;
    return seconds * 1000;
  }

  private attempts(broker: string): number {
    return this.configs.get(broker)?.statusRequestAttempts ?? 3;
  }

  private nowMs(): number {
    return this.deps.clock.now().getTime();
  }

  // ---- the heap ---------------------------------------------------------------------------------

  private push(d: Deadline): void {
    if (this.stopped) return;
    const heap = this.heap;
    heap.push(d);
    for (let i = heap.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!earlier(heap[i] as Deadline, heap[parent] as Deadline)) break;
      [heap[i], heap[parent]] = [heap[parent] as Deadline, heap[i] as Deadline];
      i = parent;
    }
    if (d.due < this.timerDue) this.arm();
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop() as Deadline;
    if (heap.length === 0) return;
    heap[0] = last;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && earlier(heap[l] as Deadline, heap[m] as Deadline)) m = l;
      if (r < heap.length && earlier(heap[r] as Deadline, heap[m] as Deadline)) m = r;
      if (m === i) break;
      [heap[i], heap[m]] = [heap[m] as Deadline, heap[i] as Deadline];
      i = m;
    }
  }

  private arm(): void {
    const head = this.heap[0];
    if (this.stopped || head === undefined || head.due >= this.timerDue) return;
    if (this.timer !== undefined) this.deps.clock.clearTimeout(this.timer);
    this.timerDue = head.due;
    this.timer = this.deps.clock.setTimeout(() => this.onTimer(), Math.max(0, head.due - this.nowMs()));
  }
}

function earlier(a: Deadline, b: Deadline): boolean {
  return a.due < b.due || (a.due === b.due && a.serial < b.serial);
}

/** The order is in doubt and something of ours is still unanswered: a status check is wanted. */
function inDoubt(order: Order): boolean {
  return order.uncertain !== undefined && awaitsAnswer(order);
}

/** The request this deadline is for is still unanswered and not yet given up on. */
function stillAwaited(order: Order, d: Deadline): boolean {
  if (d.kind === 'new') return order.working === 'pendingNew' && order.newOrderTimedOut !== true && order.clOrdIds[0] === d.clOrdId;
  return order.requests.some((r) => r.clOrdId === d.clOrdId && !r.acknowledged && r.timedOut !== true);
}
