import type { OrderTicket } from '../../../shared/contract/ticket';
import type { DecimalString } from '../../../shared/domain/decimal-string';
import type { CancelRejectMessage, ExecutionReportMessage } from '../broker/broker-port';

/**
 * Everything that changes the desk is one of these, appended to the journal before it takes
 * effect. State is a fold over them. Events are immutable facts: never edit a journaled one.
 * `at` is the desk's clock when it was recorded (ISO-8601); broker times live inside the messages.
 */
export type DeskEvent =
  | OrderSubmitted
  | OrderDenied
  | SendFailed
  | ReplaceRequested
  | CancelRequested
  | ExecutionReceived
  | CancelRejectReceived
  | UnmatchedBrokerMessage
  | FixMessageSent;

/** A ticket passed validation; its NewOrderSingle goes out after this is committed. */
export interface OrderSubmitted {
  readonly type: 'orderSubmitted';
  readonly at: string;
  readonly orderId: string;
  readonly clOrdId: string;
  readonly ticket: OrderTicket;
}

/** The desk refused the order before sending anything (e.g. broker not logged on). Refusals are data. */
export interface OrderDenied {
  readonly type: 'orderDenied';
  readonly at: string;
  readonly orderId: string;
  readonly clOrdId: string;
  readonly ticket: OrderTicket;
  readonly code: string;
  readonly reason: string;
}

/** A journaled request could not be handed to the session (it dropped in between): nothing was sent. */
export interface SendFailed {
  readonly type: 'sendFailed';
  readonly at: string;
  readonly orderId: string;
  readonly clOrdId: string;
  readonly request: 'new' | 'replace' | 'cancel';
  readonly reason: string;
}

export interface ReplaceRequested {
  readonly type: 'replaceRequested';
  readonly at: string;
  readonly orderId: string;
  readonly clOrdId: string;
  readonly origClOrdId: string;
  readonly quantity: DecimalString;
  readonly limitPrice?: DecimalString;
  readonly stopPrice?: DecimalString;
}

export interface CancelRequested {
  readonly type: 'cancelRequested';
  readonly at: string;
  readonly orderId: string;
  readonly clOrdId: string;
  readonly origClOrdId: string;
}

export interface ExecutionReceived {
  readonly type: 'executionReceived';
  readonly at: string;
  readonly orderId: string;
  readonly broker: string;
  readonly report: ExecutionReportMessage;
}

export interface CancelRejectReceived {
  readonly type: 'cancelRejectReceived';
  readonly at: string;
  readonly orderId: string;
  readonly broker: string;
  readonly reject: CancelRejectMessage;
}

/** A broker message for an order we do not know. Kept for the audit trail and raised as an alert. */
export interface UnmatchedBrokerMessage {
  readonly type: 'unmatchedBrokerMessage';
  readonly at: string;
  readonly broker: string;
  readonly message: ExecutionReportMessage | CancelRejectMessage;
}

/**
 * A FIX application message of ours as it went out on the wire, journaled after the send for the
 * audit trail (the request event before it is what made the desk act). It changes no state.
 */
export interface FixMessageSent {
  readonly type: 'fixMessageSent';
  readonly at: string;
  readonly orderId: string;
  readonly broker: string;
  readonly msgType: string;
  readonly raw: string;
}

export type OrderEvent = Exclude<DeskEvent, UnmatchedBrokerMessage | FixMessageSent>;

export function orderIdOf(event: DeskEvent): string | undefined {
  return event.type === 'unmatchedBrokerMessage' ? undefined : event.orderId;
}
