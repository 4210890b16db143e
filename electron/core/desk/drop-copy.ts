import type { ExecType } from '../../../shared/domain/order-types';
import type { BrokerConfig } from '../config/desk-config';
import type { ExecutionReportMessage } from '../broker/broker-port';
import type { DeskEvent, DropCopyMismatch } from '../journal/desk-events';
import { Dec } from '../orders/decimal';
import type { AlertLog } from '../alerts/alert-log';
import type { OrderBook } from '../orders/order-book';
import type { TimerHandle } from '../time/clock';
import type { DeskContext } from './desk-context';
import { record } from './desk-context';
import { DropCopySnapshots } from './drop-copy-snapshot';

// Kept importable from here (create-desk.ts, the journal's tests, the benches).
export { deskSnapshotSections } from './drop-copy-snapshot';

/** How long one session may lag the other before an execution counts as missing. */
export const DROP_COPY_GRACE_MS = 5_000;

/** Execution reports that carry (or end) a fill: the ones a drop copy must agree on. */
const CHECKED: ReadonlySet<ExecType> = new Set(['trade', 'tradeCancel', 'tradeCorrect']);

type Side = 'trading' | 'dropCopy';

export interface Seen {
  readonly execType: ExecType;
  readonly clOrdId: string;
  readonly side?: string;
  readonly lastQty?: string;
  readonly lastPx?: string;
}

interface BrokerCheck {
  /** ExecIDs one side delivered and the other has not yet, with the timer that will call it missing. */
  readonly waiting: Map<string, { readonly from: Side; readonly timer: TimerHandle }>;
  mismatches: number;
  lastMismatch?: string;
}

export interface DropCopyFigures {
  readonly mismatches: number;
  readonly awaitingMatch: number;
  readonly lastMismatch?: string;
}

/**
 * The drop-copy session's own BrokerConfig: the trading session's settings with the `dropCopy`
 * block laid over them (its own host, port, CompIDs, credentials). Undefined when none is configured.
 */
export function dropCopyConfig(config: BrokerConfig): BrokerConfig | undefined {
  const { dropCopy, ...trading } = config;
  if (dropCopy === undefined) return undefined;
  const merged: BrokerConfig = { ...trading, name: config.name };
  // Its own credentials replace the trading session's as a pair (a password in one, an env name in the other would mix).
  if (dropCopy.password !== undefined || dropCopy.passwordEnv !== undefined) {
    delete (merged as { password?: string }).password;
    delete (merged as { passwordEnv?: string }).passwordEnv;
  }
  for (const [key, value] of Object.entries(dropCopy)) if (value !== undefined) Object.assign(merged, { [key]: value });
  return merged;
}

/**
 * Cross-checks a broker's executions as its trading session and its drop-copy session deliver
 * them, by ExecID: one the other session has not delivered within the grace period (Clock-driven),
 * or one whose side, quantity or price differ, is a mismatch — journaled (`dropCopyMismatch`, which
 * the book raises as an alert) and counted in the session view. A mismatch found while the other
 * session is down waits for it to come back: a session that is down is shown as such, not as
 * a flood of missing executions. Nothing here changes an order.
 */
export class DropCopyChecker {
  private readonly brokers = new Map<string, BrokerCheck>();
  /** What each session delivered: the part of the checker folded from the journal (and kept in snapshots). */
  readonly delivered: DeliveredExecutions;

  constructor(
    private readonly ctx: DeskContext,
    private readonly graceMs = DROP_COPY_GRACE_MS,
  ) {
    this.delivered = new DeliveredExecutions(ctx.config.brokers.filter((b) => dropCopyConfig(b) !== undefined).map((b) => b.name));
  }

  /** Replay: an execution already delivered before this start, never timed again. */
  remember(broker: string, from: Side, report: ExecutionReportMessage): void {
    this.delivered.remember(broker, from, report);
  }

  /** True when the drop copy delivered this ExecID before (a resend): not journaled again. */
  isRepeat(broker: string, report: ExecutionReportMessage): boolean {
    return this.delivered.of(broker).dropCopy.has(report.execId);
  }

  /** An execution report as a session delivered it. */
  observe(broker: string, from: Side, report: ExecutionReportMessage): void {
    if (!CHECKED.has(report.execType) || !this.ctx.dropCopies.has(broker) || !this.delivered.isTracked(broker)) return;
    const delivered = this.delivered.of(broker);
    if (delivered[from].has(report.execId)) return;
    const mine = seen(report);
    delivered[from].set(report.execId, mine);
    const check = this.check(broker);
    const other = delivered[from === 'trading' ? 'dropCopy' : 'trading'].get(report.execId);
    const pending = check.waiting.get(report.execId);
    if (pending !== undefined) {
      this.ctx.clock.clearTimeout(pending.timer);
      check.waiting.delete(report.execId);
    }
    if (other !== undefined) {
      const difference = differences(from === 'trading' ? mine : other, from === 'trading' ? other : mine);
      if (difference !== undefined) this.mismatch(broker, 'different', report.execId, `execution ${report.execId} differs: ${difference}`, report.clOrdId);
    } else {
      this.wait(broker, from, report.execId);
    }
    this.ctx.refreshSession(broker);
  }

  figures(broker: string): DropCopyFigures {
    const check = this.brokers.get(broker);
    if (check === undefined) return { mismatches: 0, awaitingMatch: 0 };
    return { mismatches: check.mismatches, awaitingMatch: check.waiting.size, ...(check.lastMismatch !== undefined && { lastMismatch: check.lastMismatch }) };
  }

  stop(): void {
    for (const check of this.brokers.values()) for (const { timer } of check.waiting.values()) this.ctx.clock.clearTimeout(timer);
  }

  private wait(broker: string, from: Side, execId: string): void {
    const check = this.check(broker);
    const timer = this.ctx.clock.setTimeout(() => {
      check.waiting.delete(execId);
      const otherConnection = from === 'trading' ? this.ctx.dropCopies.get(broker) : this.ctx.brokers.get(broker);
      // The other session is down: it may still deliver once it is back (resend); wait again.
      if (otherConnection !== undefined && otherConnection.state !== 'loggedOn') {
        this.wait(broker, from, execId);
        return;
      }
      const execution = this.delivered.of(broker)[from].get(execId);
      const what = execution === undefined ? execId : `${execId} (${describe(execution)})`;
      if (from === 'trading') {
        this.mismatch(broker, 'missingOnDropCopy', execId, `the drop copy never delivered execution ${what} that the trading session did`, execution?.clOrdId);
      } else {
        this.mismatch(broker, 'missingOnTrading', execId, `the trading session never delivered execution ${what} that the drop copy did`, execution?.clOrdId);
      }
      this.ctx.refreshSession(broker);
    }, this.graceMs);
    check.waiting.set(execId, { from, timer });
  }

  private mismatch(broker: string, kind: DropCopyMismatch['kind'], execId: string, detail: string, clOrdId: string | undefined): void {
    const check = this.check(broker);
    check.mismatches += 1;
    check.lastMismatch = detail;
    const orderId = clOrdId === undefined ? undefined : this.ctx.book.orderIdForClOrdId(clOrdId);
    record(this.ctx, { type: 'dropCopyMismatch', at: this.ctx.now(), broker, execId, kind, detail, ...(orderId !== undefined && { orderId }) });
  }

  private check(broker: string): BrokerCheck {
    let check = this.brokers.get(broker);
    if (check === undefined) {
      check = { waiting: new Map(), mismatches: 0 };
      this.brokers.set(broker, check);
    }
    return check;
  }
}

/**
 * The executions each session delivered, by ExecID, for the brokers that have a drop copy (for the
 * others nothing would ever compare against it): trading, every execution report journaled as
 * received or unmatched; drop copy, every one journaled as drop-copy received. The first delivery of
 * an ExecID is the one kept, live (`observe`) and on replay (`remember`) alike, so what is remembered
 * is the same whether the desk lived through the events or replayed them, and a snapshot of it
 * (`snapshots`, drop-copy-snapshot.ts) equals a replay. Entries are never changed or removed.
 */
export class DeliveredExecutions {
  private readonly brokers = new Map<string, Record<Side, Map<string, Seen>>>();
  private readonly tracked: ReadonlySet<string>;
  /** This memory's snapshot section. */
  readonly snapshots: DropCopySnapshots;

  /** `tracked`: the brokers with a drop copy configured. `entriesPerBlock`: snapshot block size (tests use small ones). */
  constructor(tracked: Iterable<string>, entriesPerBlock?: number) {
    this.tracked = new Set(tracked);
    this.snapshots = new DropCopySnapshots(this, this.tracked, CHECKED, entriesPerBlock);
  }

  isTracked(broker: string): boolean {
    return this.tracked.has(broker);
  }

  of(broker: string): Record<Side, Map<string, Seen>> {
    let maps = this.brokers.get(broker);
    if (maps === undefined) {
      maps = { trading: new Map(), dropCopy: new Map() };
      this.brokers.set(broker, maps);
    }
    return maps;
  }

  remember(broker: string, from: Side, report: ExecutionReportMessage): void {
    if (!CHECKED.has(report.execType) || !this.tracked.has(broker)) return;
    const map = this.of(broker)[from];
    if (!map.has(report.execId)) map.set(report.execId, seen(report));
  }

  /** This memory's part of the journal fold: one journaled event. */
  rememberEvent(event: DeskEvent): void {
    if (event.type === 'executionReceived') this.remember(event.broker, 'trading', event.report);
    else if (event.type === 'unmatchedBrokerMessage' && event.message.type === 'executionReport') this.remember(event.broker, 'trading', event.message);
    else if (event.type === 'dropCopyReceived') this.remember(event.broker, 'dropCopy', event.report);
  }

  /** Broker → session → ExecID → what was delivered (tests compare it). */
  all(): ReadonlyMap<string, Record<Side, ReadonlyMap<string, Seen>>> {
    return this.brokers;
  }

  /** Forgets everything (a restore that has to be undone). */
  clear(): void {
    this.brokers.clear();
  }
}

function seen(r: ExecutionReportMessage): Seen {
  return {
    execType: r.execType,
    clOrdId: r.clOrdId,
    ...(r.side !== undefined && { side: r.side }),
    ...(r.lastQty !== undefined && { lastQty: r.lastQty }),
    ...(r.lastPx !== undefined && { lastPx: r.lastPx }),
  };
}

function describe(s: Seen): string {
  return `${s.execType}${s.side ? ` ${s.side}` : ''} ${s.lastQty ?? '?'} @ ${s.lastPx ?? '?'}, ClOrdID ${s.clOrdId}`;
}

/** What differs between the trading session's and the drop copy's version of one execution. */
function differences(trading: Seen, dropCopy: Seen): string | undefined {
  const found: string[] = [];
  if (trading.execType !== dropCopy.execType) found.push(`type ${trading.execType} on the trading session, ${dropCopy.execType} on the drop copy`);
  if (trading.side !== undefined && dropCopy.side !== undefined && trading.side !== dropCopy.side) {
    found.push(`side ${trading.side} on the trading session, ${dropCopy.side} on the drop copy`);
  }
  if (!sameDecimal(trading.lastQty, dropCopy.lastQty)) found.push(`quantity ${trading.lastQty ?? 'none'} on the trading session, ${dropCopy.lastQty ?? 'none'} on the drop copy`);
  if (!sameDecimal(trading.lastPx, dropCopy.lastPx)) found.push(`price ${trading.lastPx ?? 'none'} on the trading session, ${dropCopy.lastPx ?? 'none'} on the drop copy`);
  return found.length === 0 ? undefined : found.join('; ');
}

function sameDecimal(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return new Dec(a).equals(b);
}

/**
 * The desk's journal fold: every journaled event goes to the order book, the drop-copy memory and
 * the alert list, on replay as live (live, the book and the alerts through `record`, the memory
 * through `observe`). The alerts the book raises are journaled events of their own: on replay the
 * book's are not taken again.
 */
export function foldDeskEvent(book: OrderBook, delivered: DeliveredExecutions, alerts: AlertLog, event: DeskEvent, seq: number): void {
  book.apply(event, seq);
  delivered.rememberEvent(event);
  alerts.apply(event, seq);
}
