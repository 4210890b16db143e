import type { OrderPreview, PreviewOrderRequest } from '../../../shared/contract/instruments';
import { isPositiveDecimalString } from '../../../shared/domain/decimal-string';
import type { Instrument } from '../../../shared/domain/instrument';
import { quoteBook } from '../quotes/quote-book';
import type { TicketErrors, TicketForm } from './ticket-form';
import { errorsFromFieldMessages, expireDateApplies, limitPriceApplies, stopPriceApplies } from './ticket-form';

const given = (value: string): string | undefined => {
  const v = value.trim();
  return isPositiveDecimalString(v) ? v : undefined;
};

/**
 * What to ask the desk's `previewOrder` for the ticket as it stands: the picked instrument and the
 * values typed so far that are numbers; a market (or stop) order is valued at the side's touch
 * (the ask to buy, the bid to sell; else the last) from the quote the ticket shows.
 */
export function previewRequest(
  form: TicketForm,
  instrument: Instrument | undefined,
  quote = instrument === undefined ? undefined : quoteBook.get(instrument.id),
  locate = false,
): PreviewOrderRequest | undefined {
  if (instrument === undefined || instrument.id !== form.instrumentId) return undefined;
  const quantity = given(form.quantity);
  const limitPrice = limitPriceApplies(form.orderType) ? given(form.limitPrice) : undefined;
  const stopPrice = stopPriceApplies(form.orderType) ? given(form.stopPrice) : undefined;
  const touch = form.side === 'buy' ? quote?.ask : quote?.bid;
  const marketPrice = limitPrice === undefined && stopPrice === undefined ? (touch ?? quote?.last) : undefined;
  const expireDate = expireDateApplies(form.timeInForce) && /^\d{4}-\d{2}-\d{2}$/.test(form.expireDate) ? form.expireDate : undefined;
  return {
    instrumentId: instrument.id,
    ...(quantity !== undefined && { quantity }),
    ...(limitPrice !== undefined && { limitPrice }),
    ...(stopPrice !== undefined && { stopPrice }),
    ...(marketPrice !== undefined && { marketPrice }),
    ...(expireDate !== undefined && { expireDate }),
    // The pre-trade checks run on the preview too, once the order is whole enough.
    side: form.side,
    ...(form.account !== '' && { account: form.account }),
    ...(form.broker !== '' && { broker: form.broker }),
    ...(form.side === 'sellShort' && { locate }),
  };
}

/** The preview's problems (expired contract, lot, tick, dates) under their fields; none from a preview of another instrument. */
export function previewErrors(preview: OrderPreview | undefined, instrumentId: string): TicketErrors {
  if (preview === undefined || preview.details.instrument.id !== instrumentId) return {};
  const messages: Record<string, string> = {};
  for (const [field, problem] of Object.entries(preview.problems)) messages[field] = problem.message;
  return errorsFromFieldMessages(messages);
}
