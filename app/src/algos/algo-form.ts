import type { AlgoStrategy, ChildStyle, StartAlgoRequest } from '../../../shared/contract/algos';
import { startAlgoRequestSchema } from '../../../shared/contract/algos';
import type { Side } from '../../../shared/domain/order-types';
import type { OrderTicket } from '../../../shared/contract/ticket';
import { orderTicketSchema } from '../../../shared/contract/ticket';
import type { BrokerAlgoChoice } from '../../../shared/domain/broker-algo';

/** A desk strategy (the desk's scheduler slices the parent), or the broker's own algo (the parent goes to the broker whole). */
export type AlgoChoice = AlgoStrategy | 'broker';

/** What a person types into the algo ticket (text as typed; the desk's schema validates it). */
export interface AlgoForm {
  readonly strategy: AlgoChoice;
  readonly instrumentId: string;
  readonly side: Side;
  readonly quantity: string;
  readonly limitPrice: string;
  /** Minutes from now to the end time. */
  readonly minutes: string;
  readonly slices: string;
  readonly childStyle: ChildStyle;
  readonly targetRatePct: string;
  readonly displayQty: string;
  readonly account: string;
  readonly broker: string;
}

export type AlgoField = keyof AlgoForm;
export type AlgoErrors = Partial<Record<AlgoField | 'form', string>>;

export function emptyAlgoForm(reference: { readonly accounts: readonly string[]; readonly brokers: readonly string[] }): AlgoForm {
  return {
    strategy: 'twap',
    instrumentId: 'AAPL.XNAS',
    side: 'buy',
    quantity: '',
    limitPrice: '',
    minutes: '10',
    slices: '10',
    childStyle: 'atTouch',
    targetRatePct: '10',
    displayQty: '',
    account: reference.accounts[0] ?? '',
    broker: reference.brokers[0] ?? '',
  };
}

/** Which fields a strategy takes (the others are hidden and not sent). */
export function fieldsOf(strategy: AlgoChoice): ReadonlySet<AlgoField> {
  // The broker's algo takes its own parameters (its FIXatdl panel): the order's terms only here.
  if (strategy === 'broker') return new Set<AlgoField>(['strategy', 'instrumentId', 'side', 'quantity', 'limitPrice', 'account', 'broker']);
  const common: AlgoField[] = ['strategy', 'instrumentId', 'side', 'quantity', 'limitPrice', 'minutes', 'childStyle', 'account', 'broker'];
  if (strategy === 'twap' || strategy === 'vwap') common.push('slices');
  if (strategy === 'pov') common.push('targetRatePct');
  if (strategy === 'iceberg') common.push('displayQty');
  return new Set(common);
}

/**
 * The request the form makes, validated by the desk's own schema (shared/contract/algos.ts), or
 * the errors per field. `nowMs` is the desk's clock (deskNow), never assumed to be the machine's.
 */
export function algoRequest(form: AlgoForm, nowMs: number): { ok: true; request: StartAlgoRequest } | { ok: false; errors: AlgoErrors } {
  const errors: AlgoErrors = {};
  if (form.strategy === 'broker') return { ok: false, errors: { strategy: "the broker's algo is sent as an order (brokerAlgoOrder)" } };
  const strategy = form.strategy;
  const fields = fieldsOf(form.strategy);
  const minutes = Number(form.minutes);
  if (!Number.isFinite(minutes) || minutes <= 0 || minutes > 24 * 60) errors.minutes = 'minutes must be a number above 0 (at most a day)';
  const slices = Number(form.slices);
  if (fields.has('slices') && (!Number.isInteger(slices) || slices < 1)) errors.slices = 'slices must be a whole number, at least 1';
  const rate = Number(form.targetRatePct);
  if (fields.has('targetRatePct') && !Number.isFinite(rate)) errors.targetRatePct = 'target rate must be a number';
  const raw = {
    strategy,
    instrumentId: form.instrumentId,
    side: form.side,
    quantity: form.quantity,
    account: form.account,
    broker: form.broker,
    ...(form.limitPrice.trim() !== '' && { limitPrice: form.limitPrice }),
    endTime: new Date(nowMs + Math.round((Number.isFinite(minutes) ? minutes : 0) * 60_000)).toISOString(),
    childStyle: form.childStyle,
    ...(fields.has('slices') && { slices }),
    ...(fields.has('targetRatePct') && { targetRatePct: rate }),
    ...(fields.has('displayQty') && form.displayQty.trim() !== '' && { displayQty: form.displayQty }),
  };
  const parsed = startAlgoRequestSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? 'form');
      const field: AlgoField | 'form' = key === 'endTime' ? 'minutes' : key in form ? (key as AlgoField) : 'form';
      errors[field] ??= issue.message;
    }
  }
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, request: parsed.data };
}

/**
 * The parent routed whole to the broker's own algo: one order carrying the strategy and its
 * parameters (checked against the broker's FIXatdl file by the panel and again by the desk), a
 * limit order when a limit is given, else a market order. Validated by the desk's ticket schema.
 */
export function brokerAlgoOrder(form: AlgoForm, choice: BrokerAlgoChoice | undefined): { ok: true; ticket: OrderTicket } | { ok: false; errors: AlgoErrors } {
  if (choice === undefined) return { ok: false, errors: { strategy: "choose the broker's algo" } };
  const limit = form.limitPrice.trim();
  const parsed = orderTicketSchema.safeParse({
    instrumentId: form.instrumentId,
    side: form.side,
    quantity: form.quantity,
    orderType: limit === '' ? 'market' : 'limit',
    ...(limit !== '' && { limitPrice: limit }),
    timeInForce: 'day',
    account: form.account,
    broker: form.broker,
    brokerAlgo: choice,
  });
  if (parsed.success) return { ok: true, ticket: parsed.data };
  const errors: AlgoErrors = {};
  for (const issue of parsed.error.issues) {
    const key = String(issue.path[0] ?? 'form');
    const field: AlgoField | 'form' = key === 'brokerAlgo' ? 'strategy' : key in form ? (key as AlgoField) : 'form';
    errors[field] ??= issue.message;
  }
  return { ok: false, errors };
}
