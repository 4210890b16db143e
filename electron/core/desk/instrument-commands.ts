import type { GetInstrumentRequest, InstrumentDetails, InstrumentSearchResult, OrderPreview, PreviewOrderRequest, SearchInstrumentsRequest } from '../../../shared/contract/instruments';
import type { Result } from '../../../shared/contract/result';
import type { InstrumentView } from '../../../shared/contract/views';
import { fail, failWithCodes, ok } from '../../../shared/contract/result';
import type { Instrument } from '../../../shared/domain/instrument';
import { instrumentDetails, orderPreview } from '../instruments/ticket-rules';
import type { DeskContext } from './desk-context';
import { newOrderForRisk, previewRisk } from './risk-gate';

function priceOf(request: PreviewOrderRequest): { limitPrice?: string; stopPrice?: string } {
  return { ...(request.limitPrice !== undefined && { limitPrice: request.limitPrice }), ...(request.stopPrice !== undefined && { stopPrice: request.stopPrice }) };
}

/** The instrument picker's search over the desk's master (read-only). */
export function searchInstruments(ctx: DeskContext, request: SearchInstrumentsRequest): Result<InstrumentSearchResult> {
  const limit = request.limit ?? 20;
  const found = ctx.instruments.search(request.query, Number.MAX_SAFE_INTEGER).filter((i) => request.assetClass === undefined || i.assetClass === request.assetClass);
  return ok({ instruments: found.slice(0, limit), more: found.length > limit });
}

export function getInstrument(ctx: DeskContext, request: GetInstrumentRequest): Result<InstrumentDetails> {
  const instrument = ctx.instruments.get(request.instrumentId);
  if (instrument === undefined) return unknownInstrument(request.instrumentId);
  return ok(instrumentDetails(instrument, ctx.tradeDate()));
}

/** The order a ticket describes so far, valued and checked; nothing journaled, nothing sent. */
export function previewOrder(ctx: DeskContext, request: PreviewOrderRequest): Result<OrderPreview> {
  const instrument = ctx.instruments.get(request.instrumentId);
  if (instrument === undefined) return unknownInstrument(request.instrumentId);
  const preview = orderPreview(instrument, request, ctx.tradeDate());
  const { side, account, broker, quantity } = request;
  if (side === undefined || account === undefined || broker === undefined || quantity === undefined) return ok(preview);
  const risk = previewRisk(ctx, newOrderForRisk({ side, account, broker, quantity, ...priceOf(request), ...(request.locate !== undefined && { locate: request.locate }) }, instrument));
  return ok({ ...preview, risk });
}

/** The instrument a request names, or the refusal naming its field. */
export function knownInstrument(ctx: DeskContext, instrumentId: string): { ok: true; instrument: Instrument } | { ok: false; result: Result<never> } {
  const instrument = ctx.instruments.get(instrumentId);
  if (instrument !== undefined) return { ok: true, instrument };
  return {
    ok: false,
    result: failWithCodes('INVALID_REQUEST', `no instrument ${instrumentId} in the desk's instrument master`, {
      instrumentId: { code: 'UNKNOWN_INSTRUMENT', message: `no instrument ${instrumentId}` },
    }),
  };
}

/** An instrument in brief, for the reference data every window gets. */
export function instrumentView(instrument: Instrument): InstrumentView {
  return { id: instrument.id, symbol: instrument.symbol, assetClass: instrument.assetClass, currency: instrument.currency, description: instrument.name };
}

function unknownInstrument(instrumentId: string): Result<never> {
  return fail('UNKNOWN_INSTRUMENT', `no instrument ${instrumentId} in the desk's instrument master`, { instrumentId: 'unknown instrument' });
}
