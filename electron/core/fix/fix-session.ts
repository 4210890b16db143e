import type { SessionAlert } from '../broker/broker-port';
import type { Logger } from '../log/logger';
import type { UnitOfWork } from '../sqlite/commit-batch';
import type { Clock, TimerHandle } from '../time/clock';
import type { FixSessionStore, StoredMessage } from './fix-session-store';
import { maskSecrets } from './fix-session-store';
import type { FixField, Frame } from './fix-wire';
import { encodeMessage, fieldOf, fixTimestamp, FrameReader, parseFields, parseFixTimestamp, SOH } from './fix-wire';

/**
 * One FIX session over one connection: the FIX session layer (Logon, Heartbeat, TestRequest,
 * ResendRequest, SequenceReset, Reject, Logout), ours rather than jspurefix's, because the engine
 * answers a ResendRequest with one gap fill, hands over messages received after a gap before the
 * gap is filled, and checks no checksums on an initiator (see shared/fix-notes.md). It is used by
 * the desk's initiator and by the simulator's acceptor; sequence numbers and sent messages live in
 * a FixSessionStore, so a new connection (or a new process) carries on where the last one stopped.
 *
 * Inbound, per the FIX session rules:
 * - A garbled frame (bytes outside a message, bad BodyLength or CheckSum) is ignored and logged; it
 *   does not consume a sequence number, so the next good message shows the gap and a resend follows.
 * - MsgSeqNum as expected: processed, then the expected number advances (persisted after the
 *   listener returns: a crash in between replays the message, which the desk de-duplicates by ExecID).
 * - MsgSeqNum too high (a gap): we send ResendRequest for exactly the missing range and HOLD every
 *   message above the gap; when the resent messages (or gap fills) arrive, everything is processed in
 *   sequence order. A TestRequest or ResendRequest above the gap is answered at once (so the
 *   counterparty does not drop us) and skipped in order. No answer in `resendTimeoutMs`: an alert
 *   and the request once more; no answer again: the connection is dropped (the next logon asks
 *   again: the expected number never moved past an unprocessed message, so nothing is lost).
 * - MsgSeqNum too low with PossDupFlag=Y: a resend of something already processed: dropped.
 * - MsgSeqNum too low without PossDupFlag: a serious error (FIX: "manual intervention"): Logout
 *   with the reason, and the session halts (the owner does not reconnect by itself).
 * - SendingTime (52) missing or not a UTCTimestamp (e.g. `20261206-233508.116`): the message is
 *   refused with a session-level Reject (SessionRejectReason 1 "Required tag missing" or 6
 *   "Incorrect data format for value", RefTagID 52; FIX session test cases 2 and 14), its sequence
 *   number is used up, nothing of it is acted on, and an alert says so. On the Logon: Logout.
 *   (The accuracy check, reason 10, is not made: clocks of a test desk and a simulator differ.)
 *
 * Resend policy (outbound), when the counterparty sends ResendRequest:
 * - Our application messages that change orders (NewOrderSingle D, OrderCancelRequest F,
 *   OrderCancelReplaceRequest G, DontKnowTrade Q) are replayed from the store with PossDupFlag=Y,
 *   OrigSendingTime = the first SendingTime and the original MsgSeqNum. A broker seeing a PossDup
 *   order checks its ClOrdID: one it already has is not acted on twice; one it never got is
 *   acted on once. So nothing is lost and nothing is done twice.
 * - ...unless older than `replayMaxAgeSeconds` (per broker; default 300 s): an order that was held
 *   back longer is not sent to market at a stale moment. It is gap-filled, and an alert names its
 *   ClOrdIDs: the desk treats those orders as unknown to the broker until reconciled (status
 *   request). 0 turns replay off (gap fill everything, reconcile everything).
 * - Session messages (Logon, Heartbeat, TestRequest, ResendRequest, Reject, SequenceReset, Logout),
 *   status requests (H, AF: stale questions; the desk asks again at every logon) and anything the
 *   store no longer holds (retention) are gap-filled with SequenceReset-GapFill (123=Y).
 */

export interface FixSessionSettings {
  readonly role: 'initiator' | 'acceptor';
  readonly beginString: string;
  readonly senderCompId: string;
  readonly targetCompId: string;
  readonly senderSubId?: string;
  readonly targetSubId?: string;
  readonly senderLocationId?: string;
  readonly targetLocationId?: string;
  readonly heartbeatSeconds: number;
  /** Initiator: send ResetSeqNumFlag=Y (141) on Logon, starting both sides at 1. */
  readonly resetOnLogon: boolean;
  /** Extra Logon fields: Username, Password, DefaultApplVerID, custom logon tags. */
  readonly logonFields?: readonly FixField[];
  /** Extra header fields on every message (custom header tags). */
  readonly headerFields?: readonly FixField[];
  /** Application messages older than this are gap-filled rather than replayed (0 = never replay). */
  readonly replayMaxAgeSeconds?: number;
  /** The message types replayed on a ResendRequest. Default: our order messages D, F, G, Q. */
  readonly replayMsgTypes?: readonly string[];
  /** A ResendRequest not answered in this time raises an alert (and is sent once more). Default 10 s. */
  readonly resendTimeoutMs?: number;
  /** More held messages than this: the session gives up and drops the connection. Default 100,000. */
  readonly maxHeldMessages?: number;
  /**
   * Inbound administrative work a counterparty may cause per window: ResendRequests, TestRequests,
   * SequenceResets outside a resend, Rejects not of a message of ours, garbled or malformed messages.
   * Past it: Logout, an alert, and the rest of what it sent is not looked at. Default 100 per 60 s.
   */
  readonly adminBudget?: { readonly messages: number; readonly windowSeconds: number };
  /** SendingTime (52) of our messages; default a FIX UTCTimestamp. The simulator's broken-engine behaviour only. */
  readonly sendingTime?: (now: Date, msgType: string) => string;
  /**
   * When (ms on the clock) something else on the thread must run next (the algo scheduler's next
   * wake or send): a slice of received messages ends before it, however few it handled.
   */
  readonly nextDeadline?: () => number | undefined;
}

export interface SessionCounters {
  gapsDetected: number;
  resendRequestsSent: number;
  resendRequestsServed: number;
  /** ResendRequests that joined a replay already asked for or running (one replay in flight per session). */
  resendRequestsCoalesced?: number;
  possDupDropped: number;
  garbledIgnored: number;
  heldMessages: number;
  loggedOnAt?: Date;
  lastReceivedAt?: Date;
  lastSentAt?: Date;
  lastHeartbeatAt?: Date;
  lastResendAt?: Date;
}

export function newCounters(): SessionCounters {
  return { gapsDetected: 0, resendRequestsSent: 0, resendRequestsServed: 0, possDupDropped: 0, garbledIgnored: 0, heldMessages: 0 };
}

export type { SessionAlert };

/** How a session ended: after a Logout exchange, on an error (retry), or halted (needs a person). */
export type SessionEnd = 'normal' | 'error' | 'halt';

export interface InboundApplication {
  readonly msgType: string;
  readonly seqNum: number;
  readonly possDup: boolean;
  readonly fields: readonly FixField[];
  /** SOH shown as '|', passwords masked. */
  readonly raw: string;
}

export interface FixSessionEvents {
  onLoggedOn(logon: readonly FixField[]): void;
  onApplication(message: InboundApplication): void;
  /** A session-level Reject (35=3) of a message of ours: its fields, for the owner to correlate. */
  onSessionReject?(reject: InboundApplication): void;
  onAlert?(alert: SessionAlert): void;
  /** The session is over; the owner closes the socket (already asked for through the wire). */
  onEnded(reason: string, how: SessionEnd): void;
  /** Acceptor: decides a Logon; a string refuses it with that Text. */
  checkLogon?(fields: readonly FixField[]): string | undefined;
}

/** The connection under the session. */
export interface FixWire {
  write(text: string): void;
  /** Closes after pending writes. */
  close(): void;
  /** Stops reading (a backlog of received messages waits for the desk's thread), and starts again. */
  pause?(): void;
  resume?(): void;
}

const CLOSE = Symbol('close');

type Phase = 'new' | 'awaitingLogon' | 'loggedOn' | 'loggingOut' | 'ended';

/** An application message as the session stored it: what the owner journals beside its request. */
export interface SentMessage {
  readonly msgType: string;
  readonly seqNum: number;
  /** SOH shown as '|', passwords masked. */
  readonly raw: string;
}

/** A message numbered and stored, not yet written. */
export interface Prepared {
  readonly msgType: string;
  readonly seqNum: number;
  readonly text: string;
}

/** Message types never replayed: session messages and stale questions. */
const NEVER_REPLAYED = new Set(['0', '1', '2', '3', '4', '5', 'A', 'H', 'AF']);
const REPLAYED_BY_DEFAULT = ['D', 'F', 'G', 'Q'];
/** Header fields rebuilt when a stored message is replayed. */
const REBUILT_ON_REPLAY = new Set([8, 9, 10, 35, 43, 52, 97, 122]);
const INFINITY_SEQ = 999_999;
/** FIX SeqNum: a positive integer; engines keep it in 32 bits (signed). */
export const MAX_SEQ_NUM = 2_147_483_647;
const DEFAULT_ADMIN_BUDGET = { messages: 100, windowSeconds: 60 };
/** Garbled messages logged and raised one by one per budget window; the rest are counted. */
const LOUD_PER_WINDOW = 5;
/** A replay reads this many stored messages at a time and holds the thread at most this long per slice. */
const REPLAY_PAGE = 500;
const REPLAY_SLICE_MS = 4;
/** Handling received messages holds the thread at most this long per turn; past this many bytes waiting (~4,000 reports), the socket is paused. */
const INBOUND_SLICE_MS = 8;
/** A slice handles at least this many (a read of a few messages is one unit of work, whatever the machine's load). */
const MIN_PER_SLICE = 16;
const MAX_BACKLOG_CHARS = 1024 * 1024;
/** ClOrdIDs named in a "not resent" alert. */
const MAX_NAMED = 100;

/** A sequence number as FIX allows it (1 to 2^31-1; 0 too where it means "infinity"), else undefined. */
export function parseSeqNum(text: string | undefined, allowZero = false): number | undefined {
  if (text === undefined || !/^\d{1,10}$/.test(text)) return undefined;
  const n = Number(text);
  return n > MAX_SEQ_NUM || (n === 0 && !allowZero) ? undefined : n;
}

interface ReplayJob {
  begin: number;
  /** The next MsgSeqNum to look at, and the last one asked for. */
  next: number;
  end: number;
  /** The last MsgSeqNum sent when the replay was asked for: what came after is held back, not replayed. */
  readonly limit: number;
  requests: number;
  replayed: number;
  readonly notResent: string[];
  gapStart: number | undefined;
  timer: TimerHandle | undefined;
}

interface Held {
  readonly msgType: string;
  readonly fields: readonly FixField[];
  readonly text: string;
  /** Already acted on when it arrived (TestRequest, ResendRequest, Logon): only the number counts. */
  readonly handled: boolean;
}

export class FixSession {
  private phase: Phase = 'new';
  /** While a read is handled: what to write (or close) once its transaction committed. */
  private outbox: Array<string | typeof CLOSE> | undefined;
  /** Sent inside an owner's batch, written in one go when it commits. */
  private unwritten: string | undefined;
  private readonly reader = new FrameReader();
  private readonly held = new Map<number, Held>();
  private resend: { begin: number; end: number; tries: number; timer: TimerHandle | undefined } | undefined;
  private draining: TimerHandle | undefined;
  private paused = false;
  /** The replay a ResendRequest of this read asked for, started once the read committed. */
  private pendingReplay: ReplayJob | undefined;
  /** The replay running (one per session), and what was sent meanwhile, written after it. */
  private replayJob: ReplayJob | undefined;
  private heldBack = '';
  /** Writes on hold (`holdWrites`), one segment per hold, oldest first: what is written meanwhile joins the newest. */
  private holds: Array<{ readonly chunks: string[]; released: boolean }> = [];
  /** The inbound administrative budget's window. */
  private readonly budget = { windowStartMs: 0, used: 0 };
  /** Our MsgSeqNums the counterparty rejected (35=3) on this connection. */
  private readonly rejectedRefs = new Set<number>();
  private tickTimer: TimerHandle | undefined;
  private lastSentMs = 0;
  private lastReceivedMs = 0;
  private testRequest: { id: string; sentMs: number } | undefined;
  private endedReason: string | undefined;
  /** The heartbeat interval in force: ours, or (acceptor) the one the initiator's Logon asked for. */
  private heartbeatSeconds: number;

  constructor(
    private readonly settings: FixSessionSettings,
    private readonly store: FixSessionStore,
    private readonly wire: FixWire,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly events: FixSessionEvents,
    private readonly counters: SessionCounters = newCounters(),
    /**
     * Whose transaction a socket read runs in, and what waits for its commit: the owner's when the
     * store lives in the owner's database (the desk's journal: its events and the session's messages
     * in one commit), else the store's own.
     */
    private readonly unitOfWork: UnitOfWork = store,
  ) {
    this.heartbeatSeconds = settings.heartbeatSeconds;
  }

  get loggedOn(): boolean {
    return this.phase === 'loggedOn';
  }

  get ended(): boolean {
    return this.phase === ('ended' as Phase);
  }

  /**
   * Initiator: sends Logon (with ResetSeqNumFlag=Y, both sides starting at 1, when configured or
   * when `reset` asks for it: the daily reset of a schedule). Acceptor: waits for one.
   */
  start(reset = false): void {
    if (this.phase !== 'new') return;
    this.phase = 'awaitingLogon';
    const now = this.clock.now().getTime();
    this.lastReceivedMs = now;
    if (this.settings.role === 'initiator') {
      const withReset = reset || this.settings.resetOnLogon;
      if (withReset) this.store.reset();
      this.sendLogon(withReset);
    }
    this.scheduleTick();
  }

  /**
   * Bytes from the socket. What one slice of the thread takes of them (at most INBOUND_SLICE_MS of
   * handling; the rest waits for the next turn, the socket paused while that backlog is long) is one
   * unit of work: one commit (the owner's events and the session's messages and numbers); what the
   * handling sends is written to the socket only after it (write-ahead, and one write instead of many).
   */
  receive(chunk: Buffer | string): void {
    this.reader.append(chunk);
    if (this.reader.pending > MAX_BACKLOG_CHARS && !this.paused) {
      this.paused = true;
      this.wire.pause?.();
    }
    if (this.draining === undefined) this.drainBacklog();
  }

  /** Handles what was received, a slice of the thread at a time (bytes are framed as they are handled). */
  private drainBacklog(): void {
    this.draining = undefined;
    let frame = this.ended ? undefined : this.reader.next();
    if (frame === undefined) {
      this.resumeReading();
      return;
    }
    const started = performance.now();
    const { sliceMs, minimum } = this.sliceBudget();
    const outbox: Array<string | typeof CLOSE> = [];
    this.outbox = outbox;
    let failure: unknown;
    let more = false;
    try {
      this.unitOfWork.batch(() => {
        for (let handled = 1; frame !== undefined && !this.ended; handled++) {
          this.onFrame(frame);
          if (handled >= minimum && performance.now() - started >= sliceMs) {
            more = true;
            break;
          }
          frame = this.reader.next();
        }
      });
    } catch (error) {
      failure = error;
    }
    this.outbox = undefined;
    if (this.ended) this.reader.discard();
    else if (more && failure === undefined) this.draining = this.clock.setTimeout(() => this.drainBacklog(), 0);
    this.resumeReading();
    if (failure === undefined) {
      this.flush(outbox);
      // Once what was received is handled: every ResendRequest in it joins the one replay.
      if (this.pendingReplay !== undefined && this.draining === undefined && this.holds.length === 0) this.startReplay();
      return;
    }
    this.reader.discard();
    // Not stored (a full disk): nothing of the read counts; the next logon's resend brings it again.
    // Never thrown into the socket's handler.
    this.pendingReplay = undefined;
    const reason = `could not store received messages: ${failure instanceof Error ? failure.message : String(failure)}`;
    this.log.error(reason);
    if (!this.ended) {
      this.alert('error', `${reason}; the session is dropped and logs on again, the ${this.peerName} resends what was not stored`);
      this.end(reason, 'error');
    } else this.wire.close();
  }

  /** Reads again once the bytes waiting are down to half the limit (or the session ended). */
  private resumeReading(): void {
    if (this.paused && (this.ended || this.reader.pending <= MAX_BACKLOG_CHARS / 2)) {
      this.paused = false;
      this.wire.resume?.();
    }
  }

  /**
   * A handled slice's replies, after its commit. While a replay is asked for or running, what was
   * numbered after the request waits behind it; what was numbered before goes now (the replay may
   * repeat it, marked PossDup: never the other way round).
   */
  private flush(outbox: ReadonlyArray<string | typeof CLOSE>): void {
    const replay = this.replayJob ?? this.pendingReplay;
    let pending = '';
    for (const item of outbox) {
      if (item === CLOSE) {
        if (pending !== '') this.writeNow(pending);
        pending = '';
        this.flushHeldBack();
        this.wire.close();
        return;
      }
      if (replay !== undefined && seqNumOf(item) > replay.limit) this.heldBack += item;
      else pending += item;
    }
    if (pending !== '') this.writeNow(pending);
  }

  /** To the socket, or behind the writes on hold. */
  private writeNow(text: string): void {
    const newest = this.holds.at(-1);
    if (newest !== undefined) newest.chunks.push(text);
    else this.wire.write(text);
  }

  /**
   * Holds every write to the socket until the returned release is called: what is sent meanwhile is
   * numbered, stored and committed as usual, and waits, in order. A sender that prepares ahead of a
   * due time (the algo scheduler) writes at that time. Holds may overlap: each one's writes go out
   * once it and every hold before it are released. A replay asked for meanwhile starts after them;
   * the end of the session drops them (stored, so the next logon's resend answers for them).
   */
  holdWrites(): () => void {
    const segment = { chunks: [] as string[], released: false };
    this.holds.push(segment);
    return () => {
      if (segment.released) return;
      segment.released = true;
      while (this.holds[0]?.released === true) this.writeReleased((this.holds.shift() as typeof segment).chunks);
      if (this.holds.length === 0 && this.pendingReplay !== undefined && this.draining === undefined && !this.ended) this.startReplay();
    };
  }

  private writeReleased(chunks: readonly string[]): void {
    if (this.ended) return;
    const replay = this.replayJob ?? this.pendingReplay;
    for (const chunk of chunks) {
      if (replay !== undefined && seqNumOf(chunk) > replay.limit) this.heldBack += chunk;
      else this.wire.write(chunk);
    }
  }

  /** A slice's time: INBOUND_SLICE_MS, or less (down to one message) when a deadline comes sooner. */
  private sliceBudget(): { readonly sliceMs: number; readonly minimum: number } {
    const deadline = this.settings.nextDeadline?.();
    const left = deadline === undefined ? Number.POSITIVE_INFINITY : deadline - this.clock.now().getTime() - 1;
    return left >= INBOUND_SLICE_MS ? { sliceMs: INBOUND_SLICE_MS, minimum: MIN_PER_SLICE } : { sliceMs: Math.max(0, left), minimum: 1 };
  }

  /** The socket closed (or failed). */
  transportClosed(reason: string): void {
    if (this.ended) return;
    this.end(this.phase === 'loggingOut' ? 'logged out' : reason, this.phase === 'loggingOut' ? 'normal' : 'error');
  }

  /**
   * Sends an application message: numbered and stored (in the open transaction, if any), written to
   * the socket once that commits. Returns what was stored (SOH shown as '|', passwords masked), or
   * undefined when not logged on (nothing was sent).
   */
  sendApplication(msgType: string, body: readonly FixField[]): SentMessage | undefined {
    if (this.phase !== 'loggedOn') return undefined;
    const prepared = this.prepare(msgType, body);
    this.write(prepared.text);
    return { msgType, seqNum: prepared.seqNum, raw: display(prepared.text) };
  }

  /** Starts a Logout; the session ends when the counterparty confirms (or the owner gives up). */
  logout(text: string): void {
    if (this.phase === 'loggedOn') {
      this.phase = 'loggingOut';
      this.sendMessage('5', [[58, text]]);
    } else if (this.phase !== 'ended' && this.phase !== 'loggingOut') {
      this.end(text, 'normal');
    }
  }

  /** Ends now without a Logout (the socket is closed). */
  abort(reason: string, how: SessionEnd = 'error'): void {
    if (!this.ended) this.end(reason, how);
  }

  // ---- inbound -------------------------------------------------------------------------------

  private onFrame(frame: Frame): void {
    const now = this.clock.now();
    if (frame.kind === 'garbled') {
      if (!this.charge('a garbled message')) return;
      this.counters.garbledIgnored++;
      // Each one is counted; the first few of a window are stored, logged and raised (a flood is the budget's alert).
      if (this.budget.used <= LOUD_PER_WINDOW) {
        this.store.recordIncoming(0, 'garbled', false, now, frame.text.slice(0, 4096));
        this.log.warn(`ignored a garbled message: ${frame.reason}`, { text: display(frame.text).slice(0, 300) });
        this.alert('warning', `ignored a garbled message from the counterparty: ${frame.reason}`);
      }
      return;
    }
    const fields = frame.fields;
    const msgType = fieldOf(fields, 35) ?? '';
    const seqNum = parseSeqNum(fieldOf(fields, 34)) ?? NaN;
    const possDup = fieldOf(fields, 43) === 'Y';
    this.store.recordIncoming(Number.isNaN(seqNum) ? 0 : seqNum, msgType, possDup, now, frame.text);
    this.lastReceivedMs = now.getTime();
    this.counters.lastReceivedAt = now;
    this.testRequest = undefined;

    const problem = this.headerProblem(fields, msgType, seqNum);
    if (problem !== undefined) {
      this.log.error(`${problem}: logging out`, { raw: display(frame.text) });
      this.alert('error', problem);
      if (this.phase === 'loggedOn') this.sendMessage('5', [[58, problem]]);
      this.end(problem, 'error');
      return;
    }

    if (this.phase === 'awaitingLogon') {
      this.beforeLogon(msgType, seqNum, possDup, fields, frame.text);
      return;
    }
    if (!this.chargeAdmin(msgType, fields, possDup)) return;
    if (msgType === 'A') {
      this.log.warn('ignoring a Logon received while logged on', { seqNum });
      if (seqNum === this.expected) this.advance(seqNum + 1);
      return;
    }
    if (msgType === '4' && fieldOf(fields, 123) !== 'Y') {
      this.sequenceResetMode(fields, seqNum, frame.text);
      return;
    }
    this.sequenced(msgType, seqNum, possDup, fields, frame.text);
  }

  private headerProblem(fields: readonly FixField[], msgType: string, seqNum: number): string | undefined {
    const begin = fieldOf(fields, 8);
    if (begin !== this.settings.beginString) return `incorrect BeginString ${begin ?? '(none)'}: expected ${this.settings.beginString}`;
    if (msgType === '') return 'message without MsgType (35)';
    if (Number.isNaN(seqNum)) {
      const text = fieldOf(fields, 34);
      return text === undefined ? `message ${msgType} without MsgSeqNum (34)` : `message ${msgType} with MsgSeqNum (34) '${text.slice(0, 40)}', not a sequence number (1 to ${MAX_SEQ_NUM})`;
    }
    const sender = fieldOf(fields, 49);
    const target = fieldOf(fields, 56);
    if (sender !== this.settings.targetCompId || target !== this.settings.senderCompId) {
      return `CompID problem: received SenderCompID ${sender ?? '(none)'} TargetCompID ${target ?? '(none)'}, expected ${this.settings.targetCompId} / ${this.settings.senderCompId}`;
    }
    return undefined;
  }

  private get expected(): number {
    return this.store.sequences.nextIn;
  }

  private beforeLogon(msgType: string, seqNum: number, possDup: boolean, fields: readonly FixField[], text: string): void {
    if (msgType === '5') {
      const reason = fieldOf(fields, 58) ?? '(no reason given)';
      this.log.warn('counterparty sent Logout instead of Logon', { text: reason });
      if (seqNum === this.expected) this.advance(seqNum + 1);
      this.end(`logged out by the ${this.peerName}: ${reason}`, 'error');
      return;
    }
    if (msgType !== 'A') {
      const reason = `first message was ${msgType}, not Logon`;
      this.log.error(reason, { raw: display(text) });
      this.end(reason, 'error');
      return;
    }
    const badTime = sendingTimeProblem(fields);
    if (badTime !== undefined) {
      const reason = `Logon refused: ${badTime.text}`;
      this.log.error(reason, { raw: display(text) });
      this.alert('error', reason);
      this.sendMessage('5', [[58, reason]]);
      this.end(reason, 'error');
      return;
    }
    const resetFlag = fieldOf(fields, 141) === 'Y';
    if (this.settings.role === 'acceptor') {
      const refusal = this.events.checkLogon?.(fields);
      if (refusal !== undefined) {
        this.log.warn(`refusing logon: ${refusal}`);
        this.sendMessage('5', [[58, refusal]]);
        this.end(`refused a logon: ${refusal}`, 'error');
        return;
      }
      if (resetFlag) {
        this.store.reset();
        this.log.info('counterparty reset sequence numbers (141=Y): both sides start at 1');
      }
      const hb = Number(fieldOf(fields, 108));
      if (Number.isInteger(hb) && hb > 0) this.heartbeatSeconds = hb;
      this.sendLogon(resetFlag);
    } else if (resetFlag && !this.settings.resetOnLogon) {
      // The acceptor reset its numbers on its own: take its number as the next expected.
      this.log.warn('counterparty answered our Logon with ResetSeqNumFlag=Y', { seqNum });
      this.store.setNextIn(seqNum);
    }
    if (seqNum < this.expected && !possDup) {
      this.tooLow(seqNum, 'Logon');
      return;
    }
    this.phase = 'loggedOn';
    const now = this.clock.now();
    this.counters.loggedOnAt = now;
    this.log.info('logged on', { nextIn: this.expected, nextOut: this.store.sequences.nextOut });
    this.events.onLoggedOn(fields);
    if (seqNum === this.expected) this.advance(seqNum + 1);
    else if (seqNum > this.expected) this.hold(seqNum, { msgType, fields, text, handled: true });
  }

  /** SequenceReset in reset mode (123 absent or N): sets the next expected number, whatever its own number. */
  private sequenceResetMode(fields: readonly FixField[], seqNum: number, text: string): void {
    const newSeqNo = parseSeqNum(fieldOf(fields, 36));
    if (newSeqNo === undefined) {
      this.refuseValue(seqNum, '4', 36, `NewSeqNo (36) '${(fieldOf(fields, 36) ?? '').slice(0, 40)}' is not a sequence number (1 to ${MAX_SEQ_NUM})`, text);
      return;
    }
    if (newSeqNo < this.expected) {
      this.log.warn('ignored a SequenceReset that would lower the expected MsgSeqNum', { newSeqNo: fieldOf(fields, 36), expected: this.expected });
      this.sendReject(seqNum, '4', 5, `NewSeqNo ${fieldOf(fields, 36) ?? '(none)'} is below the expected ${this.expected}`);
      return;
    }
    this.log.warn(`counterparty reset the sequence (SequenceReset-Reset): next expected MsgSeqNum ${newSeqNo}`, { was: this.expected });
    this.alert('warning', `SequenceReset-Reset from the counterparty: MsgSeqNum ${this.expected} to ${newSeqNo - 1} will never arrive`);
    this.advance(newSeqNo);
    this.drain();
  }

  private sequenced(msgType: string, seqNum: number, possDup: boolean, fields: readonly FixField[], text: string): void {
    const expected = this.expected;
    if (seqNum === expected) {
      this.process(msgType, seqNum, possDup, fields, text);
      this.drain();
      return;
    }
    if (seqNum < expected) {
      if (possDup) {
        this.counters.possDupDropped++;
        this.log.info(`dropped a PossDup resend of MsgSeqNum ${seqNum} (${msgType}): already processed`, { expected });
        return;
      }
      this.tooLow(seqNum, msgType);
      return;
    }
    // A gap. Logout is taken at once; TestRequest and ResendRequest are answered at once.
    if (msgType === '5') {
      this.process(msgType, seqNum, possDup, fields, text);
      return;
    }
    let handled = false;
    if (msgType === '1' || msgType === '2') {
      this.sessionMessage(msgType, seqNum, fields, text);
      handled = true;
    }
    this.hold(seqNum, { msgType, fields, text, handled });
  }

  private tooLow(seqNum: number, msgType: string): void {
    const reason = `MsgSeqNum too low, expecting ${this.expected} but received ${seqNum}`;
    this.log.error(`${reason} (${msgType} without PossDupFlag): logging out; the session needs a person (FIX: manual intervention)`);
    this.alert('error', `${reason}: session halted, check the sequence numbers with the counterparty`);
    this.sendMessage('5', [[58, reason]]);
    this.end(reason, 'halt');
  }

  private hold(seqNum: number, message: Held): void {
    if (this.held.has(seqNum)) return;
    this.held.set(seqNum, message);
    this.counters.heldMessages = this.held.size;
    if (this.held.size > (this.settings.maxHeldMessages ?? 100_000)) {
      const reason = `more than ${this.settings.maxHeldMessages ?? 100_000} messages held behind a sequence gap at ${this.expected}`;
      this.log.error(reason);
      this.alert('error', reason);
      this.end(reason, 'error');
      return;
    }
    if (this.resend === undefined) this.requestResend();
  }

  /** Asks for exactly the missing range: from the expected number to just below the lowest held. */
  private requestResend(again = false): void {
    const lowest = Math.min(...this.held.keys());
    const begin = this.expected;
    const end = lowest - 1;
    if (end < begin) return;
    if (!again) this.counters.gapsDetected++;
    this.counters.resendRequestsSent++;
    this.counters.lastResendAt = this.clock.now();
    const text = `sequence gap: expected MsgSeqNum ${begin}, received ${lowest}; sent ResendRequest ${begin}-${end}, holding ${this.held.size} message(s) until it is filled`;
    this.log.warn(again ? `ResendRequest ${begin}-${end} sent again` : text);
    if (!again) this.alert('warning', text);
    this.sendMessage('2', [
      [7, String(begin)],
      [16, String(end)],
    ]);
    const tries = (again ? (this.resend?.tries ?? 0) : 0) + 1;
    const timeoutMs = this.settings.resendTimeoutMs ?? 10_000;
    const timer = this.clock.setTimeout(() => this.resendTimedOut(begin, end), timeoutMs);
    if (this.resend?.timer !== undefined) this.clock.clearTimeout(this.resend.timer);
    this.resend = { begin, end, tries, timer };
  }

  private resendTimedOut(begin: number, end: number): void {
    const resend = this.resend;
    if (resend === undefined || this.ended) return;
    resend.timer = undefined;
    const seconds = (this.settings.resendTimeoutMs ?? 10_000) / 1000;
    const text = `ResendRequest ${begin}-${end} not answered within ${seconds} s (${this.held.size} message(s) held)`;
    if (resend.tries >= 2) {
      this.log.error(`${text}: dropping the connection; the next logon asks again`);
      this.alert('error', `${text}: reconnecting`);
      this.end(text, 'error');
      return;
    }
    this.log.error(text);
    this.alert('error', text);
    this.requestResend(true);
  }

  /** Processes held messages that are now in sequence. */
  private drain(): void {
    for (const seq of [...this.held.keys()]) if (seq < this.expected) this.held.delete(seq);
    for (;;) {
      if (this.ended) return;
      const next = this.held.get(this.expected);
      if (next === undefined) break;
      const seq = this.expected;
      this.held.delete(seq);
      if (next.handled) this.advance(seq + 1);
      else this.process(next.msgType, seq, fieldOf(next.fields, 43) === 'Y', next.fields, next.text);
    }
    if (this.ended) return;
    for (const seq of [...this.held.keys()]) if (seq < this.expected) this.held.delete(seq);
    this.counters.heldMessages = this.held.size;
    if (this.resend !== undefined && this.expected > this.resend.end) {
      if (this.resend.timer !== undefined) this.clock.clearTimeout(this.resend.timer);
      this.resend = undefined;
      this.log.info(`sequence gap filled: next expected MsgSeqNum ${this.expected}`, { stillHeld: this.held.size });
    }
    if (this.held.size > 0 && this.resend === undefined) this.requestResend();
  }

  /** One in-sequence message: act on it, then advance the expected number. */
  private process(msgType: string, seqNum: number, possDup: boolean, fields: readonly FixField[], text: string): void {
    const badTime = msgType === '5' ? undefined : sendingTimeProblem(fields); // a Logout is taken whatever its header
    if (badTime !== undefined) {
      this.refuseSendingTime(msgType, seqNum, badTime, text);
      this.advance(seqNum + 1);
      return;
    }
    if (msgType === '4') {
      const newSeqNo = parseSeqNum(fieldOf(fields, 36));
      if (newSeqNo === undefined) {
        this.refuseValue(seqNum, '4', 36, `NewSeqNo (36) '${(fieldOf(fields, 36) ?? '').slice(0, 40)}' is not a sequence number (1 to ${MAX_SEQ_NUM})`, text);
        this.advance(seqNum + 1);
        return;
      }
      if (newSeqNo <= seqNum) {
        this.log.warn('ignored a gap fill with a NewSeqNo not above its own MsgSeqNum', { seqNum, newSeqNo: fieldOf(fields, 36) });
        this.sendReject(seqNum, '4', 5, `NewSeqNo ${fieldOf(fields, 36) ?? '(none)'} must be above MsgSeqNum ${seqNum}`);
        this.advance(seqNum + 1);
        return;
      }
      this.log.debug(`gap fill ${seqNum} to ${newSeqNo - 1}`);
      this.advance(newSeqNo);
      return;
    }
    if (isSessionMessage(msgType)) {
      this.sessionMessage(msgType, seqNum, fields, text);
      if (!this.ended) this.advance(seqNum + 1);
      return;
    }
    try {
      this.events.onApplication(inboundApplication(msgType, seqNum, possDup, fields, text));
    } catch (e) {
      // The owner could not store it (a full disk): the message is not taken, nor its number (the read ends here).
      if (isStorageError(e)) throw e;
      this.log.error('the application handler threw', { error: e instanceof Error ? e.message : String(e) });
    }
    this.advance(seqNum + 1);
  }

  private sessionMessage(msgType: string, seqNum: number, fields: readonly FixField[], text: string): void {
    switch (msgType) {
      case '0':
        this.counters.lastHeartbeatAt = this.clock.now();
        return;
      case '1':
        this.sendMessage('0', [[112, fieldOf(fields, 112) ?? '']]);
        return;
      case '2': {
        const begin = parseSeqNum(fieldOf(fields, 7));
        const end = parseSeqNum(fieldOf(fields, 16) ?? '0', true);
        if (begin === undefined || end === undefined) {
          const tag = begin === undefined ? 7 : 16;
          const problem = `${tag === 7 ? 'BeginSeqNo (7)' : 'EndSeqNo (16)'} '${(fieldOf(fields, tag) ?? '').slice(0, 40)}' is not a sequence number (${tag === 7 ? 1 : 0} to ${MAX_SEQ_NUM})`;
          this.refuseValue(seqNum, '2', tag, problem, text);
          return;
        }
        this.serveResend(begin, end);
        return;
      }
      case '3': {
        this.log.warn('session-level Reject from the counterparty', { raw: display(text) });
        this.events.onSessionReject?.({ msgType, seqNum, possDup: fieldOf(fields, 43) === 'Y', fields, raw: display(text) });
        return;
      }
      case '5': {
        const reason = fieldOf(fields, 58);
        if (this.phase === 'loggingOut') {
          this.log.info('counterparty confirmed our Logout');
          this.advance(seqNum + 1);
          this.end('logged out', 'normal');
        } else {
          this.log.warn('counterparty sent Logout', { text: reason });
          this.advance(seqNum + 1);
          this.sendMessage('5', []);
          this.end(`logged out by the ${this.peerName}: ${reason ?? '(no reason given)'}`, 'error');
        }
        return;
      }
    }
  }

  // ---- resend policy (outbound) -------------------------------------------------------------

  /**
   * A ResendRequest, during a read: what it asks joins the replay already asked for in this read or
   * running (one replay in flight per session: 500 requests for everything cost one replay), else it
   * is the replay that starts once the read committed (`startReplay`).
   */
  private serveResend(begin: number, requestedEnd: number): void {
    const lastSent = this.store.sequences.nextOut - 1;
    const end = requestedEnd === 0 || requestedEnd >= INFINITY_SEQ || requestedEnd > lastSent ? lastSent : requestedEnd;
    if (begin > end) {
      this.log.warn('ignored a ResendRequest for nothing we sent', { begin, end: requestedEnd, lastSent });
      return;
    }
    this.counters.lastResendAt = this.clock.now();
    const running = this.replayJob ?? this.pendingReplay;
    if (running !== undefined) {
      // Messages sent after a running replay started are held back until it ends: they come then.
      running.end = Math.max(running.end, Math.min(end, running.limit));
      running.begin = Math.min(running.begin, begin);
      running.requests++;
      this.counters.resendRequestsCoalesced = (this.counters.resendRequestsCoalesced ?? 0) + 1;
      return;
    }
    this.counters.resendRequestsServed++;
    this.pendingReplay = { begin, next: begin, end, limit: lastSent, requests: 1, replayed: 0, notResent: [], gapStart: undefined, timer: undefined };
  }

  /**
   * After the read that asked for it committed and its replies were written: the replay, from the
   * store, in slices of at most REPLAY_SLICE_MS on the desk's thread. Everything sent meanwhile waits
   * behind it (`toWire`), so the counterparty sees the replay, then what followed, in order.
   */
  private startReplay(): void {
    const job = this.pendingReplay;
    this.pendingReplay = undefined;
    if (job === undefined || this.ended) return;
    this.replayJob = job;
    this.replaySlice();
  }

  private replaySlice(): void {
    const job = this.replayJob;
    if (job === undefined || this.ended) return;
    job.timer = undefined;
    const started = performance.now();
    const nowMs = this.clock.now().getTime();
    const maxAgeMs = (this.settings.replayMaxAgeSeconds ?? 300) * 1000;
    const replayedTypes = new Set((this.settings.replayMsgTypes ?? REPLAYED_BY_DEFAULT).filter((t) => !NEVER_REPLAYED.has(t)));
    let out = '';
    pages: while (job.next <= job.end) {
      const page = this.store.outgoingPage(job.next, job.end, REPLAY_PAGE);
      for (const m of page) {
        if (m.seqNum < job.next) continue;
        if (m.seqNum > job.next) job.gapStart ??= job.next; // not in the store (retention): gap-filled
        const replayable = replayedTypes.has(m.msgType) && maxAgeMs > 0 && nowMs - Date.parse(m.at) <= maxAgeMs;
        if (replayable) {
          if (job.gapStart !== undefined) out += this.gapFillText(job.gapStart, m.seqNum);
          job.gapStart = undefined;
          out += this.replayText(m);
          job.replayed++;
        } else {
          if (!NEVER_REPLAYED.has(m.msgType) && job.notResent.length < MAX_NAMED) {
            const clOrdId = fieldOf(parseFields(m.raw) ?? [], 11);
            if (clOrdId !== undefined) job.notResent.push(clOrdId);
          }
          job.gapStart ??= m.seqNum;
        }
        job.next = m.seqNum + 1;
        if (performance.now() - started >= REPLAY_SLICE_MS) break pages;
      }
      if (page.length < REPLAY_PAGE) {
        job.gapStart ??= job.next;
        job.next = job.end + 1;
      }
    }
    const done = job.next > job.end;
    if (done && job.gapStart !== undefined && job.gapStart <= job.end) out += this.gapFillText(job.gapStart, job.end + 1);
    if (out !== '') {
      this.wire.write(out);
      this.lastSentMs = nowMs;
      this.counters.lastSentAt = this.clock.now();
    }
    if (!done) {
      job.timer = this.clock.setTimeout(() => this.replaySlice(), 0);
      return;
    }
    this.replayJob = undefined;
    const coalesced = job.requests > 1 ? ` (${job.requests} ResendRequests coalesced into this one replay)` : '';
    this.log.info(`answered ResendRequest ${job.begin}-${job.end}: replayed ${job.replayed} application message(s) with PossDupFlag=Y, gap-filled the rest${coalesced}`, {
      notReplayed: job.notResent.length,
    });
    if (job.notResent.length > 0) {
      this.alert('warning', `${job.notResent.length} order message(s) older than ${maxAgeMs / 1000} s were gap-filled, not resent: unknown to the broker until reconciled`, job.notResent);
    }
    this.flushHeldBack();
  }

  /** A stored message again, with PossDupFlag=Y and OrigSendingTime: not stored again (the store has it). */
  private replayText(m: StoredMessage): string {
    const fields = parseFields(m.raw);
    if (fields === undefined) return '';
    const origSendingTime = fieldOf(fields, 52) ?? fixTimestamp(new Date(m.at));
    const rest: FixField[] = [];
    for (const f of fields) {
      if (REBUILT_ON_REPLAY.has(f[0])) continue;
      rest.push(f);
      if (f[0] === 34) rest.push([43, 'Y'], [52, fixTimestamp(this.clock.now())], [122, origSendingTime]);
    }
    return encodeMessage(this.settings.beginString, m.msgType, rest);
  }

  private gapFillText(from: number, newSeqNo: number): string {
    const now = this.clock.now();
    return encodeMessage(this.settings.beginString, '4', [...this.header(from, now), [43, 'Y'], [122, fixTimestamp(now)], [123, 'Y'], [36, String(newSeqNo)]]);
  }

  /** To the socket, or (while a replay runs) behind it. Only what was committed gets here. */
  private toWire(text: string): void {
    if (this.replayJob !== undefined || this.pendingReplay !== undefined) this.heldBack += text;
    else this.writeNow(text);
  }

  private flushHeldBack(): void {
    const text = this.heldBack;
    this.heldBack = '';
    if (text !== '') this.writeNow(text);
  }

  private cancelReplay(): void {
    if (this.replayJob?.timer !== undefined) this.clock.clearTimeout(this.replayJob.timer);
    this.replayJob = undefined;
    this.pendingReplay = undefined;
    this.flushHeldBack();
  }

  /** The inbound administrative budget: false (and the session is over) when this message is past it. */
  private chargeAdmin(msgType: string, fields: readonly FixField[], possDup: boolean): boolean {
    switch (msgType) {
      case '1':
        return this.charge('a TestRequest');
      case '2':
        return this.charge('a ResendRequest');
      case '4':
        return possDup || this.charge('a SequenceReset'); // a gap fill in a resend we asked for is free
      case '3': {
        // Each message of ours may be rejected once for free; anything else is charged.
        const ref = parseSeqNum(fieldOf(fields, 45));
        if (ref !== undefined && ref < this.store.sequences.nextOut && !this.rejectedRefs.has(ref)) {
          this.rejectedRefs.add(ref);
          return true;
        }
        return this.charge('a Reject of no message of ours');
      }
      default:
        return true;
    }
  }

  private charge(what: string): boolean {
    if (this.ended) return false;
    const { messages, windowSeconds } = this.settings.adminBudget ?? DEFAULT_ADMIN_BUDGET;
    const nowMs = this.clock.now().getTime();
    if (nowMs - this.budget.windowStartMs >= windowSeconds * 1000) {
      this.budget.windowStartMs = nowMs;
      this.budget.used = 0;
    }
    this.budget.used++;
    if (this.budget.used <= messages) return true;
    const reason = `the ${this.peerName} sent more than ${messages} administrative or malformed messages within ${windowSeconds} s (the last: ${what}): logged out, the rest of what it sent was not looked at`;
    this.log.error(reason);
    this.alert('error', reason);
    if (this.phase === 'loggedOn') this.sendMessage('5', [[58, `too many administrative or malformed messages (more than ${messages} in ${windowSeconds} s)`]]);
    this.end(reason, 'error');
    return false;
  }

  /** An application message its owner could not read (missing or bad fields): charged to the same budget. */
  noteMalformed(): void {
    this.charge('a malformed application message');
  }

  // ---- outbound ------------------------------------------------------------------------------

  private sendLogon(reset: boolean): void {
    const fields: FixField[] = [
      [98, '0'],
      [108, String(this.heartbeatSeconds)],
      ...(reset ? ([[141, 'Y']] as FixField[]) : []),
      ...(this.settings.logonFields ?? []),
    ];
    this.sendMessage('A', fields);
  }

  private sendReject(refSeqNum: number, refMsgType: string, reason: number, text: string, refTagId?: number): void {
    this.sendMessage('3', [
      [45, String(refSeqNum)],
      ...(refTagId !== undefined ? ([[371, String(refTagId)]] as FixField[]) : []),
      [372, refMsgType],
      [373, String(reason)],
      [58, text],
    ]);
  }

  /** A message whose SendingTime breaks the rules: a session-level Reject, an alert, nothing acted on. */
  private refuseSendingTime(msgType: string, seqNum: number, problem: { reason: number; text: string }, text: string): void {
    this.log.error(`refused MsgSeqNum ${seqNum} (${msgType}): ${problem.text}`, { raw: display(text) });
    this.alert('error', `refused message ${msgType} MsgSeqNum ${seqNum}: ${problem.text}; answered with a session Reject (SessionRejectReason ${problem.reason}), nothing in it was applied`);
    this.sendReject(seqNum, msgType, problem.reason, problem.text, 52);
  }

  /**
   * A sequence number outside FIX's range (a positive integer; engines keep 32 bits): a session-level
   * Reject (SessionRejectReason 5, value out of range, with the tag), an alert, nothing of it applied.
   */
  private refuseValue(seqNum: number, msgType: string, tag: number, problem: string, text: string): void {
    this.log.error(`refused MsgSeqNum ${seqNum} (${msgType}): ${problem}`, { raw: display(text).slice(0, 500) });
    this.alert('error', `refused message ${msgType} MsgSeqNum ${seqNum}: ${problem}; answered with a session Reject (SessionRejectReason 5), nothing in it was applied`);
    this.sendReject(seqNum, msgType, 5, problem, tag);
  }

  /** A session-level Reject (35=3) of the counterparty's message (the simulator's broken-engine behaviours). */
  rejectMessage(refSeqNum: number, refMsgType: string, reason: number, text: string, refTagId?: number): void {
    if (this.phase === 'loggedOn') this.sendReject(refSeqNum, refMsgType, reason, text, refTagId);
  }

  private header(seqNum: number, now: Date, msgType = '0'): FixField[] {
    return sessionHeader(this.settings, seqNum, now, msgType);
  }

  // ---- for the simulator's faults: messages outside the rules --------------------------------

  /** Writes bytes as they are (garbage, a broken message). */
  writeRaw(text: string): void {
    this.write(text);
  }

  /** A message with our header at this MsgSeqNum, neither stored nor counted. */
  frameAt(msgType: string, body: readonly FixField[], seqNum: number): string {
    return encodeMessage(this.settings.beginString, msgType, [...this.header(seqNum, this.clock.now()), ...body]);
  }

  /** The next outgoing MsgSeqNum. */
  get nextOutgoing(): number {
    return this.store.sequences.nextOut;
  }

  /** Replays our last `count` stored application messages of these types with PossDupFlag=Y. */
  replayLast(count: number, msgTypes: readonly string[]): number {
    const last = this.store.sequences.nextOut - 1;
    const candidates = this.store.outgoing(1, last).filter((m) => msgTypes.includes(m.msgType));
    const chosen = candidates.slice(-count);
    for (const m of chosen) this.write(this.replayText(m));
    return chosen.length;
  }

  /**
   * Numbers, persists, tells the owner (who journals it in the same transaction when a batch is
   * open), then writes once that is committed.
   */
  private sendMessage(msgType: string, body: readonly FixField[]): void {
    const prepared = this.prepare(msgType, body);
    if (this.ended) return;
    this.write(prepared.text);
  }

  private prepare(msgType: string, body: readonly FixField[]): Prepared {
    const now = this.clock.now();
    const seqNum = this.store.sequences.nextOut;
    const text = encodeMessage(this.settings.beginString, msgType, [...this.header(seqNum, now, msgType), ...body]);
    this.store.recordOutgoing(seqNum, msgType, false, now, text, seqNum + 1);
    return { msgType, seqNum, text };
  }

  /**
   * For a sender that must store more than the messages atomically (the simulator's order book):
   * numbers and stores an application message without writing it; call `writePrepared` once the
   * surrounding store transaction committed. Undefined when not logged on.
   */
  prepareApplication(msgType: string, body: readonly FixField[]): Prepared | undefined {
    return this.phase === 'loggedOn' ? this.prepare(msgType, body) : undefined;
  }

  writePrepared(prepared: Prepared): void {
    if (this.ended) return;
    this.write(prepared.text);
  }

  /**
   * To the socket once what was stored is committed: after the read (outbox), after the owner's
   * batch (everything the batch sent in one write), or now.
   */
  private write(text: string): void {
    const now = this.clock.now();
    this.lastSentMs = now.getTime();
    this.counters.lastSentAt = now;
    if (this.outbox !== undefined) {
      this.outbox.push(text);
    } else if (this.unwritten !== undefined) {
      this.unwritten += text;
    } else {
      this.unwritten = text;
      this.unitOfWork.afterCommit(
        () => {
          const all = this.unwritten;
          this.unwritten = undefined;
          if (all !== undefined) this.toWire(all);
        },
        // Not stored, so never sent; what the next batch sends goes out after its own commit.
        () => (this.unwritten = undefined),
      );
    }
  }

  private advance(nextIn: number): void {
    if (nextIn > this.expected) this.store.setNextIn(nextIn);
  }

  // ---- timers --------------------------------------------------------------------------------

  private scheduleTick(): void {
    const interval = Math.min(1_000, this.heartbeatSeconds * 250);
    this.tickTimer = this.clock.setTimeout(() => {
      this.tickTimer = undefined;
      if (this.ended) return;
      this.tick();
      if (!this.ended) this.scheduleTick();
    }, interval);
  }

  private tick(): void {
    if (this.phase !== 'loggedOn' && this.phase !== 'loggingOut') return;
    const now = this.clock.now().getTime();
    const hbMs = this.heartbeatSeconds * 1000;
    if (this.phase === 'loggedOn' && now - this.lastSentMs >= hbMs) this.sendMessage('0', []);
    if (this.testRequest !== undefined) {
      if (now - this.testRequest.sentMs >= hbMs) {
        const reason = `no answer to TestRequest within ${this.heartbeatSeconds} s: the counterparty is not responding`;
        this.log.warn(reason);
        this.end(reason, 'error');
      }
    } else if (now - this.lastReceivedMs >= hbMs * 1.2 + 1_000) {
      const id = `TEST-${now}`;
      this.testRequest = { id, sentMs: now };
      this.sendMessage('1', [[112, id]]);
    }
  }

  private end(reason: string, how: SessionEnd): void {
    if (this.ended) return;
    this.phase = 'ended';
    this.endedReason = reason;
    if (this.tickTimer !== undefined) this.clock.clearTimeout(this.tickTimer);
    if (this.resend?.timer !== undefined) this.clock.clearTimeout(this.resend.timer);
    this.resend = undefined;
    this.holds = [];
    this.cancelReplay();
    if (this.draining !== undefined) this.clock.clearTimeout(this.draining);
    this.draining = undefined;
    this.reader.discard();
    this.held.clear();
    this.counters.heldMessages = 0;
    if (this.outbox !== undefined) this.outbox.push(CLOSE);
    else this.unitOfWork.afterCommit(() => this.wire.close());
    this.events.onEnded(reason, how);
  }

  /** How log lines and reasons call the other side. */
  private get peerName(): string {
    return this.settings.role === 'initiator' ? 'broker' : 'desk';
  }

  get endReason(): string | undefined {
    return this.endedReason;
  }

  private alert(level: SessionAlert['level'], text: string, clOrdIds?: readonly string[]): void {
    try {
      this.events.onAlert?.({ level, text, ...(clOrdIds !== undefined && { clOrdIds }) });
    } catch (e) {
      this.log.error('the alert handler threw', { error: e instanceof Error ? e.message : String(e) });
    }
  }
}

/** The standard header after BeginString, BodyLength and MsgType. */
export function sessionHeader(s: FixSessionSettings, seqNum: number, now: Date, msgType = '0'): FixField[] {
  const h: FixField[] = [
    [49, s.senderCompId],
    [56, s.targetCompId],
    [34, String(seqNum)],
  ];
  if (s.senderSubId !== undefined) h.push([50, s.senderSubId]);
  if (s.targetSubId !== undefined) h.push([57, s.targetSubId]);
  if (s.senderLocationId !== undefined) h.push([142, s.senderLocationId]);
  if (s.targetLocationId !== undefined) h.push([143, s.targetLocationId]);
  h.push([52, s.sendingTime?.(now, msgType) ?? fixTimestamp(now)]);
  if (s.headerFields !== undefined) h.push(...s.headerFields);
  return h;
}

/** SendingTime (52) is required in every header and must be a UTCTimestamp (YYYYMMDD-HH:MM:SS[.sss]). */
export function sendingTimeProblem(fields: readonly FixField[]): { reason: number; text: string } | undefined {
  const value = fieldOf(fields, 52);
  if (value === undefined || value === '') return { reason: 1, text: 'SendingTime (52) is missing' };
  // On every message: a pattern test, no Date built (the values in range are the broker's concern).
  if (!UTC_TIMESTAMP.test(value)) return { reason: 6, text: `SendingTime (52) '${value}' is not a UTCTimestamp (YYYYMMDD-HH:MM:SS[.sss])` };
  return undefined;
}

const UTC_TIMESTAMP = /^\d{8}-[0-2]\d:[0-5]\d:[0-6]\d(?:\.\d{1,9})?$/;

/**
 * Numbers and stores an application message while no connection is up, as FIX engines do: the
 * counterparty gets it by ResendRequest after its next logon (with PossDupFlag=Y).
 */
export function storeForResend(settings: FixSessionSettings, store: FixSessionStore, now: Date, msgType: string, body: readonly FixField[]): number {
  const seqNum = store.sequences.nextOut;
  const text = encodeMessage(settings.beginString, msgType, [...sessionHeader(settings, seqNum, now, msgType), ...body]);
  store.recordOutgoing(seqNum, msgType, false, now, text, seqNum + 1);
  return seqNum;
}

export function isSessionMessage(msgType: string): boolean {
  return msgType === '0' || msgType === '1' || msgType === '2' || msgType === '3' || msgType === '5' || msgType === 'A';
}

/** MsgSeqNum (34) of one encoded message of ours. */
function seqNumOf(text: string): number {
  const at = text.indexOf(`${SOH}34=`);
  return at < 0 ? 0 : Number.parseInt(text.slice(at + 4, text.indexOf(SOH, at + 4)), 10);
}

/** A failure to store (SQLite's full disk or I/O errors, or the owner's STORAGE_FULL), not a bug of a handler. */
function isStorageError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code === 'SQLITE_FULL' || code === 'STORAGE_FULL' || code.startsWith('SQLITE_IOERR'));
}

/** SOH shown as '|', passwords masked. */
/** An application message for the owner; its `raw` (masked, SOH shown as '|') is made when first read: a market-data reader never reads it. */
function inboundApplication(msgType: string, seqNum: number, possDup: boolean, fields: readonly FixField[], text: string): InboundApplication {
  let raw: string | undefined;
  return {
    msgType,
    seqNum,
    possDup,
    fields,
    get raw() {
      return (raw ??= display(text));
    },
  };
}

export function display(text: string): string {
  return maskSecrets(text).replace(EVERY_SOH, '|'); // a global regex of one character: V8's fastest replace (replaceAll measured 1.2–1.5× slower)
}

const EVERY_SOH = new RegExp(SOH, 'g');

/** FIX UTCTimestamp of a field, as a Date (for OrigSendingTime checks and tests). */
export function timestampOf(fields: readonly FixField[], tag: number): Date | undefined {
  const v = fieldOf(fields, tag);
  return v === undefined ? undefined : parseFixTimestamp(v);
}
