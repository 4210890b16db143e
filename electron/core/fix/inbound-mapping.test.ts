import { describe, expect, it } from 'vitest';
import { parseFixText } from './fix-text';
import { mapInbound } from './inbound-mapping';

const ER_FILL =
  '8=FIX.4.4|9=300|35=8|34=12|49=SIM-A|56=MERIDIAN|52=20261127-10:00:00.000|37=O-1|11=C1|41=C0|17=E-7|150=F|39=1|1=FUND-ALPHA|55=VOD.L|54=1|' +
  '38=1000.5|40=2|44=70.12|59=0|32=250.25|31=70.123456789012|151=750.25|14=250.25|6=70.123456789012|60=20261127-10:00:00.123456|58=partial|10=000|';

function map(text: string, msgType = parseFixText(text).get(35) ?? '') {
  return mapInbound(msgType, parseFixText(text), text);
}

/** The same message with one field replaced (value) or removed (undefined). */
function withField(text: string, tag: number, value: string | undefined): string {
  return text
    .split('|')
    .filter((f) => f !== '')
    .flatMap((f) => (f.startsWith(`${tag}=`) ? (value === undefined ? [] : [`${tag}=${value}`]) : [f]))
    .join('|');
}

describe('mapInbound: ExecutionReport (8)', () => {
  it('maps a partial fill, decimals exactly as sent', () => {
    const mapped = map(ER_FILL);
    expect(mapped).toEqual({
      ok: true,
      message: {
        type: 'executionReport',
        execId: 'E-7',
        execType: 'trade',
        ordStatus: 'partiallyFilled',
        clOrdId: 'C1',
        origClOrdId: 'C0',
        brokerOrderId: 'O-1',
        symbol: 'VOD.L',
        side: 'buy',
        orderQty: '1000.5',
        limitPrice: '70.12',
        lastQty: '250.25',
        lastPx: '70.123456789012',
        cumQty: '250.25',
        leavesQty: '750.25',
        avgPx: '70.123456789012',
        text: 'partial',
        transactTime: '2026-11-27T10:00:00.123456Z',
        possDup: false,
        seqNum: 12,
        raw: ER_FILL,
      },
    });
  });

  it.each([
    ['0', 'new'],
    ['3', 'doneForDay'],
    ['4', 'canceled'],
    ['5', 'replaced'],
    ['6', 'pendingCancel'],
    ['7', 'stopped'],
    ['8', 'rejected'],
    ['9', 'suspended'],
    ['A', 'pendingNew'],
    ['B', 'calculated'],
    ['C', 'expired'],
    ['D', 'restated'],
    ['E', 'pendingReplace'],
    ['F', 'trade'],
    ['G', 'tradeCorrect'],
    ['H', 'tradeCancel'],
    ['I', 'orderStatus'],
    ['1', 'trade'],
    ['2', 'trade'],
  ])('ExecType %s is %s', (code, execType) => {
    const mapped = map(withField(ER_FILL, 150, code));
    expect(mapped.ok && mapped.message.type === 'executionReport' && mapped.message.execType).toBe(execType);
  });

  it.each([
    ['0', 'new'],
    ['1', 'partiallyFilled'],
    ['2', 'filled'],
    ['3', 'doneForDay'],
    ['4', 'canceled'],
    ['6', 'pendingCancel'],
    ['7', 'stopped'],
    ['8', 'rejected'],
    ['9', 'suspended'],
    ['A', 'pendingNew'],
    ['C', 'expired'],
    ['E', 'pendingReplace'],
  ])('OrdStatus %s is %s', (code, status) => {
    const mapped = map(withField(ER_FILL, 39, code));
    expect(mapped.ok && mapped.message.ordStatus).toBe(status);
  });

  it('reads PossDupFlag and the reject reason when no Text is given', () => {
    const text = withField(withField(withField(ER_FILL, 150, '8'), 58, undefined), 39, '8') + '|103=1|43=Y';
    const mapped = map(text);
    expect(mapped.ok && mapped.message).toMatchObject({ execType: 'rejected', possDup: true, text: 'unknown symbol' });
  });

  it.each([
    [17, undefined, 'missing ExecID (17)'],
    [150, undefined, 'missing ExecType (150)'],
    [39, undefined, 'missing OrdStatus (39)'],
    [11, undefined, 'missing ClOrdID (11)'],
    [14, undefined, 'missing CumQty (14)'],
    [151, undefined, 'missing LeavesQty (151)'],
    [6, undefined, 'missing AvgPx (6)'],
    [34, undefined, 'missing MsgSeqNum (34)'],
    [32, undefined, 'missing LastQty (32)'],
    [31, undefined, 'missing LastPx (31)'],
    [14, '1e2', "CumQty (14) '1e2' is not a decimal"],
    [6, '70,12', "AvgPx (6) '70,12' is not a decimal"],
    [151, '-1', "LeavesQty (151) '-1' is negative"],
    [31, 'NaN', "LastPx (31) 'NaN' is not a decimal"],
    [44, '0x10', "Price (44) '0x10' is not a decimal"],
    [150, 'Z', "unknown ExecType (150) 'Z'"],
    [39, 'B', "unknown OrdStatus (39) 'B'"],
    [54, '7', "unsupported Side (54) '7'"],
    [60, '2026-11-27', "TransactTime (60) '2026-11-27' is not a UTC timestamp"],
  ])('refuses the message when tag %s is %s', (tag, value, reason) => {
    expect(map(withField(ER_FILL, tag, value))).toEqual({ ok: false, reason });
  });

  it('does not demand LastQty/LastPx on a report that is not a trade', () => {
    const text = withField(withField(withField(ER_FILL, 150, '0'), 32, undefined), 31, undefined);
    expect(map(text).ok).toBe(true);
  });
});

describe('mapInbound: OrderCancelReject (9)', () => {
  const REJECT = '8=FIX.4.4|35=9|34=20|37=O-1|11=C3|41=C1|39=2|434=1|102=0|58=too late to cancel: order is filled|10=000|';

  it('maps a cancel reject', () => {
    expect(map(REJECT)).toEqual({
      ok: true,
      message: {
        type: 'cancelReject',
        clOrdId: 'C3',
        origClOrdId: 'C1',
        brokerOrderId: 'O-1',
        ordStatus: 'filled',
        responseTo: 'cancel',
        text: 'too late to cancel: order is filled',
        possDup: false,
        seqNum: 20,
        raw: REJECT,
      },
    });
  });

  it('words the reason when there is no Text, and drops the NONE order id', () => {
    const mapped = map(withField(withField(withField(REJECT, 58, undefined), 434, '2'), 37, 'NONE').replace('102=0', '102=1'));
    expect(mapped.ok && mapped.message).toMatchObject({ responseTo: 'replace', text: 'unknown order' });
    expect(mapped.ok && 'brokerOrderId' in mapped.message).toBe(false);
  });

  it('refuses a reject without CxlRejResponseTo or with a bad one', () => {
    expect(map(withField(REJECT, 434, undefined))).toEqual({ ok: false, reason: 'missing CxlRejResponseTo (434)' });
    expect(map(withField(REJECT, 434, '3'))).toEqual({ ok: false, reason: "CxlRejResponseTo (434) '3' is not 1 or 2" });
  });
});

it('refuses application messages it does not map', () => {
  expect(mapInbound('B', parseFixText('35=B|34=1'), '')).toEqual({ ok: false, reason: "unexpected application message type 'B'" });
});

describe('mapInbound: FIX 4.2 and busts/corrections', () => {
  const ER_42 = '8=FIX.4.2|35=8|34=5|37=O-1|11=C1|17=E-9|20=0|150=1|39=1|55=VOD.L|54=1|38=100|32=10|31=1.5|151=90|14=10|6=1.5|10=000|';

  it('reads ExecType 1/2 as trades and ExecTransType 1/2/3 as bust, correction, status (FIX 4.2)', () => {
    expect(map(ER_42)).toMatchObject({ ok: true, message: { execType: 'trade', lastQty: '10', lastPx: '1.5' } });
    expect(map(withField(withField(ER_42, 150, '2'), 39, '2'))).toMatchObject({ ok: true, message: { execType: 'trade', ordStatus: 'filled' } });
    expect(map(withField(`${ER_42}19=E-8|`, 20, '1'))).toMatchObject({ ok: true, message: { execType: 'tradeCancel', execRefId: 'E-8' } });
    expect(map(withField(`${ER_42}19=E-8|`, 20, '2'))).toMatchObject({ ok: true, message: { execType: 'tradeCorrect', execRefId: 'E-8' } });
    expect(map(withField(withField(ER_42, 20, '3'), 150, '0'))).toMatchObject({ ok: true, message: { execType: 'orderStatus' } });
    expect(map(withField(ER_42, 20, '7'))).toMatchObject({ ok: false, reason: expect.stringMatching(/ExecTransType/) });
  });

  it('reads ExecRefID on FIX 4.4 busts and ExecRestatementReason in words', () => {
    expect(map(withField(`${ER_FILL}19=E-6|`, 150, 'H'))).toMatchObject({ ok: true, message: { execType: 'tradeCancel', execRefId: 'E-6' } });
    expect(map(withField(withField(`${ER_FILL}378=6|`, 150, '4'), 39, '4'))).toMatchObject({ ok: true, message: { execType: 'canceled', restatementReason: 'cancel on trading halt' } });
  });
});
