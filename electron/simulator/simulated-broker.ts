import { join } from 'node:path';
import { ensurePrivateDir } from '../core/files/private-files';
import type { FixSessionSettings, InboundApplication } from '../core/fix/fix-session';
import { isSessionMessage } from '../core/fix/fix-session';
import { BUSINESS_REJECT_REASON, SESSION_REJECT_REASON } from '../core/fix/fix-codes';
import { fixDialect } from '../core/fix/fix-dialect';
import type { FieldReader } from '../core/fix/fix-text';
import type { FixField } from '../core/fix/fix-wire';
import { fieldOf, fixTimestamp } from '../core/fix/fix-wire';
import type { Logger } from '../core/log/logger';
import type { ClOrdIdJournal } from './clordid-journal';
import type { SessionFault } from './fix-acceptor';
import { FixAcceptor } from './fix-acceptor';
import type { SimulatedInstruments } from './simulated-instruments';
import { OrderEngine } from './order-engine';
import type { AlgoDefinitions } from '../../shared/domain/broker-algo';
import { loadSimAlgos, readAlgoRequest } from './sim-broker-algos';
import { Dec } from './sim-decimal';
import type { EngineSnapshot, OrderTruth, Report } from './order-engine';
import type { DecodedRequest } from './sim-fix-mapping';
import { decodeRequest, encodeReport } from './sim-fix-mapping';
import type { FixVersion } from '../core/config/desk-config';
import type { BrokerBehaviour, FillSettings, SimulatedBrokerConfig } from './simulator-config';

/** An application message the simulator received from the desk (kept for scripted tests). */
export interface ReceivedMessage {
  readonly seq: number;
  readonly msgType: string;
  /** The message as received, SOH shown as '|'. */
  readonly raw: string;
  /** Every field, in order: [tag, value]. */
  readonly fields: ReadonlyArray<readonly [number, string]>;
}

const RECEIVED_KEEP = 10_000;

export interface SimulatedBrokerOptions {
  readonly config: SimulatedBrokerConfig;
  readonly ackDelayMs: number;
  readonly fills: FillSettings;
  /** What the brokers trade, and the market they share. */
  readonly instruments: SimulatedInstruments;
  readonly journal: ClOrdIdJournal;
  readonly log: Logger;
  /** Makes OrderIDs and ExecIDs unique across simulator restarts (the desk de-duplicates ExecIDs). */
  readonly runId: string;
  /** Where this broker keeps its state across restarts (order book, session stores). */
  readonly stateDir?: string;
  /** The broker's own algorithms (default: the FIXatdl file shipped beside the simulator). */
  readonly algos?: AlgoDefinitions;
}

/** Broker-level faults (besides the session faults of fix-acceptor.ts). */
export type BrokerFault =
  | SessionFault
  /** Sends the last execution report again as a new message: same ExecID, new MsgSeqNum. */
  | { readonly kind: 'duplicateExecution' }
  /** Answers every request this much later (0 back to the configured delay). */
  | { readonly kind: 'delay'; readonly ms: number }
  /** Takes the next `count` requests (default 1) and answers nothing: a request lost inside the broker. */
  | { readonly kind: 'dropNext'; readonly count?: number };

interface PersistedBook {
  readonly runId: string;
  readonly orderSeq: number;
  readonly execSeq: number;
  readonly engine: EngineSnapshot;
}

/**
 * One simulated broker: a FIX acceptor (4.2, 4.4 or 5.0SP2 over FIXT.1.1) on its own port, its own
 * order book over the shared market, optionally a drop-copy acceptor mirroring every execution
 * report. With a state folder it is the same broker after a restart: its order book is saved
 * before any answer leaves, and its FIX sessions keep their sequence numbers and sent messages.
 * With `auto: false` (script mode) it answers nothing by itself: a test sends every report through
 * `sendScripted` and reads what arrived with `received`.
 */
export class SimulatedBroker {
  readonly name: string;
  readonly engine: OrderEngine;
  private readonly log: Logger;
  private readonly trading: FixAcceptor;
  private readonly dropCopy: FixAcceptor | undefined;
  private fillTimer: NodeJS.Timeout | undefined;
  private readonly receivedLog: ReceivedMessage[] = [];
  private receivedSeq = 0;
  private orderSeq = 0;
  private execSeq = 0;
  private runId: string;
  private readonly persistent: boolean;
  private delayOverride: number | undefined;
  /** Requests still to be dropped without an answer (fault dropNext). */
  private dropping = 0;
  private lastExecution: Report | undefined;
  /** Reports waiting for their (slow) answer time, in order. */
  private pending = Promise.resolve();
  /** How this broker answers where real engines differ (changeable at run time: `setBehaviour`). */
  private behaviour: BrokerBehaviour;

  private readonly algos: AlgoDefinitions;

  constructor(private readonly options: SimulatedBrokerOptions) {
    const config = options.config;
    this.algos = options.algos ?? loadSimAlgos();
    this.name = config.name;
    this.log = options.log.child(config.name);
    this.runId = options.runId;
    this.behaviour = { ...config.behaviour };
    this.engine = new OrderEngine({
      quote: (instrument, side) => options.instruments.quote(instrument, side),
      nextOrderId: () => `${this.name}-${this.runId}-O${++this.orderSeq}`,
      // An engine that restarts its ExecID counter has no run in its ExecIDs: they repeat across restarts.
      nextExecId: () => (this.behaviour.execIdsRestartAfterRestart === true ? `${this.name}-E${++this.execSeq}` : `${this.name}-${this.runId}-E${++this.execSeq}`),
      fills: options.fills,
    });
    this.persistent = options.stateDir !== undefined;
    if (options.stateDir !== undefined) ensurePrivateDir(options.stateDir);
    const dialect = fixDialect(config.fixVersion);
    const settings = (senderCompId: string, targetCompId: string, heartbeatSeconds: number): FixSessionSettings => ({
      role: 'acceptor',
      beginString: dialect.beginString,
      senderCompId,
      targetCompId,
      heartbeatSeconds,
      resetOnLogon: false,
      ...(dialect.logon?.DefaultApplVerID !== undefined && { logonFields: [[1137, dialect.logon.DefaultApplVerID]] as FixField[] }),
      // A broker replays its execution reports and cancel rejects, however old.
      replayMsgTypes: ['8', '9'],
      replayMaxAgeSeconds: 86_400,
      sendingTime: (now, msgType) => {
        const time = fixTimestamp(now);
        return this.behaviour.sendingTimeWithoutColons === true && !isSessionMessage(msgType) && msgType !== '4' ? time.replace(/:/g, '') : time;
      },
    });
    this.trading = new FixAcceptor({
      name: this.name,
      host: config.host,
      port: config.port,
      ...(config.tls !== undefined && { tls: config.tls }),
      settings: settings(config.senderCompId, config.targetCompId, config.heartbeatSeconds),
      ...(options.stateDir !== undefined && { storePath: join(options.stateDir, `${safe(this.name)}.trading.sqlite`) }),
      log: this.log,
      checkLogon: (fields) => this.checkLogon(fields),
      onApplication: (m) => this.onRequest(m),
    });
    const dc = config.dropCopy;
    this.dropCopy =
      dc === undefined
        ? undefined
        : new FixAcceptor({
            name: `${this.name} drop copy`,
            host: config.host,
            port: dc.port,
            ...(config.tls !== undefined && { tls: config.tls }),
            settings: settings(dc.senderCompId, dc.targetCompId, dc.heartbeatSeconds),
            ...(options.stateDir !== undefined && { storePath: join(options.stateDir, `${safe(this.name)}.dropcopy.sqlite`) }),
            log: this.log.child('dropcopy'),
            checkLogon: (fields) => this.checkLogon(fields),
            onApplication: (m) => this.log.warn('the drop-copy session only sends; ignoring', { msgType: m.msgType }),
          });
    this.loadBook();
  }

  /** Starts listening; resolves with the ports (useful when configured as 0). */
  async listen(): Promise<{ port: number; dropCopyPort?: number }> {
    const port = await this.trading.listen();
    const dropCopyPort = await this.dropCopy?.listen();
    if (this.options.config.auto) {
      this.fillTimer = setInterval(() => {
        const reports = this.engine.fillRound();
        this.printFills(reports);
        if (reports.length > 0) this.send(reports, true);
      }, this.options.fills.intervalMs);
    }
    this.log.info('listening', { host: this.options.config.host, port, ...(dropCopyPort !== undefined && { dropCopyPort }) });
    return { port, ...(dropCopyPort !== undefined && { dropCopyPort }) };
  }

  /** Logs every session out (briefly waiting for the answers), then closes the ports. */
  async close(): Promise<void> {
    clearInterval(this.fillTimer);
    await Promise.all([this.trading.close(), this.dropCopy?.close()]);
  }

  /** True while a desk session is logged on. */
  get loggedOn(): boolean {
    return this.trading.loggedOn;
  }

  state(): { loggedOn: boolean; nextIn: number; nextOut: number; dropCopyLoggedOn?: boolean } {
    const seq = this.trading.store.sequences;
    return { loggedOn: this.loggedOn, nextIn: seq.nextIn, nextOut: seq.nextOut, ...(this.dropCopy !== undefined && { dropCopyLoggedOn: this.dropCopy.loggedOn }) };
  }

  /** What the desk sent, oldest first (application messages only). */
  received(since = 0): ReceivedMessage[] {
    return this.receivedLog.filter((m) => m.seq > since);
  }

  /** The truth per order (GET /brokers/<name>/orders). */
  orders(): OrderTruth[] {
    return this.engine.truth();
  }

  /** Script mode: sends these reports now, in order, on the logged-on session. False when none is. */
  sendScripted(reports: readonly Report[]): boolean {
    if (!this.trading.loggedOn) return false;
    this.send(reports, false);
    return true;
  }

  /** What this broker does differently from a good engine now. */
  get behaviours(): BrokerBehaviour {
    return { ...this.behaviour };
  }

  /** Changes how this broker answers from now on (tests switch a behaviour on and off). */
  setBehaviour(change: BrokerBehaviour): BrokerBehaviour {
    this.behaviour = { ...this.behaviour, ...change };
    this.log.info('behaviour changed', { behaviour: this.behaviour });
    return this.behaviours;
  }

  fault(fault: BrokerFault): string {
    switch (fault.kind) {
      case 'duplicateExecution': {
        const last = this.lastExecution;
        if (last === undefined) throw new Error(`${this.name}: no execution report sent yet`);
        this.send([last], false);
        return `sent the execution report ${last.kind === 'execution' ? last.execId : ''} again as a new message`;
      }
      case 'delay':
        this.delayOverride = fault.ms > 0 ? fault.ms : undefined;
        return fault.ms > 0 ? `answering ${fault.ms} ms late` : 'answering on time';
      case 'dropNext':
        this.dropping = fault.count ?? 1;
        return `dropping the next ${this.dropping} request(s) without an answer`;
      default:
        return this.trading.fault(fault);
    }
  }

  private checkLogon(fields: readonly FixField[]): string | undefined {
    const config = this.options.config;
    const username = fieldOf(fields, 553);
    const password = fieldOf(fields, 554);
    if (config.username !== undefined && username !== config.username) return 'unknown username';
    if (config.password !== undefined && password !== config.password) return 'wrong password';
    return undefined;
  }

  private onRequest(m: InboundApplication): void {
    const { msgType, fields: list } = m;
    const first = new Map<number, string>();
    for (const [tag, value] of list) if (!first.has(tag)) first.set(tag, value);
    const fields: FieldReader = { get: (tag) => first.get(tag) };
    this.receivedLog.push({ seq: ++this.receivedSeq, msgType, raw: m.raw, fields: list });
    if (this.receivedLog.length > RECEIVED_KEEP) this.receivedLog.splice(0, this.receivedLog.length - RECEIVED_KEEP);
    if (!this.options.config.auto) return;
    if (msgType === 'Q') {
      this.log.warn('desk sent DontKnowTrade', { raw: m.raw });
      return;
    }
    if (this.dropping > 0 && msgType !== 'Q') {
      this.dropping -= 1;
      this.log.info('request dropped without an answer (fault dropNext)', { msgType });
      return;
    }
    if (msgType === 'AF' && this.options.config.fixVersion === 'FIX.4.2') {
      this.trading.sessionReject(m.seqNum, msgType, SESSION_REJECT_REASON.invalidMsgType, 'Invalid MsgType: FIX.4.2 has no OrderMassStatusRequest');
      return;
    }
    const decoded = withAlgo(decodeRequest(msgType, fields, (f) => this.options.instruments.identify(f)), list, this.algos, this.options.config.fixVersion);
    if (decoded.kind === 'unsupported') {
      this.log.warn('ignoring unsupported message type', { msgType });
      return;
    }
    if (decoded.kind === 'massStatus') {
      this.journal(msgType, decoded.massStatusReqId, m.possDup);
      if (this.behaviour.noMassStatus === true) this.businessReject(msgType, decoded.massStatusReqId);
      else this.answer(this.engine.massStatus(decoded.massStatusReqId));
      return;
    }
    const clOrdId = decoded.kind === 'unreadable' ? decoded.ids.clOrdId : decoded.request.clOrdId;
    // A PossDup resend of a request already acted on: answer with the order's status, never twice.
    if (m.possDup && decoded.kind !== 'status' && this.engine.knows(clOrdId)) {
      this.log.info('PossDup resend of a request already received: answering with its status', { clOrdId });
      const request = decoded.kind === 'unreadable' ? { clOrdId } : decoded.request;
      this.answer(this.engine.status({ clOrdId: request.clOrdId }));
      return;
    }
    this.journal(msgType, clOrdId, m.possDup);
    if (this.refusedLikeARealEngine(m, decoded, clOrdId)) return;
    let reports: Report[];
    switch (decoded.kind) {
      case 'new':
        reports = this.engine.newOrder(decoded.request);
        break;
      case 'replace':
        reports = this.engine.replace(decoded.request);
        break;
      case 'cancel':
        reports = this.engine.cancel(decoded.request);
        break;
      case 'status':
        reports = this.engine.status(this.behaviour.noOrdStatusReqId === true ? { ...decoded.request, ordStatusReqId: undefined } : decoded.request);
        break;
      case 'unreadable':
        this.log.warn('unreadable request', { msgType, text: decoded.text });
        reports = this.engine.unreadable(decoded.as, decoded.ids, decoded.text);
        break;
    }
    this.answer(reports);
  }

  /** The behaviours: true when the request was answered (or ignored) the way such an engine does. */
  private refusedLikeARealEngine(m: InboundApplication, decoded: ReturnType<typeof decodeRequest>, clOrdId: string): boolean {
    const b = this.behaviour;
    if (decoded.kind === 'replace' && b.noCancelReplace === true) {
      this.businessReject(m.msgType, clOrdId);
      return true;
    }
    if (decoded.kind === 'status' && b.noStatusRequests === true) {
      this.businessReject(m.msgType, clOrdId);
      return true;
    }
    if (decoded.kind === 'new' && decoded.request.orderType === 'market' && b.rejectMarketOrdersSessionLevel === true) {
      this.trading.sessionReject(m.seqNum, m.msgType, SESSION_REJECT_REASON.valueIncorrect, 'Value is incorrect (out of range) for this tag', 40);
      return true;
    }
    if (decoded.kind === 'cancel' && b.silentOnUnknownCancel === true && !this.engine.hasOrder(decoded.request.origClOrdId, decoded.request.orderId)) {
      this.log.info('cancel for an order this broker does not know: no answer (silentOnUnknownCancel)', { clOrdId, origClOrdId: decoded.request.origClOrdId });
      return true;
    }
    return false;
  }

  /**
   * BusinessMessageReject (35=j) "Unsupported message type", naming the request by its ID only (no
   * RefSeqNum), as many engines do; an application message, so it leaves as late as any answer.
   */
  private businessReject(refMsgType: string, refId: string): void {
    const reject = [
      {
        msgType: 'j',
        body: [
          [372, refMsgType],
          [379, refId],
          [380, BUSINESS_REJECT_REASON.unsupportedMessageType],
          [58, 'Unsupported Message Type'],
        ] as FixField[],
      },
    ];
    const delay = this.delayOverride ?? this.options.ackDelayMs;
    if (delay <= 0) this.trading.send(reject);
    else this.pending = this.pending.then(() => new Promise<void>((resolve) => setTimeout(resolve, delay))).then(() => this.trading.send(reject));
  }

  private journal(msgType: string, clOrdId: string, possDup = false): void {
    this.options.journal.record({ broker: this.name, msgType, clOrdId, ...(possDup && { possDup }) });
  }

  /**
   * The answer leaves with the book saved in the same transaction; with an ack delay (a slow
   * broker) the book is saved at once and the answer leaves later, in order (a crash in between
   * loses the answer, as a real broker's would: the desk's status requests recover it).
   */
  /** The engine's fills print on the one market's tape (the venue's trades and volume), when they happen. */
  private printFills(reports: readonly Report[]): void {
    for (const r of reports) {
      if (r.kind !== 'execution' || r.execType !== 'trade' || r.instrument === undefined || r.lastPx === undefined || r.lastQty === undefined) continue;
      this.options.instruments.market.trade(r.instrument, new Dec(r.lastPx), new Dec(r.lastQty)); // an FX outright (spot@date) is no listed instrument: not printed
    }
  }

  private answer(reports: readonly Report[]): void {
    this.printFills(reports);
    const delay = this.delayOverride ?? this.options.ackDelayMs;
    if (delay <= 0) {
      this.send(reports, true);
      return;
    }
    this.trading.store.transaction(() => this.saveBook());
    this.pending = this.pending.then(() => new Promise<void>((resolve) => setTimeout(resolve, delay))).then(() => this.send(reports, false));
  }

  /**
   * Sends on the trading session (stored for the desk's resend request when it is down), with the
   * order book saved in the same store transaction, and mirrors executions on the drop copy.
   */
  private send(reports: readonly Report[], withBook: boolean): void {
    const now = new Date();
    const messages = reports.map((report) => {
      const version = this.options.config.fixVersion;
      const { msgType, fields } = encodeReport(report, now, version, (instrument) => this.options.instruments.reportFields(instrument, version));
      return { msgType, body: fields, report };
    });
    this.trading.send(messages, withBook ? () => this.saveBook() : undefined);
    const executions = messages.filter((m) => m.report.kind === 'execution');
    if (executions.length > 0) this.lastExecution = executions.at(-1)!.report;
    if (this.dropCopy !== undefined && executions.length > 0) this.dropCopy.send(executions);
  }

  private loadBook(): void {
    if (!this.persistent) return;
    const text = this.trading.store.getMeta('book');
    if (text === undefined) return;
    const book = JSON.parse(text) as PersistedBook;
    this.runId = book.runId;
    this.orderSeq = book.orderSeq;
    // An engine whose ExecID counter restarts: 1 again after this restart.
    this.execSeq = this.behaviour.execIdsRestartAfterRestart === true ? 0 : book.execSeq;
    this.engine.restore(book.engine);
    this.log.info('order book restored', { orders: book.engine.orders.length });
  }

  /** The whole book, in the trading session's store (call inside its transaction). */
  private saveBook(): void {
    if (!this.persistent) return;
    const book: PersistedBook = { runId: this.runId, orderSeq: this.orderSeq, execSeq: this.execSeq, engine: this.engine.snapshot() };
    this.trading.store.setMeta('book', JSON.stringify(book));
  }
}

function safe(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_');
}

/** A new order or a replace with the broker algo its fields name (or the broker's refusal of it). */
function withAlgo(decoded: DecodedRequest, fields: readonly FixField[], algos: AlgoDefinitions, version: FixVersion): DecodedRequest {
  if (decoded.kind !== 'new' && decoded.kind !== 'replace') return decoded;
  const algo = readAlgoRequest(fields, algos, version);
  if (algo.kind === 'none') return decoded;
  const request = { ...decoded.request, algo: algo.kind === 'refused' ? { refused: algo.text } : { strategy: algo.strategy, sliceFraction: algo.sliceFraction, ...(algo.startMs !== undefined && { startMs: algo.startMs }), ...(algo.endMs !== undefined && { endMs: algo.endMs }) } };
  return decoded.kind === 'new' ? { kind: 'new', request } : { kind: 'replace', request: { ...decoded.request, ...request } };
}
