import 'reflect-metadata';
import { MemorySessionStore, MsgTransport, SessionRegistry, TcpDuplex } from 'jspurefix';
import type { IFixSessionStore, IJsFixConfig, ISessionDescription, SessionId } from 'jspurefix';
import { makeSessionScope } from 'jspurefix/dist/runtime/session-scope.js';
import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import type { FieldReader } from '../core/fix/fix-text';
import { fixDialect } from '../core/fix/fix-dialect';
import { parseFixText } from '../core/fix/fix-text';
import { EngineLogFactory, makeSessionConfig } from '../core/fix/jspurefix-runtime';
import type { Logger } from '../core/log/logger';
import { AcceptorSession } from './acceptor-session';
import type { ClOrdIdJournal } from './clordid-journal';
import type { Market } from './market';
import { OrderEngine } from './order-engine';
import type { Report } from './order-engine';
import { decodeRequest } from './sim-fix-mapping';
import { encodeReport } from './sim-fix-mapping';
import type { FillSettings, SimulatedBrokerConfig } from './simulator-config';

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
  readonly market: Market;
  readonly journal: ClOrdIdJournal;
  readonly log: Logger;
  /** Makes OrderIDs and ExecIDs unique across simulator restarts (the desk de-duplicates ExecIDs). */
  readonly runId: string;
}

/**
 * One simulated broker: a FIX acceptor (4.2, 4.4 or 5.0SP2 over FIXT.1.1) on its own port, its own
 * order book over the shared market. Reports for a session that is gone wait and go out after the
 * next logon. With `auto: false` (script mode) it answers nothing by itself: a test sends every
 * report through `sendScripted` and reads what arrived with `received`.
 */
export class SimulatedBroker {
  readonly name: string;
  readonly engine: OrderEngine;
  private readonly log: Logger;
  private server: Server | undefined;
  private fillTimer: NodeJS.Timeout | undefined;
  private readonly sessions = new Set<AcceptorSession>();
  private readonly sockets = new Set<Socket>();
  private active: AcceptorSession | undefined;
  private backlog: Report[] = [];
  private nextTransportId = 0;
  private readonly receivedLog: ReceivedMessage[] = [];
  private receivedSeq = 0;

  constructor(private readonly options: SimulatedBrokerOptions) {
    this.name = options.config.name;
    this.log = options.log.child(options.config.name);
    let orderSeq = 0;
    let execSeq = 0;
    this.engine = new OrderEngine({
      quote: (symbol) => options.market.quote(symbol),
      nextOrderId: () => `${this.name}-${options.runId}-O${++orderSeq}`,
      nextExecId: () => `${this.name}-${options.runId}-E${++execSeq}`,
      fills: options.fills,
    });
  }

  /** Starts listening; resolves with the port (useful when configured as 0). */
  async listen(): Promise<number> {
    const engineConfig = await makeSessionConfig(acceptorDescription(this.options.config), this.log);
    // A reconnecting desk replaces its stale session, and keeps its sequence numbers if it does not reset them.
    engineConfig.sessionRegistry = new SessionRegistry(new EngineLogFactory(this.log));
    const stores = new Map<string, IFixSessionStore>();
    engineConfig.sessionStoreFactory = {
      create: (id: SessionId) => {
        const key = id.toString();
        let store = stores.get(key);
        if (store === undefined) stores.set(key, (store = new MemorySessionStore(id)));
        return store;
      },
    };
    const server = createServer((socket) => this.accept(socket, engineConfig));
    this.server = server;
    const { host, port } = this.options.config;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e) => reject(new Error(`${this.name}: cannot listen on ${host}:${port}: ${e.message}`)));
      server.listen(port, host, () => resolve());
    });
    server.on('error', (e) => this.log.error('server error', { error: e.message }));
    if (this.options.config.auto) this.fillTimer = setInterval(() => this.deliver(this.engine.fillRound()), this.options.fills.intervalMs);
    const bound = (server.address() as AddressInfo).port;
    this.log.info('listening', { host, port: bound });
    return bound;
  }

  /** Logs every session out (briefly waiting for the answers), then closes the port. */
  async close(): Promise<void> {
    clearInterval(this.fillTimer);
    const live = [...this.sessions];
    for (const session of live) session.done();
    const deadline = Date.now() + 1_000;
    while (this.sessions.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private accept(socket: Socket, engineConfig: IJsFixConfig): void {
    socket.setNoDelay(true);
    this.sockets.add(socket);
    socket.on('error', (e) => this.log.debug('socket error', { error: e.message }));
    socket.on('close', () => this.sockets.delete(socket));
    const scoped = makeSessionScope(engineConfig);
    const transport = new MsgTransport(++this.nextTransportId, scoped, new TcpDuplex(socket));
    const session = new AcceptorSession(scoped, {
      checkLogon: (sender, username, password) => this.checkLogon(sender, username, password),
      onLoggedOn: (s) => {
        this.log.info('desk logged on', { remote: `${socket.remoteAddress}:${socket.remotePort}` });
        this.active = s;
        const waiting = this.backlog;
        this.backlog = [];
        this.deliver(waiting);
      },
      onRequest: (s, msgType, fields, raw) => this.onRequest(s, msgType, fields, raw),
      onEnded: (s, error) => {
        this.sessions.delete(s);
        if (this.active === s) this.active = undefined;
        this.log.info('session ended', error ? { reason: error.message } : undefined);
      },
    });
    this.sessions.add(session);
    session.run(transport).catch((e: Error) => this.log.debug('session run ended with error', { error: e.message }));
  }

  private checkLogon(sender: string | undefined, username: string | undefined, password: string | undefined): string | undefined {
    const config = this.options.config;
    if (sender !== config.targetCompId) return `unknown SenderCompID ${sender ?? '(none)'}: expected ${config.targetCompId}`;
    if (config.username !== undefined && username !== config.username) return 'unknown username';
    if (config.password !== undefined && password !== config.password) return 'wrong password';
    return undefined;
  }

  /** True while a desk session is logged on. */
  get loggedOn(): boolean {
    return this.active?.isLoggedOn === true;
  }

  /** What the desk sent, oldest first (application messages only). */
  received(since = 0): ReceivedMessage[] {
    return this.receivedLog.filter((m) => m.seq > since);
  }

  /** Script mode: sends these reports now, in order, on the logged-on session. False when none is. */
  sendScripted(reports: readonly Report[]): boolean {
    const session = this.active?.isLoggedOn ? this.active : undefined;
    if (session === undefined) return false;
    const now = new Date();
    for (const report of reports) {
      const { msgType, fields } = encodeReport(report, now, this.options.config.fixVersion);
      session.sendReport(msgType, fields);
    }
    return true;
  }

  private onRequest(session: AcceptorSession, msgType: string, fields: FieldReader, raw: string): void {
    let parsed: ReceivedMessage['fields'] = [];
    try {
      parsed = parseFixText(raw).fields;
    } catch {
      // keep the raw text only
    }
    this.receivedLog.push({ seq: ++this.receivedSeq, msgType, raw, fields: parsed });
    if (this.receivedLog.length > RECEIVED_KEEP) this.receivedLog.splice(0, this.receivedLog.length - RECEIVED_KEEP);
    if (!this.options.config.auto) return;
    if (msgType === 'Q') {
      this.log.warn('desk sent DontKnowTrade', { raw });
      return;
    }
    const decoded = decodeRequest(msgType, fields);
    if (decoded.kind === 'unsupported') {
      this.log.warn('ignoring unsupported message type', { msgType });
      return;
    }
    const clOrdId = decoded.kind === 'unreadable' ? decoded.ids.clOrdId : decoded.request.clOrdId;
    this.options.journal.record({ broker: this.name, msgType, clOrdId });
    const handle = () => {
      const engine = this.engine;
      let reports: Report[];
      switch (decoded.kind) {
        case 'new':
          reports = engine.newOrder(decoded.request);
          break;
        case 'replace':
          reports = engine.replace(decoded.request);
          break;
        case 'cancel':
          reports = engine.cancel(decoded.request);
          break;
        case 'status':
          reports = engine.status(decoded.request);
          break;
        case 'unreadable':
          this.log.warn('unreadable request', { msgType, text: decoded.text });
          reports = engine.unreadable(decoded.as, decoded.ids, decoded.text);
          break;
      }
      this.deliver(reports, session);
    };
    if (this.options.ackDelayMs > 0) setTimeout(handle, this.options.ackDelayMs);
    else handle();
  }

  /** Sends to the given (or current) session when it is logged on; otherwise keeps them for the next logon. */
  private deliver(reports: readonly Report[], preferred?: AcceptorSession): void {
    if (reports.length === 0) return;
    const session = preferred?.isLoggedOn ? preferred : this.active?.isLoggedOn ? this.active : undefined;
    if (session === undefined) {
      this.backlog.push(...reports);
      return;
    }
    const now = new Date();
    for (const report of reports) {
      const { msgType, fields } = encodeReport(report, now, this.options.config.fixVersion);
      session.sendReport(msgType, fields);
    }
  }
}

function acceptorDescription(config: SimulatedBrokerConfig): ISessionDescription {
  const dialect = fixDialect(config.fixVersion);
  return {
    application: {
      name: config.name,
      type: 'acceptor',
      protocol: 'ascii',
      dictionary: dialect.dictionary,
      resilient: false,
      reconnectSeconds: 0,
      tcp: { host: config.host, port: config.port },
    },
    Name: config.name,
    BeginString: dialect.beginString,
    ...(dialect.logon !== undefined && { Logon: { ...dialect.logon } }),
    SenderCompId: config.senderCompId,
    TargetCompID: config.targetCompId,
    SenderSubID: undefined as unknown as string,
    TargetSubID: undefined as unknown as string,
    HeartBtInt: config.heartbeatSeconds,
    // Follow the desk: reset when its Logon says so.
    ResetSeqNumFlag: false,
    Username: undefined as unknown as string,
    Password: undefined as unknown as string,
  };
}
