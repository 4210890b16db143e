import type { RejectedRequest, RequestRejectMessage } from '../broker/broker-port';
import { BUSINESS_REJECT_REASON_TEXT, SESSION_REJECT_REASON_TEXT } from './fix-codes';
import { msgTypeName, tagName } from './fix-field-names';
import type { FieldReader } from './fix-text';

/** One message we sent, as the session store holds it. */
export interface SentMessage {
  readonly msgType: string;
  readonly fields: FieldReader;
}

/** The message we sent with this MsgSeqNum (this sequence, first send), if the store still has it. */
export type SentLookup = (seqNum: number) => SentMessage | undefined;

export interface RejectMeta {
  readonly seqNum: number;
  readonly possDup: boolean;
  readonly raw: string;
}

const REJECTED_BY_MSG_TYPE: Readonly<Record<string, RejectedRequest>> = {
  D: 'newOrder',
  F: 'cancel',
  G: 'replace',
  H: 'statusRequest',
  AF: 'massStatusRequest',
  Q: 'dontKnowTrade',
};

/** A session-level Reject (35=3): RefSeqNum (45, required) names the message of ours it refuses. */
export function mapSessionReject(fields: FieldReader, sent: SentLookup, meta: RejectMeta): RequestRejectMessage {
  const code = fields.get(373);
  const reason = code === undefined ? 'no SessionRejectReason given' : `${SESSION_REJECT_REASON_TEXT.get(code) ?? 'unknown reason'} (SessionRejectReason ${code})`;
  return reject('session', fields, sent, meta, reason, undefined);
}

/**
 * A BusinessMessageReject (35=j): RefSeqNum (45) when the broker gives it, else BusinessRejectRefID
 * (379): the ClOrdID of an order message or status request, the MassStatusReqID of a mass status request.
 */
export function mapBusinessReject(fields: FieldReader, sent: SentLookup, meta: RejectMeta): RequestRejectMessage {
  const code = fields.get(380);
  const reason = code === undefined ? 'no BusinessRejectReason given' : `${BUSINESS_REJECT_REASON_TEXT.get(code) ?? 'unknown reason'} (BusinessRejectReason ${code})`;
  return reject('business', fields, sent, meta, reason, nonEmpty(fields.get(379)));
}

function reject(level: 'session' | 'business', fields: FieldReader, sent: SentLookup, meta: RejectMeta, reason: string, refId: string | undefined): RequestRejectMessage {
  const refSeqText = fields.get(45);
  const refSeqNum = refSeqText !== undefined && /^\d{1,10}$/.test(refSeqText) ? Number(refSeqText) : undefined;
  const refMsgType = nonEmpty(fields.get(372));
  const refTag = nonEmpty(fields.get(371));
  const text = nonEmpty(fields.get(58));
  const target = correlate(refSeqNum, refMsgType, refId, sent);
  return {
    type: 'requestReject',
    level,
    ...target,
    ...(refSeqNum !== undefined && { refSeqNum }),
    ...(refTag !== undefined && { field: /^\d+$/.test(refTag) ? `${tagName(Number(refTag))} (${refTag})` : refTag }),
    reason,
    ...(text !== undefined && { text }),
    possDup: meta.possDup,
    seqNum: meta.seqNum,
    raw: meta.raw,
  };
}

type Target = Pick<RequestRejectMessage, 'rejected' | 'rejectedMessage' | 'clOrdId' | 'massStatusReqId' | 'uncorrelated'>;

/**
 * Our stored message first (the broker's RefSeqNum, checked against its RefMsgType when it gives
 * one): it is the message we sent, whatever the broker echoes. Else the business reference ID.
 */
function correlate(refSeqNum: number | undefined, refMsgType: string | undefined, refId: string | undefined, sent: SentLookup): Target {
  let problem: string | undefined;
  if (refSeqNum !== undefined) {
    const stored = sent(refSeqNum);
    if (stored !== undefined && (refMsgType === undefined || refMsgType === stored.msgType)) return fromStored(stored);
    problem =
      stored === undefined
        ? `RefSeqNum ${refSeqNum} is no message the desk still has in this sequence`
        : `RefSeqNum ${refSeqNum} is our ${describe(stored.msgType)}, not the ${describe(refMsgType ?? '?')} the broker names`;
  }
  const rejected = refMsgType === undefined ? 'other' : (REJECTED_BY_MSG_TYPE[refMsgType] ?? 'other');
  const rejectedMessage = refMsgType === undefined ? 'a message' : describe(refMsgType);
  if (refId !== undefined && (rejected === 'newOrder' || rejected === 'cancel' || rejected === 'replace' || rejected === 'statusRequest')) {
    return { rejected, rejectedMessage, clOrdId: refId };
  }
  if (refId !== undefined && rejected === 'massStatusRequest') return { rejected, rejectedMessage, massStatusReqId: refId };
  return { rejected, rejectedMessage, uncorrelated: problem ?? 'the broker named no RefSeqNum (45) or BusinessRejectRefID (379)' };
}

function fromStored(stored: SentMessage): Target {
  const rejected = REJECTED_BY_MSG_TYPE[stored.msgType] ?? 'other';
  const clOrdId = nonEmpty(stored.fields.get(11));
  const massStatusReqId = nonEmpty(stored.fields.get(584));
  return {
    rejected,
    rejectedMessage: describe(stored.msgType),
    ...(clOrdId !== undefined && { clOrdId }),
    ...(massStatusReqId !== undefined && { massStatusReqId }),
  };
}

function describe(msgType: string): string {
  return `${msgTypeName(msgType)} (35=${msgType})`;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
