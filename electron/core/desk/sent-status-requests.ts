import type { DeskEvent, StatusRequestSent } from '../journal/desk-events';
import type { PartCodec, ReadModel } from '../journal/read-model';
import { SnapshotFormatError } from '../journal/snapshot-codec';

/**
 * How long after it was sent a status question of ours may be answered. A broker answers a mass
 * status request within seconds or minutes; a report naming an id older than this is refused.
 */
export const STATUS_ANSWER_WINDOW_MS = 60 * 60_000;

type Sent = readonly [broker: string, kind: StatusRequestSent['kind'], reqId: string, at: string];

export interface SentStatusRequestsView {
  /** When the desk sent this broker the status question with this id, if it did (and has not forgotten it). */
  sentAt(broker: string, kind: StatusRequestSent['kind'], reqId: string): string | undefined;
}

/**
 * The status questions the desk asked (MassStatusReqID, OrdStatusReqID), per broker: a report that
 * claims to answer one the desk never asked (or asked long ago) is refused, never adopted
 * (desk/broker-inbound.ts). A new trading day forgets those older than the answer window.
 */
export class SentStatusRequests implements ReadModel<void, SentStatusRequestsView, { sent: Sent }> {
  readonly name = 'sentStatusRequests';
  readonly version = 1;
  readonly parts = { sent: SENT_CODEC };
  readonly view: SentStatusRequestsView;
  private sent = new Map<string, Sent>();

  constructor() {
    this.view = { sentAt: (broker, kind, reqId) => this.sent.get(key(broker, kind, reqId))?.[3] };
  }

  apply(event: DeskEvent): void {
    if (event.type === 'statusRequestSent') {
      this.sent.set(key(event.broker, event.kind, event.reqId), [event.broker, event.kind, event.reqId, event.at]);
    } else if (event.type === 'dayStarted') {
      const cutoff = Date.parse(event.at) - STATUS_ANSWER_WINDOW_MS;
      for (const [k, s] of this.sent) if (Date.parse(s[3]) < cutoff) this.sent.delete(k);
    }
  }

  capture() {
    return { sent: [...this.sent.values()] };
  }

  restore(parts: { readonly sent: readonly Sent[] }): void {
    this.sent = new Map(parts.sent.map((s) => [key(s[0], s[1], s[2]), s]));
  }
}

function key(broker: string, kind: string, reqId: string): string {
  return `${broker}\u0000${kind}\u0000${reqId}`;
}

const SENT_CODEC: PartCodec<Sent> = {
  entriesPerBlock: 4_096,
  write: (s, w) => {
    w.str(s[0]);
    w.str(s[1]);
    w.inline(s[2]);
    w.inline(s[3]);
  },
  read: (r): Sent => {
    const broker = r.str();
    const kind = r.str();
    if (kind !== 'massStatus' && kind !== 'orderStatus') throw new SnapshotFormatError(`unknown status request kind ${JSON.stringify(kind)}`);
    return [broker, kind, r.str(), r.str()];
  },
};
