/**
 * Words for the coded values of the FIX 4.4 fields an order's history shows, so a parsed message
 * reads "39 OrdStatus 2 (Filled)". Unknown codes are shown as they came.
 */
const CODES: Readonly<Record<number, Readonly<Record<string, string>>>> = {
  35: {
    '0': 'Heartbeat', '3': 'Reject', '8': 'ExecutionReport', '9': 'OrderCancelReject', D: 'NewOrderSingle',
    F: 'OrderCancelRequest', G: 'OrderCancelReplaceRequest', H: 'OrderStatusRequest', j: 'BusinessMessageReject',
  },
  39: {
    '0': 'New', '1': 'Partially filled', '2': 'Filled', '3': 'Done for day', '4': 'Canceled', '5': 'Replaced',
    '6': 'Pending cancel', '7': 'Stopped', '8': 'Rejected', '9': 'Suspended', A: 'Pending new', B: 'Calculated',
    C: 'Expired', D: 'Accepted for bidding', E: 'Pending replace',
  },
  150: {
    '0': 'New', '3': 'Done for day', '4': 'Canceled', '5': 'Replaced', '6': 'Pending cancel', '7': 'Stopped',
    '8': 'Rejected', '9': 'Suspended', A: 'Pending new', B: 'Calculated', C: 'Expired', D: 'Restated',
    E: 'Pending replace', F: 'Trade', G: 'Trade correct', H: 'Trade cancel', I: 'Order status',
  },
  54: { '1': 'Buy', '2': 'Sell', '5': 'Sell short', '6': 'Sell short exempt' },
  40: { '1': 'Market', '2': 'Limit', '3': 'Stop', '4': 'Stop limit' },
  59: { '0': 'Day', '1': 'GTC', '2': 'At the opening', '3': 'IOC', '4': 'FOK', '6': 'GTD' },
  43: { Y: 'Yes', N: 'No' },
  97: { Y: 'Yes', N: 'No' },
  434: { '1': 'Cancel request', '2': 'Cancel/replace request' },
  102: { '0': 'Too late to cancel', '1': 'Unknown order', '2': 'Broker option', '3': 'Already pending', '6': 'Duplicate ClOrdID', '99': 'Other' },
  103: {
    '0': 'Broker option', '1': 'Unknown symbol', '2': 'Exchange closed', '3': 'Order exceeds limit', '4': 'Too late to enter',
    '5': 'Unknown order', '6': 'Duplicate order', '11': 'Unsupported order characteristic', '13': 'Incorrect quantity', '99': 'Other',
  },
};

/** The meaning of a coded value, or undefined when the field is free text or the code is unknown. */
export function fixValueMeaning(tag: number, value: string): string | undefined {
  return CODES[tag]?.[value];
}
