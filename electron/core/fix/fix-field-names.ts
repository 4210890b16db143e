/** Names for the tags and message types the desk meets, to show a raw message parsed beside its text. */
const TAG_NAMES: Readonly<Record<number, string>> = {
  1: 'Account', 6: 'AvgPx', 8: 'BeginString', 9: 'BodyLength', 10: 'CheckSum', 11: 'ClOrdID', 14: 'CumQty',
  15: 'Currency', 17: 'ExecID', 19: 'ExecRefID', 20: 'ExecTransType', 31: 'LastPx', 32: 'LastQty', 34: 'MsgSeqNum',
  35: 'MsgType', 37: 'OrderID', 38: 'OrderQty', 39: 'OrdStatus', 40: 'OrdType', 41: 'OrigClOrdID', 43: 'PossDupFlag',
  44: 'Price', 49: 'SenderCompID', 52: 'SendingTime', 54: 'Side', 55: 'Symbol', 56: 'TargetCompID', 58: 'Text',
  59: 'TimeInForce', 60: 'TransactTime', 97: 'PossResend', 99: 'StopPx', 102: 'CxlRejReason', 103: 'OrdRejReason',
  122: 'OrigSendingTime', 150: 'ExecType', 151: 'LeavesQty', 378: 'ExecRestatementReason', 432: 'ExpireDate',
  434: 'CxlRejResponseTo', 553: 'Username', 554: 'Password', 1128: 'ApplVerID', 45: 'RefSeqNum', 371: 'RefTagID',
  372: 'RefMsgType', 373: 'SessionRejectReason', 379: 'BusinessRejectRefID', 380: 'BusinessRejectReason', 584: 'MassStatusReqID',
  585: 'MassStatusReqType', 911: 'TotNumReports', 912: 'LastRptRequested', 127: 'DKReason',
};

const MSG_TYPES: Readonly<Record<string, string>> = {
  '0': 'Heartbeat', '1': 'TestRequest', '2': 'ResendRequest', '3': 'Reject', '4': 'SequenceReset', '5': 'Logout',
  '8': 'ExecutionReport', '9': 'OrderCancelReject', A: 'Logon', D: 'NewOrderSingle', F: 'OrderCancelRequest',
  G: 'OrderCancelReplaceRequest', H: 'OrderStatusRequest', Q: 'DontKnowTrade', j: 'BusinessMessageReject',
  AF: 'OrderMassStatusRequest',
};

export function tagName(tag: number): string {
  return TAG_NAMES[tag] ?? `tag ${tag}`;
}

export function msgTypeName(msgType: string): string {
  return MSG_TYPES[msgType] ?? `MsgType ${msgType}`;
}

/** Splits a message shown with '|' (or SOH) separators into its fields, in order. */
export function parseFixText(raw: string): Array<{ tag: number; name: string; value: string }> {
  const fields: Array<{ tag: number; name: string; value: string }> = [];
  for (const part of raw.split(/[|\x01]/)) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const tag = Number(part.slice(0, eq));
    if (!Number.isInteger(tag)) continue;
    fields.push({ tag, name: TAG_NAMES[tag] ?? String(tag), value: part.slice(eq + 1) });
  }
  return fields;
}
