import type { ExecType, OrderStatus, OrderType, Side, TimeInForce } from '../../../shared/domain/order-types';

/** FIX 4.4 code values in the desk's words, both ways. The only place these letters live. */

export const SIDE_TO_FIX: Readonly<Record<Side, string>> = { buy: '1', sell: '2', sellShort: '5' };

export const ORDER_TYPE_TO_FIX: Readonly<Record<OrderType, string>> = { market: '1', limit: '2', stop: '3', stopLimit: '4' };

export const TIME_IN_FORCE_TO_FIX: Readonly<Record<TimeInForce, string>> = { day: '0', gtc: '1', ioc: '3', fok: '4', gtd: '6' };

export const EXEC_TYPE_TO_FIX: Readonly<Record<ExecType, string>> = {
  new: '0',
  doneForDay: '3',
  canceled: '4',
  replaced: '5',
  pendingCancel: '6',
  stopped: '7',
  rejected: '8',
  suspended: '9',
  pendingNew: 'A',
  calculated: 'B',
  expired: 'C',
  restated: 'D',
  pendingReplace: 'E',
  trade: 'F',
  tradeCorrect: 'G',
  tradeCancel: 'H',
  orderStatus: 'I',
};

export const ORDER_STATUS_TO_FIX: Readonly<Record<OrderStatus, string>> = {
  new: '0',
  partiallyFilled: '1',
  filled: '2',
  doneForDay: '3',
  canceled: '4',
  pendingCancel: '6',
  stopped: '7',
  rejected: '8',
  suspended: '9',
  pendingNew: 'A',
  expired: 'C',
  pendingReplace: 'E',
};

export const SIDE_FROM_FIX = invert(SIDE_TO_FIX);
export const ORDER_TYPE_FROM_FIX = invert(ORDER_TYPE_TO_FIX);
export const TIME_IN_FORCE_FROM_FIX = invert(TIME_IN_FORCE_TO_FIX);
export const ORDER_STATUS_FROM_FIX = invert(ORDER_STATUS_TO_FIX);
/** FIX 4.2 brokers send ExecType 1 (partial fill) and 2 (fill): both are trades. */
export const EXEC_TYPE_FROM_FIX: ReadonlyMap<string, ExecType> = new Map([...invert(EXEC_TYPE_TO_FIX), ['1', 'trade'], ['2', 'trade']]);

/** CxlRejResponseTo (434). */
export const CXL_REJ_RESPONSE_TO = { cancel: '1', replace: '2' } as const;

/** CxlRejReason (102) with readable text, for a cancel reject that carries no Text (58). */
export const CXL_REJ_REASON_TEXT: ReadonlyMap<string, string> = new Map([
  ['0', 'too late to cancel'],
  ['1', 'unknown order'],
  ['2', 'broker / exchange option'],
  ['3', 'order already in pending cancel or pending replace status'],
  ['4', 'unable to process order mass cancel request'],
  ['5', 'OrigOrdModTime did not match last TransactTime of order'],
  ['6', 'duplicate ClOrdID received'],
  ['99', 'other'],
]);

/** OrdRejReason (103) with readable text, for an order reject that carries no Text (58). */
export const ORD_REJ_REASON_TEXT: ReadonlyMap<string, string> = new Map([
  ['0', 'broker / exchange option'],
  ['1', 'unknown symbol'],
  ['2', 'exchange closed'],
  ['3', 'order exceeds limit'],
  ['4', 'too late to enter'],
  ['5', 'unknown order'],
  ['6', 'duplicate order'],
  ['7', 'duplicate of a verbally communicated order'],
  ['8', 'stale order'],
  ['9', 'trade along required'],
  ['10', 'invalid investor ID'],
  ['11', 'unsupported order characteristic'],
  ['13', 'incorrect quantity'],
  ['14', 'incorrect allocated quantity'],
  ['15', 'unknown account(s)'],
  ['99', 'other'],
]);

function invert<K extends string>(map: Readonly<Record<K, string>>): ReadonlyMap<string, K> {
  return new Map(Object.entries(map).map(([k, v]) => [v as string, k as K]));
}

/**
 * ExecTransType (20), FIX 4.2 and earlier: a bust, a correction and a status report are
 * transaction types there, not ExecTypes (FIX 4.3 moved them to ExecType H, G and I).
 */
export const EXEC_TRANS_TYPE_FROM_FIX: ReadonlyMap<string, 'new' | 'tradeCancel' | 'tradeCorrect' | 'orderStatus'> = new Map([
  ['0', 'new'],
  ['1', 'tradeCancel'],
  ['2', 'tradeCorrect'],
  ['3', 'orderStatus'],
]);

/** DKReason (127). */
export const DK_REASON_TO_FIX = {
  unknownSymbol: 'A',
  wrongSide: 'B',
  quantityExceedsOrder: 'C',
  noMatchingOrder: 'D',
  priceExceedsLimit: 'E',
  calculationDifference: 'F',
  other: 'Z',
} as const;

/** ExecRestatementReason (378) in words: shown to the trader on restatements and unsolicited cancels. */
export const EXEC_RESTATEMENT_REASON_TEXT: ReadonlyMap<string, string> = new Map([
  ['0', 'GT corporate action'],
  ['1', 'GT renewal / restatement'],
  ['2', 'verbal change'],
  ['3', 'repricing of order'],
  ['4', 'broker option'],
  ['5', 'partial decline of order quantity'],
  ['6', 'cancel on trading halt'],
  ['7', 'cancel on system failure'],
  ['8', 'market (exchange) option'],
  ['9', 'canceled, not best'],
  ['10', 'warehouse recap'],
  ['99', 'other'],
]);

/** SessionRejectReason (373) of a session-level Reject (35=3). */
export const SESSION_REJECT_REASON_TEXT: ReadonlyMap<string, string> = new Map([
  ['0', 'Invalid tag number'],
  ['1', 'Required tag missing'],
  ['2', 'Tag not defined for this message type'],
  ['3', 'Undefined tag'],
  ['4', 'Tag specified without a value'],
  ['5', 'Value is incorrect (out of range) for this tag'],
  ['6', 'Incorrect data format for value'],
  ['7', 'Decryption problem'],
  ['8', 'Signature problem'],
  ['9', 'CompID problem'],
  ['10', 'SendingTime accuracy problem'],
  ['11', 'Invalid MsgType'],
  ['12', 'XML validation error'],
  ['13', 'Tag appears more than once'],
  ['14', 'Tag specified out of required order'],
  ['15', 'Repeating group fields out of order'],
  ['16', 'Incorrect NumInGroup count for repeating group'],
  ['17', 'Non-data value includes field delimiter (SOH)'],
  ['18', 'Invalid/unsupported application version'],
  ['99', 'Other'],
]);

/** SessionRejectReason (373) values the desk sends. */
export const SESSION_REJECT_REASON = { requiredTagMissing: 1, valueIncorrect: 5, incorrectDataFormat: 6, sendingTimeAccuracy: 10, invalidMsgType: 11 } as const;

/** BusinessRejectReason (380) of a BusinessMessageReject (35=j). */
export const BUSINESS_REJECT_REASON_TEXT: ReadonlyMap<string, string> = new Map([
  ['0', 'Other'],
  ['1', 'Unknown ID'],
  ['2', 'Unknown security'],
  ['3', 'Unsupported message type'],
  ['4', 'Application not available'],
  ['5', 'Conditionally required field missing'],
  ['6', 'Not authorized'],
  ['7', 'DeliverTo firm not available at this time'],
  ['18', 'Invalid price increment'],
]);

/** BusinessRejectReason (380) values the simulator sends. */
export const BUSINESS_REJECT_REASON = { other: '0', unknownId: '1', unsupportedMessageType: '3' } as const;
