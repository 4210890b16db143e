import type { InstrumentDetails, OrderPreview } from '../../../shared/contract/instruments';
import type { Instrument } from '../../../shared/domain/instrument';
import { groupDecimal } from '../format/decimal';
import { CLASS_BADGES, CLASS_NAMES, instrumentFacts } from '../instruments/instrument-terms';

/** The picked instrument's name and the terms a trader checks before sending (expiry, tenor and value date, maturity…). */
export function InstrumentCard({ instrument, details }: { instrument: Instrument; details: InstrumentDetails | undefined }) {
  const facts = [...instrumentFacts(instrument)];
  if (details?.settlementDate !== undefined) facts.unshift({ label: instrument.assetClass === 'fx' ? 'Value date' : 'Settles', value: details.settlementDate });
  if (details?.accruedPer100 !== undefined) facts.push({ label: 'Accrued /100', value: details.accruedPer100 });
  return (
    <div className="instrument-card" data-testid="instrument-card" data-instrument-id={instrument.id}>
      <p className="instrument-title">
        <span className={`class-badge class-${instrument.assetClass}`} title={CLASS_NAMES[instrument.assetClass]}>
          {CLASS_BADGES[instrument.assetClass]}
        </span>{' '}
        <span className="symbol">{instrument.symbol}</span> <span className="muted">{instrument.name}</span> <span className="instrument-ccy">{instrument.currency}</span>
      </p>
      {details?.expired === true && (
        <p className="field-error" role="alert">
          {instrument.assetClass === 'bond' ? 'This bond has matured' : 'This contract has expired'}: it cannot be traded.
        </p>
      )}
      <dl className="instrument-facts">
        {facts.map((f) => (
          <div key={f.label}>
            <dt>{f.label}</dt>
            <dd>{f.value}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

/** What the order is worth, from the desk's `previewOrder`: notional with the multiplier, accrued interest, settlement amount. */
export function PreviewLines({ preview }: { preview: OrderPreview }) {
  const instrument = preview.details.instrument;
  const ccy = instrument.currency;
  const lines: Array<{ label: string; value: string }> = [];
  if (preview.notional !== undefined) {
    const how = instrument.assetClass === 'future' || instrument.assetClass === 'option' ? ` (×${groupDecimal(instrument.multiplier)})` : instrument.assetClass === 'bond' ? ' (clean)' : '';
    lines.push({ label: `Notional${how}`, value: `${groupDecimal(preview.notional)} ${ccy}` });
  }
  if (preview.notionalMajor !== undefined) lines.push({ label: 'Notional', value: `${groupDecimal(preview.notionalMajor.amount)} ${preview.notionalMajor.currency}` });
  if (preview.accruedInterest !== undefined) lines.push({ label: 'Accrued interest', value: `${groupDecimal(preview.accruedInterest)} ${ccy}` });
  if (preview.settlementAmount !== undefined) lines.push({ label: 'Settlement amount', value: `${groupDecimal(preview.settlementAmount)} ${ccy}` });
  if (preview.valuedAt !== undefined && preview.notional !== undefined) lines.push({ label: 'Valued at', value: groupDecimal(preview.valuedAt) });
  if (lines.length === 0) return null;
  return (
    <dl className="ticket-preview" aria-label="Order value" data-testid="ticket-preview">
      {lines.map((l) => (
        <div key={l.label}>
          <dt>{l.label}</dt>
          <dd className="num">{l.value}</dd>
        </div>
      ))}
    </dl>
  );
}
