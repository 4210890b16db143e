import type { BrokerConfig } from '../config/desk-config';
import type { ExecutionReportMessage } from '../broker/broker-port';
import type { DropCopyMismatch } from '../journal/desk-events';
import { Dec } from '../decimal/decimal';
import type { TimerHandle } from '../time/clock';
import type { Delivered, DeliveredExecutionsView, SessionSide } from './delivered-executions';
import type { DeskContext } from './desk-context';
import { record } from './desk-context';

/** How long one session may lag the other before an execution counts as missing. */
export const DROP_COPY_GRACE_MS = 5_000;

interface BrokerCheck {
  /** ExecIDs one side delivered and the other has not yet, with the timer that will call it missing. */
  readonly waiting: Map<string, { readonly from: SessionSide; readonly timer: TimerHandle }>;
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
 *
 * What each session delivered is a read model (delivered-executions.ts); this is the live effect
 * that hangs off it: `delivered` is called with each first delivery the fold remembered.
 */
export class DropCopyChecker {
  private readonly brokers = new Map<string, BrokerCheck>();

  constructor(
    private readonly ctx: DeskContext,
    private readonly memory: DeliveredExecutionsView,
    private readonly graceMs = DROP_COPY_GRACE_MS,
  ) {}

  /** True when the drop copy delivered this ExecID before (a resend): not journaled again. */
  isRepeat(broker: string, report: ExecutionReportMessage): boolean {
    return this.memory.get(broker, 'dropCopy', report.execId) !== undefined;
  }

  /** An execution a session delivered for the first time, as the fold remembered it. */
  delivered(mine: Delivered): void {
    const { broker, from, execId } = mine;
    if (!this.ctx.dropCopies.has(broker)) return;
    const check = this.check(broker);
    const other = this.memory.get(broker, from === 'trading' ? 'dropCopy' : 'trading', execId);
    const pending = check.waiting.get(execId);
    if (pending !== undefined) {
      this.ctx.clock.clearTimeout(pending.timer);
      check.waiting.delete(execId);
    }
    if (other !== undefined) {
      const difference = differences(from === 'trading' ? mine : other, from === 'trading' ? other : mine);
      if (difference !== undefined) this.mismatch(broker, 'different', execId, `execution ${execId} differs: ${difference}`, mine.clOrdId);
    } else {
      this.wait(broker, from, execId);
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

  private wait(broker: string, from: SessionSide, execId: string): void {
    const check = this.check(broker);
    const timer = this.ctx.clock.setTimeout(() => {
      check.waiting.delete(execId);
      const otherConnection = from === 'trading' ? this.ctx.dropCopies.get(broker) : this.ctx.brokers.get(broker);
      // The other session is down: it may still deliver once it is back (resend); wait again.
      if (otherConnection !== undefined && otherConnection.state !== 'loggedOn') {
        this.wait(broker, from, execId);
        return;
      }
      const execution = this.memory.get(broker, from, execId);
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
    const orderId = clOrdId === undefined ? undefined : this.ctx.models.orders.view.orderIdForClOrdId(clOrdId);
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

function describe(s: Delivered): string {
  return `${s.execType}${s.side ? ` ${s.side}` : ''} ${s.lastQty ?? '?'} @ ${s.lastPx ?? '?'}, ClOrdID ${s.clOrdId}`;
}

/** What differs between the trading session's and the drop copy's version of one execution. */
function differences(trading: Delivered, dropCopy: Delivered): string | undefined {
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
