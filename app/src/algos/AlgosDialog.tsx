import { useEffect, useState } from 'react';
import type { AlgoParentView, AlgoStatus } from '../../../shared/contract/algos';
import { groupDecimal } from '../format/decimal';
import { formatTime, orderStatusLabel, sideLabel } from '../format/labels';
import { quoteBook } from '../quotes/quote-book';
import { useQuoteSubscription } from '../quotes/use-quote';
import { ModalDialog } from '../shell/ModalDialog';
import { callDesk } from '../store/actions';
import { deskStore, useDesk } from '../store/desk-store';
import { deskNow } from '../store/selectors';
import { AlgoChart } from './AlgoChart';
import { algoHistory } from './algo-history';
import { AlgoTicket } from './AlgoTicket';

const STATUS_LABELS: Record<AlgoStatus, string> = {
  running: 'Running',
  paused: 'Paused',
  cancelling: 'Cancelling',
  cancelled: 'Cancelled',
  ending: 'Ending',
  ended: 'Ended',
  completed: 'Completed',
};

/** The price the chart draws beside the quantities: last, else the mid. */
function chartPrice(instrumentId: string): string | undefined {
  const q = quoteBook.get(instrumentId);
  return q?.last ?? q?.bid ?? q?.ask;
}

/** Feeds the chart history from the store's parents (every version the stream delivers). */
export function useAlgoHistoryFeed(): void {
  useEffect(() => {
    const feed = () => {
      const s = deskStore.getState();
      algoHistory.record(s.data.algoParents.values(), deskNow(s).getTime(), chartPrice);
    };
    feed();
    return deskStore.subscribe((s, before) => {
      if (s.data.algoParents !== before.data.algoParents) feed();
    });
  }, []);
}

export function AlgosDialog({ onClose }: { onClose: () => void }) {
  const parents = useDesk((s) => s.data.algoParents);
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const [message, setMessage] = useState('');
  const rows = [...parents.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const current = selected !== undefined ? parents.get(selected) : rows[0];
  useQuoteSubscription(current?.instrumentId);
  async function act(command: 'pauseAlgo' | 'resumeAlgo' | 'cancelAlgo', p: AlgoParentView) {
    const result = await callDesk(command, { parentId: p.parentId });
    setMessage(result.ok ? '' : result.error.message);
  }
  return (
    <ModalDialog titleId="algos-title" onClose={onClose} className="algos-dialog">
      <h2 id="algos-title">Algos</h2>
      <div className="algos-layout">
        <AlgoTicket onStarted={(id) => setSelected(id)} />
        <section className="algos-right" aria-label="Algo parents">
          <table className="algo-parents">
            <caption className="visually-hidden">Algo parents</caption>
            <thead>
              <tr>
                <th scope="col">Parent</th>
                <th scope="col">Strategy</th>
                <th scope="col">Side</th>
                <th scope="col">Instrument</th>
                <th scope="col">Status</th>
                <th scope="col">Quantity</th>
                <th scope="col">Filled</th>
                <th scope="col">% done</th>
                <th scope="col">Ahead (+) / behind (−)</th>
                <th scope="col">Avg price</th>
                <th scope="col">Slippage vs arrival (bps)</th>
                <th scope="col">Slippage vs interval VWAP (bps)</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((p) => (
                <tr key={p.parentId} aria-selected={p.parentId === current?.parentId} className={p.parentId === current?.parentId ? 'selected' : undefined} onClick={() => setSelected(p.parentId)}>
                  <td>
                    <button type="button" className="btn btn-link" onClick={() => setSelected(p.parentId)} aria-label={`Select algo ${p.parentId}`}>
                      {p.parentId}
                    </button>
                  </td>
                  <td>{p.strategy.toUpperCase()}</td>
                  <td>{sideLabel(p.side)}</td>
                  <td>{p.instrumentId}</td>
                  <td data-testid="algo-status" title={p.flagged}>
                    {STATUS_LABELS[p.status]}
                    {p.flagged !== undefined && ' ⚑'}
                  </td>
                  <td className="num">{groupDecimal(p.pendingQuantity !== undefined ? `${p.quantity} → ${p.pendingQuantity}` : p.quantity)}</td>
                  <td className="num" data-testid="algo-filled">
                    {groupDecimal(p.cumQty)}
                  </td>
                  <td className="num">{p.percentDone}</td>
                  <td className="num">{p.aheadQty.startsWith('-') ? `−${groupDecimal(p.aheadQty.slice(1))}` : `+${groupDecimal(p.aheadQty)}`}</td>
                  <td className="num">{p.avgPx ?? ''}</td>
                  <td className="num">{p.slippageVsArrivalBps ?? ''}</td>
                  <td className="num">{p.slippageVsVwapBps ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {current !== undefined && (
            <>
              <div className="algo-actions" role="group" aria-label={`Actions on ${current.parentId}`}>
                <button type="button" className="btn" disabled={current.status !== 'running'} onClick={() => void act('pauseAlgo', current)}>
                  Pause
                </button>
                <button type="button" className="btn" disabled={current.status !== 'paused'} onClick={() => void act('resumeAlgo', current)}>
                  Resume
                </button>
                <button type="button" className="btn btn-danger" disabled={!['running', 'paused', 'ending'].includes(current.status)} onClick={() => void act('cancelAlgo', current)}>
                  Cancel algo
                </button>
                <span className="muted">
                  {formatTime(current.startTime)} → {formatTime(current.endTime)}
                  {current.flagged !== undefined && ` · ${current.flagged}`}
                </span>
              </div>
              {message !== '' && (
                <p className="form-error" role="alert">
                  {message}
                </p>
              )}
              <AlgoChart parentId={current.parentId} />
              <AlgoChildren parent={current} />
            </>
          )}
        </section>
      </div>
      <div className="dialog-buttons">
        <button type="button" className="btn" onClick={onClose}>
          Close
        </button>
      </div>
    </ModalDialog>
  );
}

function AlgoChildren({ parent }: { parent: AlgoParentView }) {
  const orders = useDesk((s) => s.data.orders);
  const children = parent.childIds.map((id) => orders.get(id)).filter((o) => o !== undefined);
  return (
    <table className="algo-children">
      <caption>Children of {parent.parentId}</caption>
      <thead>
        <tr>
          <th scope="col">Order</th>
          <th scope="col">Status</th>
          <th scope="col">Quantity</th>
          <th scope="col">Limit</th>
          <th scope="col">Filled</th>
          <th scope="col">Avg price</th>
          <th scope="col">Sent</th>
        </tr>
      </thead>
      <tbody>
        {children.map((o) => (
          <tr key={o.orderId}>
            <td>{o.orderId}</td>
            <td>{orderStatusLabel(o.status)}</td>
            <td className="num">{groupDecimal(o.quantity)}</td>
            <td className="num">{o.limitPrice ?? 'MKT'}</td>
            <td className="num">{groupDecimal(o.cumQty)}</td>
            <td className="num">{o.avgPx}</td>
            <td>{formatTime(o.createdAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
