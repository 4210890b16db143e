import type { QuoteView } from '../../../shared/contract/market-data';
import type { Instrument } from '../../../shared/domain/instrument';
import { groupDecimal } from '../format/decimal';
import { formatTime } from '../format/labels';
import { useQuote } from './use-quote';

export interface QuoteStripProps {
  readonly instrument: Instrument;
  /** Clicking the bid or the ask puts that price in the ticket's limit. */
  readonly onPrice?: (price: string) => void;
}

function Cell({ label, value, size, sized, onPick, className }: { label: string; value: string | undefined; size?: string | undefined; sized?: boolean; onPick?: ((v: string) => void) | undefined; className: string }) {
  const shown = value === undefined ? '—' : groupDecimal(value);
  return (
    <div className={`quote-cell ${className}`}>
      <span className="quote-label">{label}</span>
      {onPick !== undefined && value !== undefined ? (
        <button type="button" className="quote-value quote-pick" onClick={() => onPick(value)} title={`Use ${shown} as the limit`} aria-label={`${label} ${shown}: use as the limit`}>
          {shown}
        </button>
      ) : (
        <span className="quote-value">{shown}</span>
      )}
      {sized === true && <span className="quote-size">{size === undefined ? '\u00a0' : groupDecimal(size)}</span>}
    </div>
  );
}

function freshness(quote: QuoteView | undefined): { text: string; stale: boolean } {
  if (quote === undefined) return { text: 'waiting for a quote', stale: false };
  if (quote.rejected !== undefined) return { text: `no quote: ${quote.rejected}`, stale: true };
  if (quote.stale) return { text: `stale since ${formatTime(quote.updatedAt)}`, stale: true };
  return { text: `live ${formatTime(quote.updatedAt)}`, stale: false };
}

/**
 * Bid / ask / last and the day's volume of the ticket's instrument, live (subscribed while shown).
 * A quote the feed has not refreshed within its staleness limit is greyed and says since when.
 */
export function QuoteStrip({ instrument, onPrice }: QuoteStripProps) {
  const quote = useQuote(instrument.id);
  const state = freshness(quote);
  return (
    <section className={`quote-strip${state.stale ? ' quote-stale' : ''}`} aria-label={`Quote for ${instrument.symbol}`}>
      <Cell label="Bid" value={quote?.bid} size={quote?.bidSize} sized onPick={onPrice} className="quote-bid" />
      <Cell label="Ask" value={quote?.ask} size={quote?.askSize} sized onPick={onPrice} className="quote-ask" />
      <Cell label="Last" value={quote?.last} size={quote?.lastSize} sized className="quote-last" />
      <Cell label="Volume" value={quote?.volume} className="quote-volume" />
      <p className={`quote-freshness${state.stale ? ' stale' : ''}`} data-testid="quote-freshness">
        {state.stale && <span className="stale-badge">STALE</span>} {state.text}
      </p>
    </section>
  );
}
