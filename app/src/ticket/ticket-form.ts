import type { DeskError } from '../../../shared/contract/result';
import type { OrderTicket } from '../../../shared/contract/ticket';
import { orderTicketSchema } from '../../../shared/contract/ticket';
import type { OrderType, Side, TimeInForce } from '../../../shared/domain/order-types';
import type { Instrument } from '../../../shared/domain/instrument';
import { sentenceCase } from '../format/labels';
import { lotProblem, tickProblem } from '../instruments/instrument-terms';

/** What the ticket's inputs hold: always strings, as typed. */
export interface TicketForm {
  /** The picked instrument's stable id; '' until one is picked. */
  readonly instrumentId: string;
  readonly side: Side;
  readonly quantity: string;
  readonly orderType: OrderType;
  readonly limitPrice: string;
  readonly stopPrice: string;
  readonly timeInForce: TimeInForce;
  readonly expireDate: string;
  readonly account: string;
  readonly broker: string;
}

export type TicketField = keyof TicketForm;
/** Per-field messages; `form` holds a message that belongs to no single field. */
export type TicketErrors = Partial<Record<TicketField | 'form', string>>;

export const TICKET_FIELDS: readonly TicketField[] = [
  'instrumentId',
  'side',
  'quantity',
  'orderType',
  'limitPrice',
  'stopPrice',
  'timeInForce',
  'expireDate',
  'account',
  'broker',
];

export function emptyTicket(accounts: readonly string[] = [], brokers: readonly string[] = []): TicketForm {
  return {
    instrumentId: '',
    side: 'buy',
    quantity: '',
    orderType: 'limit',
    limitPrice: '',
    stopPrice: '',
    timeInForce: 'day',
    expireDate: '',
    account: accounts[0] ?? '',
    broker: brokers[0] ?? '',
  };
}

export const limitPriceApplies = (orderType: OrderType) => orderType === 'limit' || orderType === 'stopLimit';
export const stopPriceApplies = (orderType: OrderType) => orderType === 'stop' || orderType === 'stopLimit';
export const expireDateApplies = (timeInForce: TimeInForce) => timeInForce === 'gtd';

/**
 * The request the form stands for: fields that do not apply to the chosen order type or time in force
 * are left out (they are disabled on screen), and empty inputs are absent rather than "".
 */
export function ticketRequest(form: TicketForm, valueDate?: string): Record<string, string> {
  const request: Record<string, string> = {
    instrumentId: form.instrumentId,
    side: form.side,
    quantity: form.quantity.trim(),
    orderType: form.orderType,
    timeInForce: form.timeInForce,
    account: form.account,
    broker: form.broker,
  };
  const optional = (value: string, applies: boolean, key: TicketField) => {
    if (applies && value.trim() !== '') request[key] = value.trim();
  };
  optional(form.limitPrice, limitPriceApplies(form.orderType), 'limitPrice');
  optional(form.stopPrice, stopPriceApplies(form.orderType), 'stopPrice');
  optional(form.expireDate, expireDateApplies(form.timeInForce), 'expireDate');
  // FX: the value date the ticket shows, so the desk refuses rather than re-dates a ticket left open over a roll.
  if (valueDate !== undefined) request['valueDate'] = valueDate;
  return request;
}

function isTicketField(key: string): key is TicketField {
  return (TICKET_FIELDS as readonly string[]).includes(key);
}

/** Messages keyed by request field (from zod or from the desk's Result) → the form's errors. */
export function errorsFromFieldMessages(fields: Readonly<Record<string, string>>): TicketErrors {
  const errors: TicketErrors = {};
  for (const [key, message] of Object.entries(fields)) {
    const field = key.split('.')[0] ?? '';
    const target = isTicketField(field) ? field : 'form';
    errors[target] ??= sentenceCase(message);
  }
  return errors;
}

export type TicketValidation = { readonly ok: true; readonly ticket: OrderTicket } | { readonly ok: false; readonly errors: TicketErrors };

/**
 * Validates with the same schema the desk uses, so the ticket and the desk never disagree; with the
 * picked instrument, also its lot and tick sizes (the desk checks them again, with its master).
 */
export function validateTicket(form: TicketForm, instrument?: Instrument, valueDate?: string): TicketValidation {
  const parsed = orderTicketSchema.safeParse(ticketRequest(form, valueDate));
  const fields: Record<string, string> = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path.length > 0 ? issue.path.map(String).join('.') : 'form';
      fields[key] ??= issue.message;
    }
  }
  if (form.instrumentId === '') fields['instrumentId'] = 'pick an instrument (type part of its symbol, name or ISIN)';
  if (instrument !== undefined && instrument.id === form.instrumentId) {
    const lot = lotProblem(instrument, form.quantity);
    if (lot !== undefined) fields['quantity'] ??= lot;
    const limit = limitPriceApplies(form.orderType) ? tickProblem(instrument, form.limitPrice) : undefined;
    if (limit !== undefined) fields['limitPrice'] ??= limit;
    const stop = stopPriceApplies(form.orderType) ? tickProblem(instrument, form.stopPrice) : undefined;
    if (stop !== undefined) fields['stopPrice'] ??= stop;
  }
  if (parsed.success && Object.keys(fields).length === 0) return { ok: true, ticket: parsed.data };
  return { ok: false, errors: errorsFromFieldMessages(fields) };
}

/** A refusal from the desk: its per-field messages go under their fields, the rest above the button. */
export function errorsFromDeskError(error: DeskError): TicketErrors {
  const errors = error.fields ? errorsFromFieldMessages(error.fields) : {};
  if (Object.keys(errors).length === 0) errors.form = sentenceCase(error.message);
  return errors;
}
