import type { SessionStatsView } from '../../../shared/contract/views';
import type { DecimalString } from '../../../shared/domain/decimal-string';
import type { Instrument } from '../../../shared/domain/instrument';
import type { AlgoParameterType } from '../../../shared/domain/broker-algo';
import type { ExecType, OrderStatus, OrderType, SessionState, Side, TimeInForce } from '../../../shared/domain/order-types';

/**
 * The port between the desk and a broker. The FIX adapter (electron/core/fix) implements it; unit
 * tests use a fake. Messages are in the desk's words with exact decimal strings: no FIX tags here.
 */
export interface BrokerConnection {
  readonly broker: string;
  readonly state: SessionState;
  /** Connects and keeps reconnecting (with backoff) until stop(). */
  start(): void;
  /** Sends Logout, waits briefly for the answer, closes. */
  stop(): Promise<void>;
  /**
   * Hands the message to the session: it is numbered and stored, and written to the socket once the
   * open batch commits. Returns what was stored (the desk journals it beside the request it acts
   * on), or undefined when the session is not logged on (nothing was sent). Stored means on its way,
   * not that the broker received it. Throws when the message itself is invalid (a bug upstream,
   * never a broker being down); nothing is sent then either. The desk calls it inside the batch of
   * the command: nothing may leave the process before that batch commits.
   */
  send(message: OutboundMessage): SentMessage | undefined;
  /**
   * Holds the socket writes of everything sent from now (stored and committed as usual) until the
   * returned release: a sender that prepares ahead of a due time writes at that time. Absent: no hold.
   */
  holdWrites?(): () => void;
  /** Live figures for the session monitor. */
  stats(): SessionStats;
  /** Logs on now (after a user logout, or outside the schedule); a no-op while connected or connecting. */
  connect(): void;
  /** Logs out and stays out (no reconnect) until connect(). */
  logout(reason: string): Promise<void>;
  /** While not logged on only: the sequence numbers the next logon uses. */
  setNextSequenceNumbers(next: { readonly incoming?: number; readonly outgoing?: number }): { ok: true } | { ok: false; reason: string };
  /** The session's message log, both directions, session and application messages, newest first. */
  messageLog(query: FixLogQuery): FixLogEntry[];
}

/** An application message as the session stored it, about to be written: for the audit trail. */
export interface SentMessage {
  readonly msgType: string;
  readonly seqNum: number;
  /** SOH shown as '|', passwords masked. */
  readonly raw: string;
}

/** The session's live figures: the same shape the session monitor shows (shared/contract). */
export type SessionStats = SessionStatsView;

/** Something about the session a person should know (shown as an alert by the desk). */
export interface SessionAlert {
  readonly level: 'info' | 'warning' | 'error';
  readonly text: string;
  /**
   * Orders concerned: ClOrdIDs of order messages the broker asked us to resend that were
   * gap-filled instead (older than replayMaxAgeSeconds): unknown to the broker until reconciled.
   */
  readonly clOrdIds?: readonly string[];
}

export interface FixLogQuery {
  /** Case-insensitive text anywhere in the raw message. */
  readonly search?: string;
  readonly msgType?: string;
  readonly direction?: 'in' | 'out';
  /** Entries older than this id (paging). */
  readonly beforeId?: number;
  readonly limit: number;
}

export interface FixLogEntry {
  readonly id: number;
  readonly direction: 'in' | 'out';
  readonly seqNum: number;
  readonly msgType: string;
  readonly possDup: boolean;
  /** When we sent or received it (ISO-8601). */
  readonly at: string;
  /** SOH shown as '|', passwords masked. */
  readonly raw: string;
}

export interface BrokerListener {
  onState(broker: string, state: SessionState, error?: string): void;
  onMessage(broker: string, message: InboundMessage): void;
  /** An inbound application message that could not be mapped (missing or malformed fields). Nothing was applied. */
  onMalformed(broker: string, reason: string, raw: string): void;
  /** Sequence gaps, resends, garbled input, halts: for the session monitor and the alert list. */
  onSessionAlert?(broker: string, alert: SessionAlert): void;
}

/**
 * The instrument an order message names, as the order was entered: the FIX layer writes its
 * Instrument component (fix/instrument-fields.ts) and the dates it implies from the order's trade
 * date, the same on the new order, its amends, cancels and status requests.
 */
export interface OrderInstrument {
  readonly instrument: Instrument;
  /** The desk's trading date when the order was entered (YYYY-MM-DD). */
  readonly tradeDate: string;
}

export interface NewOrderMessage extends OrderInstrument {
  readonly type: 'newOrder';
  readonly clOrdId: string;
  readonly account: string;
  readonly side: Side;
  readonly orderType: OrderType;
  readonly quantity: DecimalString;
  readonly limitPrice?: DecimalString;
  readonly stopPrice?: DecimalString;
  readonly timeInForce: TimeInForce;
  readonly expireDate?: string; // YYYY-MM-DD
  readonly transactTime: Date;
  /** Routed to the broker's own algorithm: what its FIXatdl file says goes on the order. */
  readonly brokerAlgo?: BrokerAlgoOrder;
}

/**
 * A broker algo on an order, resolved from the broker's FIXatdl file (electron/core/fixatdl/): the
 * strategy's identifying tag and wire value, and each chosen parameter with its type, the broker's
 * own tag if the file gives one, and the value as wire text. The FIX layer decides how they travel
 * (StrategyParametersGrp where the version and the broker take it, else the broker's tags).
 */
export interface BrokerAlgoOrder {
  readonly strategyTag: number;
  readonly strategy: string;
  readonly versionTag?: number;
  readonly version?: string;
  /** The broker takes StrategyParametersGrp (957-960): FIXatdl's tag957Support. */
  readonly parametersGroup: boolean;
  readonly parameters: ReadonlyArray<{ readonly name: string; readonly type: AlgoParameterType; readonly fixTag?: number; readonly value: string }>;
}

export interface ReplaceMessage extends Omit<NewOrderMessage, 'type'> {
  readonly type: 'replace';
  readonly origClOrdId: string;
  readonly brokerOrderId?: string;
}

export interface CancelMessage extends OrderInstrument {
  readonly type: 'cancel';
  readonly clOrdId: string;
  readonly origClOrdId: string;
  readonly brokerOrderId?: string;
  readonly side: Side;
  readonly quantity: DecimalString;
  readonly transactTime: Date;
}

export interface StatusRequestMessage extends OrderInstrument {
  readonly type: 'statusRequest';
  readonly clOrdId: string;
  /** OrdStatusReqID (790, FIX 4.4 on): echoed on the answer, so only answers to our own question are taken. */
  readonly ordStatusReqId?: string;
  readonly brokerOrderId?: string;
  readonly side: Side;
}

/**
 * DontKnowTrade (35=Q): our answer to an execution report for an order we do not know. FIX 4.4
 * requires OrderID, ExecID, DKReason, the instrument, Side and the quantity.
 */
export type DkReason = 'unknownSymbol' | 'wrongSide' | 'quantityExceedsOrder' | 'noMatchingOrder' | 'priceExceedsLimit' | 'calculationDifference' | 'other';

export interface DontKnowTradeMessage {
  readonly type: 'dontKnowTrade';
  /** The broker's OrderID as it sent it ('NONE' when it sent none). */
  readonly brokerOrderId: string;
  readonly execId: string;
  /** DKReason (127): unknown symbol A, wrong side B, quantity exceeds order C, no matching order D, price exceeds limit E, calculation difference F, other Z. */
  readonly reason: DkReason;
  readonly symbol: string;
  readonly side: Side;
  readonly quantity: DecimalString;
  readonly lastQty?: DecimalString;
  readonly lastPx?: DecimalString;
  readonly text?: string;
}

/**
 * OrderMassStatusRequest (35=AF), all orders of the session (MassStatusReqType 7): the broker
 * answers one ExecutionReport (ExecType I) per open order, each with MassStatusReqID, TotNumReports
 * and LastRptRequested on the last one.
 */
export interface MassStatusRequestMessage {
  readonly type: 'massStatusRequest';
  readonly massStatusReqId: string;
}

export type OutboundMessage = NewOrderMessage | ReplaceMessage | CancelMessage | StatusRequestMessage | DontKnowTradeMessage | MassStatusRequestMessage;

/** What a log line calls an outbound message. */
export function describeOutbound(message: OutboundMessage): string {
  if (message.type === 'dontKnowTrade') return `dontKnowTrade for ExecID ${message.execId}`;
  if (message.type === 'massStatusRequest') return `massStatusRequest ${message.massStatusReqId}`;
  return `${message.type} ${message.clOrdId}`;
}

/** The fields of an Instrument component a broker sent (each as received), and a forward's settlement date. */
export interface ReportedInstrument {
  readonly symbol?: string;
  readonly securityId?: string;
  readonly securityIdSource?: string;
  readonly securityType?: string;
  readonly maturityMonthYear?: string;
  readonly maturityDay?: string;
  readonly maturityDate?: string;
  readonly putOrCall?: string;
  readonly strikePrice?: string;
  readonly securityExchange?: string;
  readonly settlDate?: string;
}

export interface ExecutionReportMessage {
  readonly type: 'executionReport';
  readonly execId: string;
  readonly execType: ExecType;
  readonly ordStatus: OrderStatus;
  readonly clOrdId: string;
  readonly origClOrdId?: string;
  readonly brokerOrderId?: string;
  readonly symbol?: string;
  /** The report's Instrument component as received: what the desk checks against the order's instrument. */
  readonly instrument?: ReportedInstrument;
  readonly side?: Side;
  readonly orderQty?: DecimalString;
  readonly limitPrice?: DecimalString;
  readonly stopPrice?: DecimalString;
  readonly lastQty?: DecimalString;
  readonly lastPx?: DecimalString;
  readonly cumQty: DecimalString;
  readonly leavesQty: DecimalString;
  readonly avgPx: DecimalString;
  /** ExecRefID (19): the execution a bust (tradeCancel) or correction (tradeCorrect) refers to. */
  readonly execRefId?: string;
  /** ExecRestatementReason (378) in words, on restatements and unsolicited cancels. */
  readonly restatementReason?: string;
  readonly text?: string;
  readonly transactTime?: string; // ISO-8601, as precise as the broker sent it
  /** MassStatusReqID (584): this report answers our OrderMassStatusRequest. */
  readonly massStatusReqId?: string;
  /** OrdStatusReqID (790): this report answers our OrderStatusRequest with that id. */
  readonly ordStatusReqId?: string;
  /** TotNumReports (911): how many reports answer the request. */
  readonly totNumReports?: number;
  /** LastRptRequested (912): the last report answering the request. */
  readonly lastRptRequested?: boolean;
  readonly possDup: boolean;
  readonly seqNum: number;
  /** The message as received, SOH shown as '|', password fields masked. */
  readonly raw: string;
}

export interface CancelRejectMessage {
  readonly type: 'cancelReject';
  readonly clOrdId: string;
  readonly origClOrdId?: string;
  readonly brokerOrderId?: string;
  readonly ordStatus?: OrderStatus;
  readonly responseTo: 'cancel' | 'replace';
  readonly text?: string;
  readonly possDup: boolean;
  readonly seqNum: number;
  readonly raw: string;
}

/** What kind of message of ours a broker's reject refers to. */
export type RejectedRequest = 'newOrder' | 'cancel' | 'replace' | 'statusRequest' | 'massStatusRequest' | 'dontKnowTrade' | 'other';

/**
 * A session-level Reject (35=3) or a BusinessMessageReject (35=j) of a message we sent, correlated
 * by the FIX layer to that message: by RefSeqNum (45) through the session store, which holds every
 * message we sent with its MsgSeqNum, else by BusinessRejectRefID (379), the rejected message's
 * ClOrdID (MassStatusReqID for 35=AF).
 */
export interface RequestRejectMessage {
  readonly type: 'requestReject';
  /** 'session': a Reject (35=3), the message broke a session rule; 'business': a BusinessMessageReject (35=j). */
  readonly level: 'session' | 'business';
  readonly rejected: RejectedRequest;
  /** The rejected message's type in words ("NewOrderSingle (35=D)"), as the broker or our store named it. */
  readonly rejectedMessage: string;
  /** The MsgSeqNum of the message rejected, when the broker said (RefSeqNum 45). */
  readonly refSeqNum?: number;
  /** The rejected message's ClOrdID (11): which order it was about. */
  readonly clOrdId?: string;
  /** The rejected OrderMassStatusRequest's MassStatusReqID (584). */
  readonly massStatusReqId?: string;
  /** The field the broker objects to, in words ("OrdType (40)"), RefTagID (371). */
  readonly field?: string;
  /** SessionRejectReason (373) / BusinessRejectReason (380) in words, with its code. */
  readonly reason: string;
  readonly text?: string;
  /** Why the reject could not be tied to a message of ours (RefSeqNum of no stored message, RefMsgType disagreeing). */
  readonly uncorrelated?: string;
  readonly possDup: boolean;
  readonly seqNum: number;
  readonly raw: string;
}

export type InboundMessage = ExecutionReportMessage | CancelRejectMessage | RequestRejectMessage;

/** Why a broker refused a message of ours, in words: the field, the reason, and its Text unless that only repeats the reason. */
export function rejectReason(reject: Pick<RequestRejectMessage, 'field' | 'reason' | 'text'>): string {
  const repeats = reject.text !== undefined && reject.reason.toLowerCase().startsWith(reject.text.trim().toLowerCase());
  return [reject.field, reject.reason, repeats ? undefined : reject.text].filter((t) => t !== undefined).join(': ');
}
