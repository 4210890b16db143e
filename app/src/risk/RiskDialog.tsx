import { useEffect, useId, useState } from 'react';
import type { RiskLimitsView } from '../../../shared/contract/risk';
import { groupDecimal } from '../format/decimal';
import { formatTime } from '../format/labels';
import { ModalDialog } from '../shell/ModalDialog';
import { callDesk, closeDialog, openDialog, pushLocalAlert } from '../store/actions';
import { useDesk } from '../store/desk-store';
import { limitRows, LIMIT_NAMES, MODE_LABELS, usageLevel } from './risk-usage-rows';

const REFRESH_MS = 2_000;

/** The risk limits in force and each account's usage of them (flagged from 80 %), reload, resume trading. K opens it. */
export function RiskDialog() {
  const open = useDesk((s) => s.dialog?.kind === 'risk');
  if (!open) return null;
  return <RiskBody />;
}

function RiskBody() {
  const [view, setView] = useState<RiskLimitsView | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [reason, setReason] = useState('');
  const tradingState = useDesk((s) => s.data.tradingState);
  const id = useId();

  const refresh = async () => {
    const result = await callDesk('getRiskLimits', {});
    if (result.ok) setView(result.value);
    else setMessage({ ok: false, text: result.error.message });
  };
  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    return () => clearInterval(timer);
  }, []);

  async function reload() {
    const result = await callDesk('reloadRiskLimits', {});
    setMessage(result.ok ? { ok: true, text: result.value.changed ? `Limits reloaded (${result.value.hash.slice(0, 12)})` : 'The file holds the limits in force: nothing changed' } : { ok: false, text: result.error.message });
    void refresh();
  }

  async function resume() {
    if (reason.trim().length < 3) {
      setMessage({ ok: false, text: 'Say why trading resumes (at least 3 characters)' });
      return;
    }
    const result = await callDesk('setTradingState', { mode: 'normal', reason: reason.trim() });
    if (result.ok) {
      pushLocalAlert('info', 'Trading resumed');
      setReason('');
      setMessage({ ok: true, text: 'Trading resumed' });
    } else setMessage({ ok: false, text: result.error.message });
  }

  return (
    <ModalDialog titleId={`${id}-title`} onClose={closeDialog} className="risk-dialog">
      <h2 id={`${id}-title`}>Risk limits</h2>
      <p className="dialog-summary">
        Trading: <strong>{MODE_LABELS[tradingState.mode]}</strong>
        {tradingState.since !== undefined && ` since ${formatTime(tradingState.since)} (${tradingState.by ?? '?'}: ${tradingState.reason ?? ''})`}
        {view !== null && (
          <>
            {' '}
            · limits <span className="mono">{view.hash.slice(0, 12)}</span>
            {view.loadedAt !== undefined && ` loaded ${formatTime(view.loadedAt)}`} · base currency {view.baseCurrency}
          </>
        )}
      </p>
      <table className="risk-usage">
        <caption>Usage per account</caption>
        <thead>
          <tr>
            <th scope="col">Account</th>
            <th scope="col">Limit</th>
            <th scope="col">Used</th>
            <th scope="col">Warn at</th>
            <th scope="col">Block at</th>
            <th scope="col">Of limit</th>
          </tr>
        </thead>
        <tbody>
          {(view?.usage ?? []).map((u) => {
            const level = usageLevel(u);
            return (
              <tr key={`${u.account}-${u.limit}`} className={`usage-${level}`}>
                <th scope="row">{u.account}</th>
                <td>{LIMIT_NAMES[u.limit] ?? u.limit}</td>
                <td className="num">{groupDecimal(u.used)}</td>
                <td className="num">{u.warnAt !== undefined ? groupDecimal(u.warnAt) : '—'}</td>
                <td className="num">{u.blockAt !== undefined ? groupDecimal(u.blockAt) : '—'}</td>
                <td className="num">
                  {u.percent !== undefined ? `${u.percent} %` : 'no limit'}
                  {level !== 'ok' && <span className={`usage-flag usage-flag-${level}`}>{level === 'over' ? ' over the limit' : ' near the limit'}</span>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <table className="risk-usage risk-limits">
        <caption>Limits in force (the most specific level wins)</caption>
        <thead>
          <tr>
            <th scope="col">Where</th>
            <th scope="col">Limit</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          {limitRows(view?.limits).map((r) => (
            <tr key={`${r.level}-${r.limit}`}>
              <th scope="row">{r.level}</th>
              <td>{r.limit}</td>
              <td>{r.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {message !== null && (
        <p className={message.ok ? 'form-ok' : 'form-error'} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </p>
      )}
      {tradingState.mode !== 'normal' && (
        <div className="form-grid">
          <label htmlFor={`${id}-reason`}>Reason to resume</label>
          <input id={`${id}-reason`} type="text" autoComplete="off" value={reason} onChange={(e) => setReason(e.target.value)} />
        </div>
      )}
      <div className="dialog-buttons">
        <button type="button" className="btn" onClick={() => void reload()}>
          Reload limits file
        </button>
        <button type="button" className="btn btn-danger" onClick={() => openDialog({ kind: 'killSwitch' })}>
          Kill switch…
        </button>
        {tradingState.mode !== 'normal' && (
          <button type="button" className="btn btn-primary" onClick={() => void resume()}>
            Resume trading
          </button>
        )}
        <button type="button" className="btn" data-autofocus onClick={closeDialog}>
          Close
        </button>
      </div>
    </ModalDialog>
  );
}
