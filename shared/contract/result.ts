import type { RiskFinding } from './risk';

/** Errors cross every boundary as data: `{ ok, value } | { ok, error }`. */
export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: DeskError };

export const ERROR_CODES = [
  'INVALID_REQUEST', // the message or its values failed validation; nothing changed
  'UNKNOWN_ORDER', // no order with that id
  'UNKNOWN_BROKER', // no broker session with that name
  'ORDER_NOT_AMENDABLE', // done, or a cancel/amend is already pending
  'ORDER_NOT_CANCELABLE',
  'ORDER_NOT_SETTLEABLE', // nothing about the order is in doubt
  'NOT_SUPPORTED_BY_BROKER', // the broker's capability profile says it does not take this request (e.g. no cancel/replace)
  'BROKER_UNAVAILABLE', // the broker session is not logged on
  'SESSION_LOGGED_ON', // the action needs the session logged out first (setting sequence numbers)
  'CONFLICT', // saved meanwhile by another window: reload and try again; nothing changed
  'STORAGE_FULL', // the journal could not be written (its disk is full): nothing changed, nothing was sent
  'INTERNAL', // a bug or a failing disk: see the log
  'UNKNOWN_INSTRUMENT', // no instrument with that id in the desk's master
  'UNKNOWN_PARENT', // no algo parent with that id
  'PARENT_NOT_WORKABLE', // the algo parent's status does not allow that (paused, cancelling, done)
  'NO_MARKET_DATA', // the algorithm needs a live quote (POV: the market's volume) and there is none
  'RISK_REFUSED', // the pre-trade checks refused it (a block, or warnings not overridden): `risk` lists every finding; journaled as a denial
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface DeskError {
  readonly code: ErrorCode;
  readonly message: string;
  /** Per-field messages for form validation, keyed by the field's name in the request. */
  readonly fields?: Readonly<Record<string, string>>;
  /** Per-field codes where the desk has them (a ticket that does not fit its instrument: `TicketProblemCode`). */
  readonly fieldCodes?: Readonly<Record<string, string>>;
  /** A pre-trade risk refusal's findings (code, tier, figures, message). */
  readonly risk?: readonly RiskFinding[];
}

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: ErrorCode, message: string, fields?: Record<string, string>): Result<never> => ({
  ok: false,
  error: fields ? { code, message, fields } : { code, message },
});

/** A refusal with per-field messages and codes (e.g. a ticket that does not fit its instrument). */
export const failWithCodes = (code: ErrorCode, message: string, problems: Readonly<Record<string, { readonly code: string; readonly message: string }>>): Result<never> => {
  const fields: Record<string, string> = {};
  const fieldCodes: Record<string, string> = {};
  for (const [field, p] of Object.entries(problems)) {
    fields[field] = p.message;
    fieldCodes[field] = p.code;
  }
  return { ok: false, error: { code, message, fields, fieldCodes } };
};
