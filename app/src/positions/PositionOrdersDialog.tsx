import { useMemo } from 'react';
import { groupDecimal } from '../format/decimal';
import { formatTime, orderStatusLabel } from '../format/labels';
import { ModalDialog } from '../shell/ModalDialog';
import { useDesk } from '../store/desk-store';
import { positionBook } from './position-book';

/** A position's orders today and their fills (from the blotters' data), opened by a double-click on it. */
export function PositionOrdersDialog({ positionKey, onClose }: { positionKey: string; onClose: () => void }) {
  const position = positionBook.all().find((r) => r.key === positionKey);
  const orders = useDesk((s) => s.data.orders);
  const executions = useDesk((s) => s.data.executions);
  const mine = useMemo(() => [...orders.values()].filter((o) => position !== undefined && o.account === position.account && o.instrumentId === position.instrumentId), [orders, position]);
  const ids = new Set(mine.map((o) => o.orderId));
  const fills = [...executions.values()].filter((e) => ids.has(e.orderId) && (e.execType === 'trade' || e.execType === 'tradeCorrect' || e.execType === 'tradeCancel'));
  const title = position === undefined ? positionKey : `${position.symbol} · ${position.account}`;
  return (
    <ModalDialog titleId="position-orders-title" onClose={onClose} className="position-orders-dialog">
      <h2 id="position-orders-title">Orders and fills: {title}</h2>
      {position !== undefined && (
        <p className="muted">
          Start of day {groupDecimal(position.startQuantity)}, bought {groupDecimal(position.bought)}, sold {groupDecimal(position.sold)}: {groupDecimal(position.quantity)} now
        </p>
      )}
      <table className="history-table" aria-label="Orders of the position">
        <thead>
          <tr>
            <th>Order</th>
            <th>Side</th>
            <th>Quantity</th>
            <th>Filled</th>
            <th>Avg px</th>
            <th>Status</th>
          </tr>
        </thead>
        <tbody>
          {mine.map((o) => (
            <tr key={o.orderId}>
              <td className="mono">{o.orderId}</td>
              <td>{o.side}</td>
              <td className="num">{groupDecimal(o.quantity)}</td>
              <td className="num">{groupDecimal(o.cumQty)}</td>
              <td className="num">{groupDecimal(o.avgPx)}</td>
              <td>{orderStatusLabel(o.status)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="history-table" aria-label="Fills of the position">
        <thead>
          <tr>
            <th>Time</th>
            <th>Exec ID</th>
            <th>Order</th>
            <th>Qty</th>
            <th>Price</th>
            <th>State</th>
          </tr>
        </thead>
        <tbody>
          {fills.map((f) => (
            <tr key={`${f.orderId}/${f.execId}`}>
              <td>{formatTime(f.transactTime ?? f.receivedAt)}</td>
              <td className="mono">{f.execId}</td>
              <td className="mono">{f.orderId}</td>
              <td className="num">{groupDecimal(f.lastQty)}</td>
              <td className="num">{groupDecimal(f.lastPx)}</td>
              <td>{f.state}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={onClose} data-autofocus>
          Close
        </button>
      </div>
    </ModalDialog>
  );
}
