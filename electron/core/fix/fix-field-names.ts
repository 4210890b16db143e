/**
 * The one table of FIX field names: the tags the desk reads and writes (`TAG.ClOrdID`, inbound and
 * outbound alike), and, read the other way, the names the logs and the order history show beside a
 * raw message. Names are the FIX 4.4 / 5.0SP2 dictionary's (checked against it by
 * integration-tests/fix/engine-codec.test.ts); FIX 4.2 calls LastQty (32) LastShares.
 */
export const TAG = {
  Account: 1,
  AvgPx: 6,
  BeginSeqNo: 7,
  BeginString: 8,
  BodyLength: 9,
  CheckSum: 10,
  ClOrdID: 11,
  CumQty: 14,
  Currency: 15,
  EndSeqNo: 16,
  ExecID: 17,
  ExecRefID: 19,
  ExecTransType: 20,
  HandlInst: 21,
  SecurityIDSource: 22,
  LastPx: 31,
  LastQty: 32,
  MsgSeqNum: 34,
  MsgType: 35,
  NewSeqNo: 36,
  OrderID: 37,
  OrderQty: 38,
  OrdStatus: 39,
  OrdType: 40,
  OrigClOrdID: 41,
  PossDupFlag: 43,
  Price: 44,
  RefSeqNum: 45,
  SecurityID: 48,
  SenderCompID: 49,
  SenderSubID: 50,
  SendingTime: 52,
  Side: 54,
  Symbol: 55,
  TargetCompID: 56,
  TargetSubID: 57,
  Text: 58,
  TimeInForce: 59,
  TransactTime: 60,
  SettlType: 63,
  SettlDate: 64,
  PossResend: 97,
  EncryptMethod: 98,
  StopPx: 99,
  CxlRejReason: 102,
  OrdRejReason: 103,
  HeartBtInt: 108,
  TestReqID: 112,
  OrigSendingTime: 122,
  GapFillFlag: 123,
  DKReason: 127,
  ResetSeqNumFlag: 141,
  SenderLocationID: 142,
  TargetLocationID: 143,
  ExecType: 150,
  LeavesQty: 151,
  SecurityType: 167,
  MaturityMonthYear: 200,
  PutOrCall: 201,
  StrikePrice: 202,
  MaturityDay: 205,
  SecurityExchange: 207,
  CouponRate: 223,
  ContractMultiplier: 231,
  RefTagID: 371,
  RefMsgType: 372,
  SessionRejectReason: 373,
  ExecRestatementReason: 378,
  BusinessRejectRefID: 379,
  BusinessRejectReason: 380,
  PriceType: 423,
  ExpireDate: 432,
  CxlRejResponseTo: 434,
  MaturityDate: 541,
  Username: 553,
  Password: 554,
  MassStatusReqID: 584,
  MassStatusReqType: 585,
  OrdStatusReqID: 790,
  TargetStrategy: 847,
  TotNumReports: 911,
  LastRptRequested: 912,
  NewPassword: 925,
  NoStrategyParameters: 957,
  StrategyParameterName: 958,
  StrategyParameterType: 959,
  StrategyParameterValue: 960,
  ApplVerID: 1128,
  DefaultApplVerID: 1137,
  ExerciseStyle: 1194,
} as const;

export type TagName = keyof typeof TAG;

const TAG_NAMES: ReadonlyMap<number, string> = new Map(Object.entries(TAG).map(([name, tag]) => [tag, name]));

const MSG_TYPES: Readonly<Record<string, string>> = {
  '0': 'Heartbeat', '1': 'TestRequest', '2': 'ResendRequest', '3': 'Reject', '4': 'SequenceReset', '5': 'Logout',
  '8': 'ExecutionReport', '9': 'OrderCancelReject', A: 'Logon', D: 'NewOrderSingle', F: 'OrderCancelRequest',
  G: 'OrderCancelReplaceRequest', H: 'OrderStatusRequest', Q: 'DontKnowTrade', j: 'BusinessMessageReject',
  AF: 'OrderMassStatusRequest',
};

/** The field's name for a person: the dictionary's, or `tag N` for one the desk does not use. */
export function tagName(tag: number): string {
  return TAG_NAMES.get(tag) ?? `tag ${tag}`;
}

export function msgTypeName(msgType: string): string {
  return MSG_TYPES[msgType] ?? `MsgType ${msgType}`;
}

/** Splits a message shown with '|' (or SOH) separators into its fields, in order, each with its name. */
export function parseFixText(raw: string): Array<{ tag: number; name: string; value: string }> {
  const fields: Array<{ tag: number; name: string; value: string }> = [];
  for (const part of raw.split(/[|\x01]/)) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const tag = Number(part.slice(0, eq));
    if (!Number.isInteger(tag)) continue;
    fields.push({ tag, name: tagName(tag), value: part.slice(eq + 1) });
  }
  return fields;
}
