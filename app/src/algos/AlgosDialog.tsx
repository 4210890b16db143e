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
                  <td className="num" data-testid="algo-quantity">
                    {p.pendingQuantity !== undefined ? `${groupDecimal(p.quantity)} → ${groupDecimal(p.pendingQuantity)}` : groupDecimal(p.quantity)}
                  </td>
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
              <AlgoAmend parent={current} onResult={setMessage} />
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

/** Amends the selected parent: quantity, limit, or the end (minutes from now on the desk's clock). The schedule is recomputed by the desk. */
function AlgoAmend({ parent, onResult }: { parent: AlgoParentView; onResult: (message: string) => void }) {
  const [quantity, setQuantity] = useState('');
  const [limitPrice, setLimitPrice] = useState('');
  const [minutes, setMinutes] = useState('');
  const amendable = parent.status === 'running' || parent.status === 'paused';
  async function amend(event: React.FormEvent) {
    event.preventDefault();
    const endMinutes = Number(minutes);
    if (minutes.trim() !== '' && !(endMinutes > 0)) {
      onResult('the new end must be a number of minutes above 0');
      return;
    }
    const result = await callDesk('amendAlgo', {
      parentId: parent.parentId,
      ...(quantity.trim() !== '' && { quantity: quantity.trim() }),
      ...(limitPrice.trim() !== '' && { limitPrice: limitPrice.trim() }),
      ...(minutes.trim() !== '' && { endTime: new Date(deskNow(deskStore.getState()).getTime() + Math.round(endMinutes * 60_000)).toISOString() }),
    });
    onResult(result.ok ? '' : result.error.message);
    if (result.ok) {
      setQuantity('');
      setLimitPrice('');
      setMinutes('');
    }
  }
  return (
    <form className="algo-amend" aria-label={`Amend ${parent.parentId}`} onSubmit={(e) => void amend(e)} noValidate>
      <label>
        New quantity <input type="text" inputMode="decimal" className="num" value={quantity} onChange={(e) => setQuantity(e.target.value)} />
      </label>
      <label>
        New limit <input type="text" inputMode="decimal" className="num" value={limitPrice} onChange={(e) => setLimitPrice(e.target.value)} />
      </label>
      <label>
        End in (minutes) <input type="text" inputMode="decimal" className="num" value={minutes} onChange={(e) => setMinutes(e.target.value)} />
      </label>
      <button type="submit" className="btn" disabled={!amendable}>
        Amend algo
      </button>
    </form>
  );
}
