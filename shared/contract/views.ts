import type { DecimalString } from '../domain/decimal-string';
import type {
  AssetClass,
  ExecType,
  OrderStatus,
  OrderType,
  SessionState,
  Side,
  TimeInForce,
} from '../domain/order-types';

/** One order as the blotters show it. Row identity is `orderId`: it stays the same across amends. */
export interface OrderView {
  readonly orderId: string;
  /** The ClOrdID of the latest request we sent for this order (changes on amend and cancel). */
  readonly clOrdId: string;
  /** The ClOrdID the broker last confirmed as live: the one a cancel or amend must refer to. */
  readonly liveClOrdId: string;
  readonly brokerOrderId?: string;
  readonly broker: string;
  readonly account: string;
  /** The instrument's stable id in the master (what the ticket named). */
  readonly instrumentId: string;
  readonly assetClass: AssetClass;
  /** The instrument's display symbol (ticker, pair, contract root, bond short name). */
  readonly symbol: string;
  /** The currency prices are in (FX: the quote currency; GBX: pence). */
  readonly currency: string;
  /**
   * Notional = quantity × price × valueFactor, in valueCurrency: a future's or option's multiplier,
   * 0.01 for a bond's % of par, 0.01 more for a price in pence (GBX → GBP). Absent: 1 and `currency`.
   */
  readonly valueFactor?: DecimalString;
  readonly valueCurrency?: string;
  /** FX: the value date; bond: the settlement date (as sent with the order). */
  readonly settlDate?: string;
  readonly side: Side;
  readonly orderType: OrderType;
  readonly timeInForce: TimeInForce;
  readonly expireDate?: string;
  readonly quantity: DecimalString;
  readonly limitPrice?: DecimalString;
  readonly stopPrice?: DecimalString;
  readonly status: OrderStatus;
  readonly cumQty: DecimalString;
  readonly leavesQty: DecimalString;
  readonly avgPx: DecimalString;
  /** The values of an amend or cancel we sent and the broker has not answered yet. */
  readonly pending?: PendingRequestView;
  /** The last reason the broker (or the desk) gave: reject reason, cancel-reject reason, restatement. */
  readonly text?: string;
  /** The pre-trade checks' word: the codes that refused it ("blocked: …", "warned: …"), or the warnings overridden (by whom, why). */
  readonly risk?: string;
  /**
   * The order's fate is unknown: a request of ours (the new order, a cancel, an amend) was
   * unanswered when the session dropped or the desk restarted. Cleared when a status report (or
   * the broker's answer) settles it.
   */
  readonly uncertain?: UncertainView;
  /** The desk learned of this order from the broker (a mass status report), not from a ticket of its own. */
  readonly adopted?: true;
  /** A child of this algo parent (its strategy is the parent's). */
  readonly parentId?: string;
  /** Routed to the broker's own algorithm: the strategy's name in the broker's FIXatdl file. */
  readonly brokerAlgo?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Increments with every event applied to the order. */
  readonly version: number;
}

export interface UncertainView {
  readonly reason: string;
  readonly since: string;
  /** What the blotter shows after the status: "reconciling", "no answer from BROKER", "status unavailable: settle by hand". */
  readonly label?: string;
}

export interface PendingRequestView {
  readonly kind: 'cancel' | 'replace';
  readonly clOrdId: string;
  /** The broker did not answer it within its timeout: the desk takes another cancel. */
  readonly noAnswer?: true;
  readonly quantity?: DecimalString;
  readonly limitPrice?: DecimalString;
  readonly stopPrice?: DecimalString;
}

/** One execution report that carried a fill (or busted/corrected one). Row identity is `execKey`. */
export interface ExecutionView {
  /** broker + ExecID: ExecIDs are unique per broker only. */
  readonly execKey: string;
  readonly execId: string;
  readonly orderId: string;
  readonly clOrdId: string;
  readonly broker: string;
  readonly account: string;
  readonly instrumentId: string;
  readonly assetClass: AssetClass;
  readonly symbol: string;
  readonly currency: string;
  readonly side: Side;
  readonly execType: ExecType;
  readonly lastQty: DecimalString;
  readonly lastPx: DecimalString;
  readonly cumQty: DecimalString;
  readonly avgPx: DecimalString;
  readonly status: OrderStatus;
  readonly transactTime?: string;
  readonly receivedAt: string;
  /** 'busted' or 'corrected' once a later trade cancel (150=H) or correct (150=G) ended it. */
  readonly state: 'active' | 'busted' | 'corrected';
  /** The ExecID of the bust or correction that ended it. */
  readonly endedBy?: string;
  /** On a bust or correction row: the ExecID it refers to (ExecRefID, tag 19). */
  readonly execRefId?: string;
  /**
   * Quantity the desk learned from a status report (fills missed while away), not from the fill's
   * own execution report: lastQty/lastPx are the increase in CumQty and its implied price.
   */
  readonly reconciled?: true;
}

/** One broker: its trading session and, when configured, its drop-copy session. Row identity is `broker`. */
export interface SessionView {
  readonly broker: string;
  readonly host: string;
  readonly port: number;
  readonly senderCompId: string;
  readonly targetCompId: string;
  readonly fixVersion: string;
  readonly state: SessionState;
  readonly lastError?: string;
  /** The session's own figures (absent until the desk has asked the session once). */
  readonly stats?: SessionStatsView;
  readonly dropCopy?: DropCopySessionView;
  readonly updatedAt: string;
}

/** A FIX session's live figures, for the session monitor. Times are ISO-8601. */
export interface SessionStatsView {
  readonly nextIncomingSeqNum: number;
  readonly nextOutgoingSeqNum: number;
  readonly loggedOnAt?: string;
  readonly lastReceivedAt?: string;
  readonly lastSentAt?: string;
  /** When the last Heartbeat (35=0) arrived. */
  readonly lastHeartbeatAt?: string;
  readonly gapsDetected: number;
  readonly resendRequestsSent: number;
  readonly resendRequestsServed: number;
  /** Messages received after a gap, held until the gap is filled. */
  readonly heldMessages: number;
  readonly lastResendAt?: string;
  /** Whether the session schedule says the session should be up now. */
  readonly inSchedule: boolean;
  readonly lastError?: string;
  /** PossDup resends of messages already processed, dropped by MsgSeqNum. */
  readonly possDupDropped?: number;
  /** Garbled frames (bad CheckSum or BodyLength, stray bytes) ignored. */
  readonly garbledIgnored?: number;
  /** ResendRequests of the broker that joined a replay already running (one replay at a time per session). */
  readonly resendRequestsCoalesced?: number;
  /** Why the session is not trying to log on: logged out by a person, outside its schedule, or halted on a FIX error that needs a person. */
  readonly idle?: 'loggedOut' | 'outsideSchedule' | 'halted';
}

/** The drop-copy session of a broker: its executions are cross-checked against the trading session's. */
export interface DropCopySessionView {
  readonly host: string;
  readonly port: number;
  readonly senderCompId: string;
  readonly targetCompId: string;
  readonly state: SessionState;
  readonly lastError?: string;
  readonly stats?: SessionStatsView;
  /** Executions missing on one side or different between the two sessions (since the desk started). */
  readonly mismatches: number;
  /** Executions delivered by one session and waiting, within the grace period, for the other. */
  readonly awaitingMatch: number;
  readonly lastMismatch?: string;
}

/** The sessions of a broker the monitor can administer and show the log of. */
export type SessionRole = 'trading' | 'dropCopy';

/** One message of a session's FIX log, raw and parsed. */
export interface FixLogEntryView extends FixMessageView {
  readonly id: number;
  readonly seqNum: number;
  readonly possDup: boolean;
  /** When we sent or received it. */
  readonly at: string;
}

/** A page of a session's FIX log, newest first. */
export interface FixLogPage {
  readonly broker: string;
  readonly session: SessionRole;
  readonly entries: readonly FixLogEntryView[];
  /** Pass as `beforeId` for the next (older) page; absent when this page is the last. */
  readonly nextBeforeId?: number;
}

/** What a session action did, in words for the person who asked. */
export interface SessionActionOutcome {
  readonly broker: string;
  readonly session: SessionRole;
  readonly message: string;
}

/** An instrument of the master, in brief (its full terms: `getInstrument`, `searchInstruments`). */
export interface InstrumentView {
  readonly id: string;
  readonly symbol: string;
  readonly assetClass: AssetClass;
  readonly currency: string;
  readonly description?: string;
}

export type AlertLevel = 'info' | 'warning' | 'error';

/**
 * One alert of the desk's alert list (journaled: every window and every restart sees the same list).
 * Row identity is `id`. Repeats of the same alert (same kind, level, broker, order and wording but
 * for the numbers in it) collapse into one row: `count` occurrences from `firstAt` to `at` (the
 * latest), showing the latest `message`.
 */
export interface AlertView {
  readonly id: string;
  readonly level: AlertLevel;
  readonly message: string;
  readonly orderId?: string;
  readonly broker?: string;
  /** The latest occurrence. */
  readonly at: string;
  /** What kind of alert it is (e.g. BROKER_REJECT, OVERFILL, NO_ANSWER, SESSION). */
  readonly code?: string;
  /** Occurrences collapsed into this row (absent: 1). */
  readonly count?: number;
  /** The first occurrence (absent: the same as `at`). */
  readonly firstAt?: string;
  /** Who acknowledged it, and when; a later occurrence clears it. */
  readonly acknowledged?: { readonly by: string; readonly at: string };
}

/**
 * How many alerts of each level the list keeps (the oldest of a level go first): errors are never
 * pushed out by warnings or notices, however many of those a broker sends.
 */
export const ALERTS_KEPT: Readonly<Record<AlertLevel, number>> = { error: 500, warning: 300, info: 100 };

/**
 * How many execution rows the desk keeps for the executions blotter (the newest; a new window gets
 * them in its snapshot). Every fill stays in its order's history, and in the journal.
 */
export const EXECUTIONS_KEPT = 5_000;

/** What a broker's FIX engine takes (the desk config's capability profile): the screens offer only that. */
export interface BrokerCapabilities {
  /** OrderCancelReplaceRequest (35=G): amends. */
  readonly cancelReplace: boolean;
  /** OrderStatusRequest (35=H). */
  readonly orderStatusRequest: boolean;
  /** OrderMassStatusRequest (35=AF). */
  readonly massStatusRequest: boolean;
  /** A cancel or amend while an amend is unanswered. */
  readonly chainedRequests: boolean;
}

/** Static facts the ticket needs: where orders can go and for whom. */
export interface ReferenceData {
  readonly brokers: readonly string[];
  readonly accounts: readonly string[];
  readonly instruments: readonly InstrumentView[];
  /** Per broker (by name): what its engine takes. Absent for a broker: everything. */
  readonly capabilities?: Readonly<Record<string, BrokerCapabilities>>;
  /** The funds, their base currencies and accounts (every account is in one). */
  readonly funds?: ReadonlyArray<{ readonly name: string; readonly baseCurrency: string; readonly accounts: readonly string[] }>;
}

/** One FIX message, raw and parsed, as the audit trail shows it. */
export interface FixMessageView {
  readonly direction: 'in' | 'out';
  readonly msgType: string;
  readonly msgTypeName: string;
  /** SOH shown as '|', passwords masked. */
  readonly raw: string;
  readonly fields: ReadonlyArray<{ readonly tag: number; readonly name: string; readonly value: string }>;
}

/** One journaled event of an order: what happened, when (our clock and the broker's), and the state after. */
export interface OrderHistoryEntry {
  readonly seq: number;
  /** When the desk recorded it. */
  readonly at: string;
  /** The broker's time for it (TransactTime), when it came from the broker. */
  readonly brokerTime?: string;
  readonly event: string;
  readonly summary: string;
  readonly statusAfter?: OrderStatus;
  /** Why the event changed nothing, when it was not allowed. */
  readonly ignored?: string;
  readonly fix?: FixMessageView;
}

export interface OrderHistory {
  readonly order: OrderView;
  readonly entries: readonly OrderHistoryEntry[];
}
