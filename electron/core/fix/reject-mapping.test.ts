import { describe, expect, it } from 'vitest';
import { parseFixText } from './fix-text';
import type { SentLookup } from './reject-mapping';
import { mapBusinessReject, mapSessionReject } from './reject-mapping';

/** What we sent, by MsgSeqNum, as the session store would give it back. */
const sent: SentLookup = (seqNum) =>
  ({
    5: { msgType: 'D', fields: parseFixText('35=D|11=K1-5|40=1|') },
    6: { msgType: 'G', fields: parseFixText('35=G|11=K1-6|41=K1-5|') },
    7: { msgType: 'AF', fields: parseFixText('35=AF|584=MS-1|585=7|') },
    8: { msgType: '0', fields: parseFixText('35=0|') },
  })[seqNum];

const meta = { seqNum: 12, possDup: false, raw: '8=FIX.4.4|35=3|' };

describe('35=3: the session-level Reject of a message of ours', () => {
  it('names the message by RefSeqNum: our stored NewOrderSingle and its ClOrdID, the field and the reason in words', () => {
    const r = mapSessionReject(parseFixText('35=3|45=5|372=D|371=40|373=5|58=Value is incorrect (out of range) for this tag|'), sent, meta);
    expect(r).toEqual({
      type: 'requestReject',
      level: 'session',
      rejected: 'newOrder',
      rejectedMessage: 'NewOrderSingle (35=D)',
      clOrdId: 'K1-5',
      refSeqNum: 5,
      field: 'OrdType (40)',
      reason: 'Value is incorrect (out of range) for this tag (SessionRejectReason 5)',
      text: 'Value is incorrect (out of range) for this tag',
      possDup: false,
      seqNum: 12,
      raw: '8=FIX.4.4|35=3|',
    });
  });

  it('trusts our store over the broker: RefMsgType may be left out (FIX 4.2 engines), but a contradicting one ties it to nothing', () => {
    expect(mapSessionReject(parseFixText('35=3|45=6|373=1|'), sent, meta)).toMatchObject({ rejected: 'replace', clOrdId: 'K1-6', reason: 'Required tag missing (SessionRejectReason 1)' });
    expect(mapSessionReject(parseFixText('35=3|45=6|372=D|373=1|'), sent, meta)).toMatchObject({
      rejected: 'newOrder',
      uncorrelated: 'RefSeqNum 6 is our OrderCancelReplaceRequest (35=G), not the NewOrderSingle (35=D) the broker names',
    });
    expect(mapSessionReject(parseFixText('35=3|45=6|372=D|373=1|'), sent, meta).clOrdId).toBeUndefined();
  });

  it('a RefSeqNum the store does not have, or a session message of ours: said, tied to no order', () => {
    expect(mapSessionReject(parseFixText('35=3|45=99|372=D|'), sent, meta)).toMatchObject({ rejected: 'newOrder', uncorrelated: expect.stringMatching(/RefSeqNum 99 is no message/), reason: 'no SessionRejectReason given' });
    expect(mapSessionReject(parseFixText('35=3|45=8|373=10|'), sent, meta)).toMatchObject({ rejected: 'other', rejectedMessage: 'Heartbeat (35=0)', reason: 'SendingTime accuracy problem (SessionRejectReason 10)' });
    expect(mapSessionReject(parseFixText('35=3|45=8|373=10|'), sent, meta).clOrdId).toBeUndefined();
  });
});

describe('35=j: the BusinessMessageReject of a message of ours', () => {
  it('by BusinessRejectRefID when there is no RefSeqNum: the ClOrdID of an order message or status request, the MassStatusReqID of 35=AF', () => {
    expect(mapBusinessReject(parseFixText('35=j|372=G|379=K1-6|380=3|58=Unsupported Message Type|'), sent, meta)).toMatchObject({
      level: 'business',
      rejected: 'replace',
      clOrdId: 'K1-6',
      reason: 'Unsupported message type (BusinessRejectReason 3)',
      text: 'Unsupported Message Type',
    });
    expect(mapBusinessReject(parseFixText('35=j|372=H|379=K1-5|380=3|'), sent, meta)).toMatchObject({ rejected: 'statusRequest', clOrdId: 'K1-5' });
    expect(mapBusinessReject(parseFixText('35=j|372=AF|379=MS-2|380=3|'), sent, meta)).toMatchObject({ rejected: 'massStatusRequest', massStatusReqId: 'MS-2' });
    expect(mapBusinessReject(parseFixText('35=j|372=F|380=0|'), sent, meta)).toMatchObject({ rejected: 'cancel', uncorrelated: expect.stringMatching(/named no RefSeqNum/) });
  });

  it('by RefSeqNum first when the broker gives both', () => {
    expect(mapBusinessReject(parseFixText('35=j|45=7|372=AF|379=junk|380=4|'), sent, meta)).toMatchObject({ rejected: 'massStatusRequest', massStatusReqId: 'MS-1', refSeqNum: 7, reason: 'Application not available (BusinessRejectReason 4)' });
    // RefSeqNum of another message than RefMsgType names: BusinessRejectRefID decides.
    expect(mapBusinessReject(parseFixText('35=j|45=7|372=D|379=K1-9|380=0|'), sent, meta)).toMatchObject({ rejected: 'newOrder', clOrdId: 'K1-9' });
  });
});
