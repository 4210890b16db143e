import type { SessionState } from '../../../shared/domain/order-types';
import type { UnitOfWork } from '../sqlite/commit-batch';
import type { BrokerConnection, BrokerListener, FixLogEntry, FixLogQuery, OutboundMessage, SentMessage, SessionStats } from '../broker/broker-port';

const MSG_TYPES: Record<OutboundMessage['type'], string> = { newOrder: 'D', replace: 'G', cancel: 'F', statusRequest: 'H', dontKnowTrade: 'Q', massStatusRequest: 'AF' };

/** A broker port that records what the desk sends; the test plays the broker's answers. */
export class FakeBroker implements BrokerConnection {
  state: SessionState = 'stopped';
  /** Everything sent but OrderMassStatusRequests, which go to `massStatusRequests`. */
  readonly sent: OutboundMessage[] = [];
  readonly massStatusRequests: string[] = [];
  accept = true;
  /** What `send` throws: a message, or an error as the FIX layer throws it (a store on a full disk). */
  refuse: string | Error | undefined;
  /** What stats() answers; tests change it to see the monitor follow. */
  figures: SessionStats = { nextIncomingSeqNum: 1, nextOutgoingSeqNum: 1, gapsDetected: 0, resendRequestsSent: 0, resendRequestsServed: 0, heldMessages: 0, inSchedule: true };
  /** The session's message log, oldest first. */
  readonly log: FixLogEntry[] = [];
  readonly calls: string[] = [];
  /** What reached the wire (once `enableHolds`): sent with no hold open, or released. */
  readonly written: OutboundMessage[] = [];
  /** The process was killed: nothing more reaches the wire (what is held stays unwritten). */
  dead = false;
  /** Holds writes as the FIX connection does (`enableHolds`); absent, the desk looks at a parent when due, not early. */
  holdWrites?: () => () => void;
  private holding = 0;
  private onHold: OutboundMessage[] = [];
  constructor(
    readonly broker: string,
    readonly listener: BrokerListener,
    /** The desk's unit of work, which a real connection runs each socket read in. */
    private readonly unitOfWork?: UnitOfWork,
  ) {}
  /** What one read from the socket delivers, in the desk's unit of work as the FIX connection runs it. */
  read(deliver: () => void): void {
    if (this.unitOfWork === undefined) throw new Error('no unit of work given to this fake');
    this.unitOfWork.batch(deliver);
  }
  start() {
    this.setState('loggedOn');
  }
  async stop() {
    this.setState('stopped');
  }
  send(message: OutboundMessage): SentMessage | undefined {
    if (this.refuse !== undefined) throw typeof this.refuse === 'string' ? new Error(this.refuse) : this.refuse;
    if (this.state !== 'loggedOn' || !this.accept) return undefined;
    if (message.type === 'massStatusRequest') this.massStatusRequests.push(message.massStatusReqId);
    else this.sent.push(message);
    if (this.holdWrites !== undefined && message.type !== 'massStatusRequest') {
      if (this.holding > 0) this.onHold.push(message);
      else if (!this.dead) this.written.push(message);
    }
    const msgType = MSG_TYPES[message.type];
    const id = 'clOrdId' in message ? `11=${message.clOrdId}|` : '';
    return { msgType, seqNum: ++this.seqNum, raw: `8=FIX.4.4|35=${msgType}|34=${this.seqNum}|${id}` };
  }
  private seqNum = 0;
  /** Makes this fake hold writes (`holdWrites`), tracking what reached the wire in `written`. */
  enableHolds(): void {
    this.holdWrites = () => {
      this.holding++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        if (--this.holding > 0) return;
        if (!this.dead) this.written.push(...this.onHold);
        this.onHold = [];
      };
    };
  }
  stats(): SessionStats {
    return this.figures;
  }
  connect() {
    this.calls.push('connect');
    if (this.state !== 'loggedOn') this.setState('loggedOn');
  }
  async logout(reason: string) {
    this.calls.push(`logout: ${reason}`);
    this.setState('stopped');
  }
  setNextSequenceNumbers(next: { readonly incoming?: number; readonly outgoing?: number }): { ok: true } | { ok: false; reason: string } {
    this.calls.push(`setNextSequenceNumbers ${JSON.stringify(next)}`);
    if (this.state === 'loggedOn') return { ok: false, reason: 'logged on' };
    this.figures = {
      ...this.figures,
      ...(next.incoming !== undefined && { nextIncomingSeqNum: next.incoming }),
      ...(next.outgoing !== undefined && { nextOutgoingSeqNum: next.outgoing }),
    };
    return { ok: true };
  }
  messageLog(query: FixLogQuery): FixLogEntry[] {
    return [...this.log]
      .reverse()
      .filter((e) => query.beforeId === undefined || e.id < query.beforeId)
      .filter((e) => query.direction === undefined || e.direction === query.direction)
      .filter((e) => query.msgType === undefined || e.msgType === query.msgType)
      .filter((e) => query.search === undefined || e.raw.toLowerCase().includes(query.search.toLowerCase()))
      .slice(0, query.limit);
  }
  setState(state: SessionState, error?: string) {
    this.state = state;
    this.listener.onState(this.broker, state, error);
  }
}
