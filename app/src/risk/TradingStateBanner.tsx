import { useDesk } from '../store/desk-store';
import { openDialog } from '../store/actions';
import { tradingStateText } from './risk-usage-rows';

/** While the kill switch holds trading (halted or reduce-only): a banner in every window, with the way back. */
export function TradingStateBanner() {
  const state = useDesk((s) => s.data.tradingState);
  if (state.mode === 'normal') return null;
  return (
    <div className={`banner banner-trading banner-trading-${state.mode}`} role="alert">
      {tradingStateText(state)}{' '}
      <button type="button" className="btn btn-ghost" onClick={() => openDialog({ kind: 'risk' })}>
        Risk and resume…
      </button>
    </div>
  );
}
