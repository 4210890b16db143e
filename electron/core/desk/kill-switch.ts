import type { Result } from '../../../shared/contract/result';
import { fail, ok } from '../../../shared/contract/result';
import type { SetTradingStateRequest, TradingStateChanged } from '../../../shared/contract/risk';
import type { AlgoParent } from '../algos/algo-parent';
import type { Order } from '../orders/order';
import { isOpen } from '../orders/order';
import type { DeskContext } from './desk-context';
import { record } from './desk-context';
import { cancelInBatch } from './order-commands';

/**
 * THE KILL SWITCH: one command sets the trading state (halted, reduce-only, or back to normal) and
 * cancels every working order in its scope. Journal first: the new state, then each cancel (or, for a
 * broker that is down, a deferred cancel that goes when it logs on), all in one commit.
 */
export function setTradingState(ctx: DeskContext, request: SetTradingStateRequest): Promise<Result<TradingStateChanged>> {
  return ctx.journal.groupCommit(() => {
    const cancel = request.cancel;
    if (cancel !== undefined) {
      if (cancel.scope === 'broker' && !ctx.brokers.has(cancel.value as string)) return fail('UNKNOWN_BROKER', `no broker named ${cancel.value}`, { 'cancel.value': 'unknown broker' });
      if (cancel.scope === 'account' && !ctx.config.accounts.includes(cancel.value as string)) return fail('INVALID_REQUEST', `unknown account ${cancel.value}`, { 'cancel.value': 'unknown account' });
      if (cancel.scope === 'algo' && ctx.models.algoParents.view.get(cancel.value as string) === undefined) return fail('INVALID_REQUEST', `no algo parent ${cancel.value}`, { 'cancel.value': 'unknown algo' });
    }
    record(ctx, {
      type: 'tradingStateSet',
      at: ctx.now(),
      by: ctx.operator,
      mode: request.mode,
      reason: request.reason,
      ...(cancel !== undefined && { cancel: { scope: cancel.scope, ...(cancel.value !== undefined && { value: cancel.value }) } }),
    });
    let canceled = 0;
    let deferred = 0;
    const notCanceled: { orderId: string; reason: string }[] = [];
    if (cancel !== undefined) {
      // The algo parents in scope stop first (no new child after this commit), then every working order goes.
      const parents = ctx.models.algoParents.view;
      for (const parent of parents.live()) {
        if (!CANCELABLE_PARENT.has(parent.status) || !parentMatches(parent, cancel.scope, cancel.value)) continue;
        record(ctx, { type: 'algoParentCancelled', at: ctx.now(), parentId: parent.parentId, by: ctx.operator });
      }
      const inScope = [...ctx.orders.allOrders()].filter((o) => isOpen(o) && matches(o, cancel.scope, cancel.value, parents.parentOf(o.orderId)));
      for (const order of inScope) {
        const connection = ctx.brokers.get(order.broker);
        if (connection === undefined || connection.state !== 'loggedOn') {
          record(ctx, { type: 'cancelDeferred', at: ctx.now(), orderId: order.orderId, broker: order.broker, by: ctx.operator });
          deferred += 1;
          continue;
        }
        const result = cancelInBatch(ctx, { orderId: order.orderId });
        if (result.ok) canceled += 1;
        else notCanceled.push({ orderId: order.orderId, reason: result.error.message });
      }
    }
    ctx.log.warn('trading state set', { mode: request.mode, by: ctx.operator, reason: request.reason, canceled, deferred, notCanceled: notCanceled.length });
    return ok({ state: ctx.models.tradingState.view.state(), canceled, deferred, notCanceled });
  });
}

/** A broker logged on: the kill switch's cancels that waited for it go now. */
export function sendDeferredCancels(ctx: DeskContext, broker: string): void {
  const waiting = ctx.models.tradingState.view.deferredCancels(broker);
  if (waiting.length === 0) return;
  ctx.journal.batch(() => {
    for (const orderId of waiting) {
      const result = cancelInBatch(ctx, { orderId });
      if (!result.ok) ctx.log.warn('deferred kill-switch cancel not sent', { orderId, reason: result.error.message });
    }
  });
}

type Scope = 'all' | 'broker' | 'account' | 'algo';

/** Parents the kill switch cancels (the state table's `cancel` moves them to cancelling). */
const CANCELABLE_PARENT: ReadonlySet<AlgoParent['status']> = new Set(['running', 'paused', 'ending']);

function matches(order: Order, scope: Scope, value: string | undefined, parentId: string | undefined): boolean {
  switch (scope) {
    case 'all':
      return true;
    case 'broker':
      return order.broker === value;
    case 'account':
      return order.account === value;
    case 'algo':
      return parentId !== undefined && parentId === value;
  }
}

function parentMatches(parent: AlgoParent, scope: Scope, value: string | undefined): boolean {
  switch (scope) {
    case 'all':
      return true;
    case 'broker':
      return parent.params.broker === value;
    case 'account':
      return parent.params.account === value;
    case 'algo':
      return parent.parentId === value;
  }
}
