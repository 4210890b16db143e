import type { ReactNode } from 'react';
import type { AlertView, OrderView } from '../../../shared/contract/views';
import { groupDecimal, isZeroDecimal } from '../format/decimal';
import { orderStatusText, orderStatusTone, orderTypeLabel, sideLabel, timeInForceLabel } from '../format/labels';
import type { ClOrdIdLink } from './history-model';
import { formatStamp } from './history-model';

function Fact({ label, children, className }: { label: string; children: ReactNode; className?: string }) {
  return (
    <div className={`history-fact ${className ?? ''}`}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function ClOrdIdChain({ chain }: { chain: readonly ClOrdIdLink[] }) {
  return (
    <ol className="clordid-chain" aria-label="ClOrdID chain, oldest first">
      {chain.map((link) => {
        const tags = [link.original && 'original', link.live && 'live', link.pending && 'pending'].filter(Boolean).join(', ');
        return (
          <li key={link.clOrdId} className={link.live ? 'clordid-live' : link.pending ? 'clordid-pending' : undefined}>
            <span className="mono">{link.clOrdId}</span>
            {tags && <span className="clordid-tag">{tags}</span>}
          </li>
        );
      })}
    </ol>
  );
}

/** The order as it stands now: status and why, quantities, prices, routing, ClOrdIDs, and its alerts. */
export function OrderStateSummary({ order, chain, alerts }: { order: OrderView; chain: readonly ClOrdIdLink[]; alerts: readonly AlertView[] }) {
  const tone = orderStatusTone(order.status);
  const price = [order.limitPrice && `@ ${groupDecimal(order.limitPrice)}`, order.stopPrice && `stop ${groupDecimal(order.stopPrice)}`]
    .filter(Boolean)
    .join(' ');
  return (
    <section className="history-state" aria-label="Current state of the order">
      <div className="history-state-head">
        <span className={`badge badge-large tone-${tone}`}>{orderStatusText(order)}</span>
        <span className="history-order-line">
          <span className={order.side === 'buy' ? 'side-buy' : 'side-sell'}>{sideLabel(order.side)}</span> <span className="mono">{groupDecimal(order.quantity)}</span>{' '}
          <span className="symbol">{order.symbol}</span> {orderTypeLabel(order.orderType)} {price && <span className="mono">{price}</span>}{' '}
          {timeInForceLabel(order.timeInForce)}
          {order.expireDate ? ` ${order.expireDate}` : ''}
        </span>
      </div>
      {order.text !== undefined && order.text !== '' && (
        <p className={`history-reason history-reason-${tone}`}>
          <span className="history-reason-label">Reason</span> {order.text}
        </p>
      )}
      <dl className="history-facts">
        <Fact label="Filled">
          <span className="mono">
            {groupDecimal(order.cumQty)} / {groupDecimal(order.quantity)}
          </span>
        </Fact>
        <Fact label="Leaves">
          <span className="mono">{groupDecimal(order.leavesQty)}</span>
        </Fact>
        <Fact label="Avg px">
          <span className="mono">{isZeroDecimal(order.cumQty) ? '—' : groupDecimal(order.avgPx)}</span>
        </Fact>
        {order.limitPrice !== undefined && (
          <Fact label="Limit">
            <span className="mono">{groupDecimal(order.limitPrice)}</span>
          </Fact>
        )}
        {order.stopPrice !== undefined && (
          <Fact label="Stop">
            <span className="mono">{groupDecimal(order.stopPrice)}</span>
          </Fact>
        )}
        <Fact label="Broker">{order.broker}</Fact>
        <Fact label="Account">{order.account}</Fact>
        <Fact label="Broker order ID" className="history-fact-double">
          <span className="mono" title={order.brokerOrderId}>
            {order.brokerOrderId ?? '—'}
          </span>
        </Fact>
        <Fact label="Created">
          <span className="mono" title={order.createdAt}>
            {formatStamp(order.createdAt)}
          </span>
        </Fact>
        <Fact label="Updated">
          <span className="mono" title={order.updatedAt}>
            {formatStamp(order.updatedAt)}
          </span>
        </Fact>
        <Fact label="ClOrdIDs" className="history-fact-wide">
          <ClOrdIdChain chain={chain} />
        </Fact>
      </dl>
      {alerts.length > 0 && (
        <ul className="history-alerts" aria-label="Alerts for this order">
          {alerts.map((alert) => (
            <li key={alert.id} className={`alert-${alert.level}`}>
              <span className="alert-level">{alert.level === 'error' ? 'Error' : 'Warning'}</span>{' '}
              <span className="mono muted">{formatStamp(alert.at)}</span> {alert.message}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
