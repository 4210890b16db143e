import type { AmendRequest } from '../../../shared/contract/ticket';
import { amendRequestSchema } from '../../../shared/contract/ticket';
import type { OrderView } from '../../../shared/contract/views';
import { sentenceCase } from '../format/labels';
import { hasLimitPrice, hasStopPrice } from '../store/order-rules';

export interface AmendForm {
  readonly quantity: string;
  readonly limitPrice: string;
  readonly stopPrice: string;
}

export type AmendField = keyof AmendForm;
export type AmendErrors = Partial<Record<AmendField | 'form', string>>;

export function amendFormFromOrder(order: OrderView): AmendForm {
  return { quantity: order.quantity, limitPrice: order.limitPrice ?? '', stopPrice: order.stopPrice ?? '' };
}

export type AmendValidation = { readonly ok: true; readonly request: AmendRequest } | { readonly ok: false; readonly errors: AmendErrors };

/** The amend sends only what changed; a price the order type has no use for is never sent. */
export function validateAmend(order: OrderView, form: AmendForm): AmendValidation {
  const request: Record<string, string> = { orderId: order.orderId };
  const quantity = form.quantity.trim();
  const limitPrice = form.limitPrice.trim();
  const stopPrice = form.stopPrice.trim();
  if (quantity !== order.quantity) request.quantity = quantity;
  if (hasLimitPrice(order) && limitPrice !== (order.limitPrice ?? '')) request.limitPrice = limitPrice;
  if (hasStopPrice(order) && stopPrice !== (order.stopPrice ?? '')) request.stopPrice = stopPrice;
  const parsed = amendRequestSchema.safeParse(request);
  if (parsed.success) return { ok: true, request: parsed.data };
  const errors: AmendErrors = {};
  for (const issue of parsed.error.issues) {
    const key = issue.path[0];
    const field: AmendField | 'form' = key === 'quantity' || key === 'limitPrice' || key === 'stopPrice' ? key : 'form';
    errors[field] ??= sentenceCase(issue.message);
  }
  return { ok: false, errors };
}

export function amendErrorsFromFields(fields: Readonly<Record<string, string>> | undefined, message: string): AmendErrors {
  const errors: AmendErrors = {};
  for (const [key, text] of Object.entries(fields ?? {})) {
    const field: AmendField | 'form' = key === 'quantity' || key === 'limitPrice' || key === 'stopPrice' ? key : 'form';
    errors[field] ??= sentenceCase(text);
  }
  if (Object.keys(errors).length === 0) errors.form = sentenceCase(message);
  return errors;
}
