import type { KillScope, RiskFinding, TradingMode } from '../../../shared/contract/risk';
import type { OrderTicket, SettleOutcome } from '../../../shared/contract/ticket';
import type { AlertLevel } from '../../../shared/contract/views';
import type { DecimalString } from '../../../shared/domain/decimal-string';
import type { Instrument } from '../../../shared/domain/instrument';
import type { AlgoEvent } from './algo-events';
import type { CancelRejectMessage, ExecutionReportMessage, RequestRejectMessage } from '../broker/broker-port';

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
  | FixMessageSent
  | SessionInterrupted
  | OrderAdopted
  | SessionAdministered
  | DropCopyReceived
  | DropCopyMismatch
  | BrokerRejectReceived
  | RequestTimedOut
  | OrderSettled
  | AlertRaised
  | AlertsAcknowledged
  | DayStarted
  | StatusRequestSent
  | BrokerReportRefused
  | AlgoEvent
  | StartOfDayImported
  | AmendRefused
  | TradingStateSet
  | CancelDeferred
  | RiskLimitsLoaded;

/** One account's holding of one instrument at the start of the day. */
export interface StartOfDayPosition {
  readonly account: string;
  readonly instrument: Instrument;
  /** Signed: negative is short. Contracts, face (bonds), units of the base currency (FX). */
  readonly quantity: DecimalString;
  /** The cost per unit it is carried at, in the instrument's price terms (% of par for a bond). */
  readonly price: DecimalString;
}

/**
 * The start-of-day positions, imported from a file (positions/start-of-day-file.ts), validated whole:
 * they replace every earlier start of day; today's fills count on top of them.
 */
export interface StartOfDayImported {
  readonly type: 'startOfDayImported';
  readonly at: string;
  readonly by: string;
  /** The file's name, for the audit trail. */
  readonly source: string;
  readonly positions: readonly StartOfDayPosition[];
}

/**
 * A new trading day began (the desk's calendar: time/trading-day.ts): orders finished before it
 * leave the live read models (they stay here, in the journal), working orders carry over, and the
 * executions blotter starts afresh. Recorded at the roll, or at the first start on a new day.
 */
export interface DayStarted {
  readonly type: 'dayStarted';
  readonly at: string;
  /** The trading day (YYYY-MM-DD) that begins. */
  readonly day: string;
}

/** A ticket passed validation; its NewOrderSingle goes out after this is committed. */
export interface OrderSubmitted extends InstrumentTerms {
  readonly type: 'orderSubmitted';
  readonly at: string;
  readonly orderId: string;
  readonly clOrdId: string;
  readonly ticket: OrderTicket;
  /** A child of this algo parent (algos/): sent by its scheduler through the same path as any order. */
  readonly parentId?: string;
  /** What the pre-trade checks made of it: its notional in the base currency, and warnings a person overrode. */
  readonly risk?: RiskStamp;
}

/** The pre-trade checks' record on an order or amend that went out. */
export interface RiskStamp {
  /** The notional in the risk limits' base currency (what the day's gross notional counts). */
  readonly notional?: DecimalString;
  /** Warnings a permitted person overrode: who (`at` is the event's), why, and what they overrode. */
  readonly overridden?: { readonly by: string; readonly reason: string; readonly warnings: readonly RiskFinding[] };
}

/**
 * The instrument an order was entered for, as the master described it then (a later reference file
 * does not change what was sent), and the dates its FIX messages carry for its whole life.
 */
export interface InstrumentTerms {
  readonly instrument: Instrument;
  /** The desk's trading date when the order was entered (YYYY-MM-DD). */
  readonly tradeDate: string;
  /** FX: the value date; bond: the settlement date. */
  readonly settlDate?: string;
}

/** The desk refused the order before sending anything (e.g. broker not logged on). Refusals are data. */
export interface OrderDenied extends InstrumentTerms {
  readonly type: 'orderDenied';
  readonly at: string;
  readonly orderId: string;
  readonly clOrdId: string;
  readonly ticket: OrderTicket;
  readonly code: string;
  readonly reason: string;
  /** A child of this algo parent. */
  readonly parentId?: string;
  /** A pre-trade risk refusal: every finding with its code and figures (`reason` joins their messages). */
  readonly findings?: readonly RiskFinding[];
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
  readonly risk?: RiskStamp;
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
  /** The broker sent this ExecID for that other order first today (it reuses ExecIDs): applied here all the same, with a warning. */
  readonly reusedFrom?: string;
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
 * A FIX application message of ours as it goes out on the wire, for the audit trail (the request
 * event before it is what made the desk act), in the same commit as the session's copy of it, before
 * the socket write. It changes no state.
 */
export interface FixMessageSent {
  readonly type: 'fixMessageSent';
  readonly at: string;
  readonly orderId: string;
  readonly broker: string;
  readonly msgType: string;
  readonly raw: string;
}

/**
 * A broker's requests may have gone unanswered: its session dropped, or the desk restarted (after a
 * crash, say) while some were in flight. Every order of that broker with a request the broker has
 * not answered (a new order still pending, a cancel or amend) becomes uncertain until a status
 * report settles it. Recorded only when some order is affected.
 */
export interface SessionInterrupted {
  readonly type: 'sessionInterrupted';
  readonly at: string;
  readonly broker: string;
  /** notReplayed: the broker asked for our messages again and the session gap-filled them (too old to replay). */
  readonly reason: 'sessionDropped' | 'deskRestarted' | 'notReplayed';
  /** Only the orders with these ClOrdIDs (notReplayed); all of the broker's otherwise. */
  readonly clOrdIds?: readonly string[];
}

/**
 * An order the broker knows and the desk did not (a mass status report named a ClOrdID of no order
 * of ours, under any ClOrdID of any chain): the desk takes it on, flagged as adopted.
 */
export interface OrderAdopted extends InstrumentTerms {
  readonly type: 'orderAdopted';
  readonly at: string;
  readonly orderId: string;
  readonly broker: string;
  readonly report: ExecutionReportMessage;
}

/** A person administered a broker session (audit only: no order changes). */
export interface SessionAdministered {
  readonly type: 'sessionAdministered';
  readonly at: string;
  readonly broker: string;
  readonly session: 'trading' | 'dropCopy';
  readonly action: 'connect' | 'logout' | 'setNextSequenceNumbers';
  readonly values?: { readonly incoming?: number; readonly outgoing?: number };
  /** What the session answered: carried out, or refused and why. */
  readonly outcome: 'done' | 'refused';
  readonly reason?: string;
}

/** An execution report from a broker's drop-copy session: cross-checked and kept, never applied to an order. */
export interface DropCopyReceived {
  readonly type: 'dropCopyReceived';
  readonly at: string;
  readonly broker: string;
  readonly report: ExecutionReportMessage;
}

/** The drop copy and the trading session disagree about an execution. Raised as an alert. */
export interface DropCopyMismatch {
  readonly type: 'dropCopyMismatch';
  readonly at: string;
  readonly broker: string;
  readonly execId: string;
  /** missingOnTrading: only the drop copy has it; missingOnDropCopy: only the trading session; different: fields disagree. */
  readonly kind: 'missingOnTrading' | 'missingOnDropCopy' | 'different';
  readonly detail: string;
  readonly orderId?: string;
}

/** The requests about an order a broker's 35=3 / 35=j can refuse. */
export type OrderRequestReject = RequestRejectMessage & { readonly rejected: 'newOrder' | 'cancel' | 'replace' | 'statusRequest' };

/**
 * A broker refused a message of ours about this order: a session-level Reject (35=3) or a
 * BusinessMessageReject (35=j), tied to the order through the message it names. A refused
 * NewOrderSingle rejects the order; a refused cancel or amend is a cancel/replace reject; a refused
 * status request is a failed status check.
 */
export interface BrokerRejectReceived {
  readonly type: 'brokerRejectReceived';
  readonly at: string;
  readonly orderId: string;
  readonly broker: string;
  readonly reject: OrderRequestReject;
}

/** A request of ours (the new order, a cancel, an amend, a status request) had no answer within the broker's timeout. */
export interface RequestTimedOut {
  readonly type: 'requestTimedOut';
  readonly at: string;
  readonly orderId: string;
  readonly broker: string;
  readonly request: 'new' | 'cancel' | 'replace' | 'status';
  /** The ClOrdID of the request (of the order, for a status request). */
  readonly clOrdId: string;
  readonly seconds: number;
}

/** A person settled an order in doubt, after checking with the broker (audited: who, when, why). */
export interface OrderSettled {
  readonly type: 'orderSettled';
  readonly at: string;
  readonly orderId: string;
  readonly by: string;
  readonly outcome: SettleOutcome;
  readonly reason: string;
}

/**
 * An alert, whatever raised it (the order book, a session, a broker's reject, a malformed message):
 * the alert list is a fold over these (desk/alert-log.ts). Journaled in the transaction of what caused it.
 */
export interface AlertRaised {
  readonly type: 'alertRaised';
  readonly at: string;
  readonly level: AlertLevel;
  readonly code: string;
  readonly message: string;
  readonly broker?: string;
  readonly orderId?: string;
}

/** A person acknowledged alerts of the list. */
export interface AlertsAcknowledged {
  readonly type: 'alertsAcknowledged';
  readonly at: string;
  readonly by: string;
  readonly alertIds: readonly string[];
}

/**
 * A status question of ours that a broker's reports may answer: an OrderMassStatusRequest's
 * MassStatusReqID (584), or an OrderStatusRequest's OrdStatusReqID (790). Journaled in the commit
 * of the send, so a restarted desk knows what it asked (desk/sent-status-requests.ts); a report
 * naming an id not here is refused, never adopted.
 */
export interface StatusRequestSent {
  readonly type: 'statusRequestSent';
  readonly at: string;
  readonly broker: string;
  readonly kind: 'massStatus' | 'orderStatus';
  readonly reqId: string;
}

/** Why a broker's report was refused (DontKnowTrade + an error alert, nothing of it applied). */
export type ReportRefusalCode =
  | 'unsolicitedStatus'
  | 'instrumentMismatch'
  | 'sideMismatch'
  | 'quantityNotPositive'
  | 'quantityExceedsOrder'
  | 'priceSign'
  | 'absurdValue';

/**
 * A broker's execution report the desk refused: an answer to a question it never asked, or one that
 * does not fit its order (instrument, side, quantities, prices). Kept for the audit trail (in the
 * order's history when it names one), answered with a DontKnowTrade, raised as an error alert.
 */
export interface BrokerReportRefused {
  readonly type: 'brokerReportRefused';
  readonly at: string;
  readonly broker: string;
  /** The order it named, when it named one of ours. */
  readonly orderId?: string;
  readonly code: ReportRefusalCode;
  readonly reason: string;
  readonly report: ExecutionReportMessage;
}

/** The pre-trade checks refused an amend (the order stays as it was): in the order's history. */
export interface AmendRefused {
  readonly type: 'amendRefused';
  readonly at: string;
  readonly orderId: string;
  readonly by: string;
  readonly code: 'RISK_BLOCKED' | 'RISK_WARNING';
  readonly reason: string;
  readonly findings: readonly RiskFinding[];
}

/**
 * The kill switch, or resuming: the trading mode from now on, who set it and why, and the scope of
 * working orders it canceled (each cancel is its own `cancelRequested`, or `cancelDeferred`).
 */
export interface TradingStateSet {
  readonly type: 'tradingStateSet';
  readonly at: string;
  readonly by: string;
  readonly mode: TradingMode;
  readonly reason: string;
  readonly cancel?: { readonly scope: KillScope; readonly value?: string };
}

/** The kill switch could not cancel this order now (its broker is down): the cancel goes when the broker logs on. */
export interface CancelDeferred {
  readonly type: 'cancelDeferred';
  readonly at: string;
  readonly orderId: string;
  readonly broker: string;
  readonly by: string;
}

/** The risk limits in force from now on (at a start whose file changed, or a reload), with their hash. */
export interface RiskLimitsLoaded {
  readonly type: 'riskLimitsLoaded';
  readonly at: string;
  readonly by: string;
  readonly source: 'start' | 'reload';
  /** sha-256 of the limits' canonical JSON. */
  readonly hash: string;
  /** The validated limits (config/risk-limits-config.ts: RiskLimits). */
  readonly limits: Readonly<Record<string, unknown>>;
}

/** Events that change no order: audit and session facts. */
export type AuditEvent =
  | StartOfDayImported
  | FixMessageSent
  | SessionAdministered
  | DropCopyReceived
  | DropCopyMismatch
  | StatusRequestSent
  | BrokerReportRefused
  | AmendRefused
  | TradingStateSet
  | CancelDeferred
  | RiskLimitsLoaded;

/** The alert list's events. */
export type AlertEvent = AlertRaised | AlertsAcknowledged;

export type OrderEvent = Exclude<DeskEvent, UnmatchedBrokerMessage | SessionInterrupted | AuditEvent | AlertEvent | DayStarted | AlgoEvent>;

export function orderIdOf(event: DeskEvent): string | undefined {
  switch (event.type) {
    case 'unmatchedBrokerMessage':
    case 'sessionInterrupted':
    case 'sessionAdministered':
    case 'dropCopyReceived':
    case 'alertRaised':
    case 'alertsAcknowledged':
    case 'dayStarted':
      return undefined;
    case 'statusRequestSent':
    case 'algoParentStarted':
    case 'algoParentPaused':
    case 'algoParentResumed':
    case 'algoParentAmended':
    case 'algoParentCancelled':
    case 'algoParentFlagged':
    case 'algoParentEnded':
    case 'startOfDayImported':
    case 'tradingStateSet':
    case 'riskLimitsLoaded':
      return undefined;
    case 'dropCopyMismatch':
    case 'brokerReportRefused':
      return event.orderId;
    default:
      return event.orderId;
  }
}

export function isOrderEvent(event: DeskEvent): event is OrderEvent {
  switch (event.type) {
    case 'unmatchedBrokerMessage':
    case 'sessionInterrupted':
    case 'fixMessageSent':
    case 'sessionAdministered':
    case 'dropCopyReceived':
    case 'dropCopyMismatch':
    case 'alertRaised':
    case 'alertsAcknowledged':
    case 'dayStarted':
    case 'statusRequestSent':
    case 'brokerReportRefused':
    case 'algoParentStarted':
    case 'algoParentPaused':
    case 'algoParentResumed':
    case 'algoParentAmended':
    case 'algoParentCancelled':
    case 'algoParentFlagged':
    case 'algoParentEnded':
    case 'startOfDayImported':
    case 'amendRefused':
    case 'tradingStateSet':
    case 'cancelDeferred':
    case 'riskLimitsLoaded':
      return false;
    default:
      return true;
  }
}
