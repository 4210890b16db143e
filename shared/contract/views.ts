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
  readonly symbol: string;
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
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Increments with every event applied to the order. */
  readonly version: number;
}

export interface PendingRequestView {
  readonly kind: 'cancel' | 'replace';
  readonly clOrdId: string;
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
  readonly symbol: string;
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
}

export interface SessionView {
  readonly broker: string;
  readonly host: string;
  readonly port: number;
  readonly senderCompId: string;
  readonly targetCompId: string;
  readonly fixVersion: string;
  readonly state: SessionState;
  readonly lastError?: string;
  readonly updatedAt: string;
}

export interface InstrumentView {
  readonly symbol: string;
  readonly assetClass: AssetClass;
  readonly description?: string;
}

export interface AlertView {
  readonly id: string;
  readonly level: 'info' | 'warning' | 'error';
  readonly message: string;
  readonly orderId?: string;
  readonly broker?: string;
  readonly at: string;
}

/** Static facts the ticket needs: where orders can go and for whom. */
export interface ReferenceData {
  readonly brokers: readonly string[];
  readonly accounts: readonly string[];
  readonly instruments: readonly InstrumentView[];
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
