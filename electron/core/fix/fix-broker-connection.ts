import { createConnection } from 'node:net';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import type Database from 'better-sqlite3';
import type { SessionState } from '../../../shared/domain/order-types';
import type { BrokerConnection, BrokerListener, FixLogEntry, FixLogQuery, OutboundMessage, SentMessage, SessionAlert, SessionStats } from '../broker/broker-port';
import { describeOutbound } from '../broker/broker-port';
import type { BrokerConfig } from '../config/desk-config';
import { brokerPassword } from '../config/desk-config';
import type { Logger } from '../log/logger';
import type { UnitOfWork } from '../sqlite/commit-batch';
import type { Clock, TimerHandle } from '../time/clock';
import type { ConnectionEvent, ConnectionPhase } from './connection-state-table';
import { connectionTransition, IDLE_OF, SESSION_STATE_OF } from './connection-state-table';
import { fixDialect } from './fix-dialect';
import type { InboundApplication } from './fix-session';
import { FixSession, newCounters } from './fix-session';
import type { FixSessionSettings, SessionCounters } from './fix-session';
import { FixSessionStore } from './fix-session-store';
import { tlsConnectOptions } from './fix-tls';
import type { FixField } from './fix-wire';
import { parseFields } from './fix-wire';
import type { FieldReader } from './fix-text';
import { mapInbound } from './inbound-mapping';
import { encodeOutbound } from './outbound-messages';
import type { SentLookup } from './reject-mapping';
import { mapBusinessReject, mapSessionReject } from './reject-mapping';
import { scheduleState } from './session-schedule';

export interface FixBrokerConnectionOptions {
  readonly log: Logger;
  /** When something else on the thread must run next: a read's slice ends before it (FixSessionSettings.nextDeadline). */
  readonly nextDeadline?: () => number | undefined;
  /**
   * The desk's data folder. Without `database`, the session store is kept in
   * `<dataDir>/fix-sessions/<broker>[.dropcopy].<SenderCompID>-<TargetCompID>.sqlite`; without
   * either it lives in memory: sequence numbers then survive reconnects, not a restart.
   */
  readonly dataDir?: string;
  /**
   * The desk journal's database: the session's tables live there (not in a file of their own), so
   * an order's events and its FIX message commit together, once.
   */
  readonly database?: Database.Database;
  /**
   * The desk's unit of work: each read from the socket runs in it (the desk's events and the
   * session's bookkeeping, one commit) and what the session writes waits for its commit. Default:
   * the session store's own transactions.
   */
  readonly unitOfWork?: UnitOfWork;
  /** 'dropCopy': a session that only receives (send() refuses everything). Default 'trading'. */
  readonly role?: 'trading' | 'dropCopy';
  /** Every timer of the connection, the session and the schedule (reconnect delays, logon and connect timeouts, the Logout wait). */
  readonly clock: Clock;
  /** Where passwordEnv and TLS *Env variables are looked up. Default: process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** A TCP connect that takes longer fails. Default 10 s. */
  readonly connectTimeoutMs?: number;
  /** Connected but no Logon answer in this time: drop and retry. Default 10 s. */
  readonly logonTimeoutMs?: number;
  /** stop() / logout() wait this long for the broker to confirm our Logout. Default 2 s. */
  readonly logoutTimeoutMs?: number;
  /** Reconnect delays double from config.reconnectSeconds up to this. Default 30 s. */
  readonly maxReconnectSeconds?: number;
  /** How often the schedule is looked at. Default 1 s. */
  readonly scheduleCheckMs?: number;
  /**
   * Every inbound application message goes here instead of the order mapping (a session that is not
   * an order session: market data). The connection's state machine, timers and store are the same.
   */
  readonly application?: (message: InboundApplication) => void;
  /** At most this many messages kept in the session store (default 500,000; a market-data session keeps few). */
  readonly storeMaxRows?: number;
  /** Which received application messages the session's log keeps (default all; see FixSessionStoreOptions). */
  readonly keepIncoming?: (msgType: string) => boolean;
}

/** A socket closed at our end is destroyed this long after, if the counterparty never closes its side. */
const CLOSE_GRACE_MS = 1_000;

/** An outbound message that failed validation: a bug upstream, never sent. */
export class OutboundValidationError extends Error {
  override readonly name = 'OutboundValidationError';
}

/**
 * A BrokerConnection over our own FIX session layer (fix-session.ts) on a TCP or TLS socket we
 * open ourselves: FIX 4.2, 4.4 or 5.0SP2 over FIXT.1.1, as the broker's config says.
 *
 * Its life is the reviewed table in connection-state-table.ts: every ended or failed connection is
 * retried after a doubling delay, until stop(), logout() (until connect()), the end of the session
 * schedule (until its next start), or a halt (MsgSeqNum too low: until connect()). Every timer runs
 * on the injected clock. Sequence numbers and every message live in the session store, so they
 * carry over reconnects and restarts (when resetSeqNumOnLogon is false).
 */
export function createFixBrokerConnection(config: BrokerConfig, listener: BrokerListener, options: FixBrokerConnectionOptions): BrokerConnection {
  return new FixBrokerConnection(config, listener, options);
}

/** A FIX connection for messages of the caller's own (market data): send tag/value bodies, receive through `options.application`. */
export interface FixFieldsConnection extends BrokerConnection {
  /** Numbers, stores and writes the message on the logged-on session; undefined when not logged on (nothing sent). */
  sendFields(msgType: string, fields: readonly FixField[]): SentMessage | undefined;
}

export function createFixFieldsConnection(config: BrokerConfig, listener: BrokerListener, options: FixBrokerConnectionOptions & { readonly application: (message: InboundApplication) => void }): FixFieldsConnection {
  return new FixBrokerConnection(config, listener, options);
}

/** Session store files open in this process: two connections must never share one. */
const openStores = new Set<string>();

class FixBrokerConnection implements FixFieldsConnection {
  readonly broker: string;
  private phase: ConnectionPhase = 'stopped';
  private current: SessionState = 'stopped';
  private lastError: string | undefined;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly role: 'trading' | 'dropCopy';
  private storeInstance: FixSessionStore | undefined;
  /** The open store's file, or database and session name; undefined for a store in memory. */
  private storeLocation: string | undefined;
  private readonly counters: SessionCounters = newCounters();
  private session: FixSession | undefined;
  private socket: Socket | undefined;
  /** Each connection attempt's number: events of an older attempt (a late socket callback) are ignored. */
  private attempt = 0;
  private failures = 0;
  /** The timer of the phase (connect or logon timeout, the reconnect delay, the Logout wait). */
  private phaseTimer: TimerHandle | undefined;
  /** Why the last connection ended, for the state the screens show. */
  private endReason: string | undefined;
  private logoutReason = '';
  private haltReason = '';
  /** connect() outside the schedule: up until the schedule next changes. */
  private manualOverride = false;
  private lastInSchedule: boolean | undefined;
  private scheduleTimer: TimerHandle | undefined;
  /** stop() and logout() wait for these phases. */
  private readonly waiters: Array<{ readonly phases: readonly ConnectionPhase[]; readonly resolve: () => void }> = [];
  private readonly settings: FixSessionSettings;

  constructor(
    private readonly config: BrokerConfig,
    private readonly listener: BrokerListener,
    private readonly options: FixBrokerConnectionOptions,
  ) {
    this.broker = config.name;
    this.role = options.role ?? 'trading';
    this.log = options.log.child(`fix.${config.name}${this.role === 'dropCopy' ? '.dropcopy' : ''}`);
    this.clock = options.clock;
    this.settings = { ...sessionSettings(config, brokerPassword(config, options.env)), ...(options.nextDeadline !== undefined && { nextDeadline: options.nextDeadline }) };
  }

  get state(): SessionState {
    return this.current;
  }

  start(): void {
    if (this.phase !== 'stopped') return;
    this.failures = 0;
    this.store();
    this.checkSchedule();
    this.on('start');
  }

  async stop(): Promise<void> {
    if (this.scheduleTimer !== undefined) this.clock.clearTimeout(this.scheduleTimer);
    this.scheduleTimer = undefined;
    if (this.phase === 'stopped') {
      this.closeStore();
      return;
    }
    const stopped = this.until('stopped');
    this.on('stop');
    this.settleWaiters();
    await stopped;
  }

  send(message: OutboundMessage): SentMessage | undefined {
    const encoded = encodeOutbound(message, this.config.fixVersion);
    if (!encoded.ok) {
      throw new OutboundValidationError(`${this.broker}: ${describeOutbound(message)} not sent: ${encoded.problems.join('; ')}`);
    }
    if (this.role === 'dropCopy') {
      this.log.warn('a drop-copy session only receives: not sent', { message: describeOutbound(message) });
      return undefined;
    }
    const session = this.session;
    if (this.phase !== 'loggedOn' || session === undefined || !session.loggedOn) return undefined;
    return session.sendApplication(encoded.msgType, encoded.fields);
  }

  holdWrites(): () => void {
    return this.session?.holdWrites() ?? (() => undefined);
  }

  sendFields(msgType: string, fields: readonly FixField[]): SentMessage | undefined {
    const session = this.session;
    if (this.phase !== 'loggedOn' || session === undefined || !session.loggedOn) return undefined;
    return session.sendApplication(msgType, fields);
  }

  stats(): SessionStats {
    const seq = this.withStore((store) => store.sequences);
    const iso = (d: Date | undefined) => d?.toISOString();
    const c = this.counters;
    return {
      nextIncomingSeqNum: seq.nextIn,
      nextOutgoingSeqNum: seq.nextOut,
      ...(this.current === 'loggedOn' && c.loggedOnAt !== undefined && { loggedOnAt: iso(c.loggedOnAt) }),
      ...(c.lastReceivedAt !== undefined && { lastReceivedAt: iso(c.lastReceivedAt) }),
      ...(c.lastSentAt !== undefined && { lastSentAt: iso(c.lastSentAt) }),
      ...(c.lastHeartbeatAt !== undefined && { lastHeartbeatAt: iso(c.lastHeartbeatAt) }),
      gapsDetected: c.gapsDetected,
      resendRequestsSent: c.resendRequestsSent,
      resendRequestsServed: c.resendRequestsServed,
      heldMessages: c.heldMessages,
      ...(c.lastResendAt !== undefined && { lastResendAt: iso(c.lastResendAt) }),
      inSchedule: this.inSchedule(),
      ...(this.lastError !== undefined && { lastError: this.lastError }),
      possDupDropped: c.possDupDropped,
      garbledIgnored: c.garbledIgnored,
      ...(c.resendRequestsCoalesced !== undefined && { resendRequestsCoalesced: c.resendRequestsCoalesced }),
      ...(IDLE_OF[this.phase] !== undefined && { idle: IDLE_OF[this.phase] }),
    };
  }

  connect(): void {
    if (this.phase === 'idleOutsideSchedule' || (this.config.schedule !== undefined && !this.inSchedule())) this.manualOverride = true;
    this.failures = 0;
    this.log.info('connect requested');
    if (this.phase === 'stopped') this.start();
    else this.on('connect');
  }

  async logout(reason: string): Promise<void> {
    this.logoutReason = reason;
    this.manualOverride = false;
    const out = this.until('idleLoggedOut', 'stopped');
    this.on('logout');
    this.settleWaiters();
    await out;
  }

  setNextSequenceNumbers(next: { readonly incoming?: number; readonly outgoing?: number }): { ok: true } | { ok: false; reason: string } {
    if (this.session !== undefined && !this.session.ended) {
      return { ok: false, reason: `${this.broker} is ${this.current === 'loggedOn' ? 'logged on' : 'connecting'}: log it out first` };
    }
    for (const [name, value] of Object.entries(next)) {
      if (value !== undefined && (!Number.isInteger(value) || value < 1 || value > 2_147_483_647)) {
        return { ok: false, reason: `${name} must be a whole number from 1, not ${String(value)}` };
      }
    }
    return this.withStore((store) => {
      const before = store.sequences;
      if (next.incoming !== undefined) store.setNextIn(next.incoming);
      if (next.outgoing !== undefined) store.setNextOut(next.outgoing);
      this.log.warn('next sequence numbers set by hand', { incoming: `${before.nextIn} -> ${store.sequences.nextIn}`, outgoing: `${before.nextOut} -> ${store.sequences.nextOut}` });
      return { ok: true } as const;
    });
  }

  messageLog(query: FixLogQuery): FixLogEntry[] {
    return this.withStore((store) => store.messageLog(query));
  }

  /** The open store, or (stopped) the store opened for this one call. */
  private withStore<T>(use: (store: FixSessionStore) => T): T {
    if (this.storeInstance !== undefined || this.phase !== 'stopped') return use(this.store());
    const store = this.store();
    try {
      return use(store);
    } finally {
      this.closeStore();
    }
  }

  // ---- the state machine (connection-state-table.ts) ------------------------------------------

  /** An event: the table says where it leads; entering a phase does what the phase means. */
  private on(event: ConnectionEvent, reason?: string): void {
    const target = connectionTransition(this.phase, event);
    if (target === undefined) return;
    const next = target === 'connectIfScheduled' ? (this.inSchedule() || this.manualOverride ? 'connecting' : 'idleOutsideSchedule') : target;
    if (reason !== undefined) this.endReason = reason;
    this.enter(next);
  }

  private enter(phase: ConnectionPhase): void {
    if (this.phaseTimer !== undefined) this.clock.clearTimeout(this.phaseTimer);
    this.phaseTimer = undefined;
    const from = this.phase;
    this.phase = phase;
    this.log.debug('connection phase', { from, to: phase });
    let error = this.lastError;
    switch (phase) {
      case 'connecting':
        this.closeConnection('connecting afresh');
        this.openSocket();
        break;
      case 'loggingOn':
        this.startSession();
        break;
      case 'loggedOn':
        this.failures = 0;
        error = undefined;
        break;
      case 'waiting': {
        this.closeConnection(this.endReason ?? 'connection ended');
        this.failures++;
        const seconds = Math.min(this.config.reconnectSeconds * 2 ** (this.failures - 1), Math.max(this.options.maxReconnectSeconds ?? 30, this.config.reconnectSeconds));
        this.log.info('disconnected, will reconnect', { reason: this.endReason, inSeconds: seconds });
        error = this.endReason;
        this.phaseTimer = this.clock.setTimeout(() => this.on('retryDue'), seconds * 1_000);
        break;
      }
      case 'idleLoggedOut':
      case 'idleOutsideSchedule':
      case 'idleHalted':
        error = this.idleText(phase);
        this.closeConnection(error ?? 'outside the session schedule');
        break;
      case 'loggingOut':
      case 'closingSchedule':
      case 'stopping': {
        const reason = phase === 'loggingOut' ? this.logoutReason : phase === 'closingSchedule' ? 'end of the session schedule' : 'logged out by the desk';
        this.log.info('logging out', { reason });
        this.session?.logout(reason);
        this.phaseTimer = this.clock.setTimeout(() => this.on('logoutTimedOut'), this.options.logoutTimeoutMs ?? 2_000);
        break;
      }
      case 'stopped':
        error = undefined;
        this.closeConnection('stopped');
        this.closeStore();
        break;
    }
    if (this.phase !== phase) return; // what the phase started moved it on already (a session that ended at once)
    this.setState(SESSION_STATE_OF[phase], error);
    this.settleWaiters();
  }

  /** Resolves once the connection is in one of these phases (at once when it is). */
  private until(...phases: ConnectionPhase[]): Promise<void> {
    return new Promise((resolve) => this.waiters.push({ phases, resolve }));
  }

  private settleWaiters(): void {
    for (const waiter of [...this.waiters]) {
      if (!waiter.phases.includes(this.phase)) continue;
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }

  /** The session's last error while it idles: what a person must know to bring it back. */
  private idleText(phase: ConnectionPhase): string | undefined {
    switch (IDLE_OF[phase]) {
      case 'loggedOut':
        return `logged out: ${this.logoutReason}`;
      case 'halted':
        return `halted: ${this.haltReason} (connect after checking the sequence numbers)`;
      default:
        return undefined;
    }
  }

  private inSchedule(): boolean {
    const schedule = this.config.schedule;
    return schedule === undefined || scheduleState(schedule, this.clock.now()).inSession;
  }

  /** Looks at the schedule every second: its end logs out, its start connects. */
  private checkSchedule(): void {
    const schedule = this.config.schedule;
    if (schedule === undefined) return;
    const inSchedule = this.inSchedule();
    if (this.lastInSchedule !== undefined && inSchedule !== this.lastInSchedule) {
      this.manualOverride = false;
      this.log.info(inSchedule ? 'session schedule: start' : 'session schedule: end, logging out');
      if (inSchedule) this.failures = 0;
      this.on(inSchedule ? 'scheduleOpened' : 'scheduleClosed');
    }
    this.lastInSchedule = inSchedule;
    this.scheduleTimer = this.clock.setTimeout(() => this.checkSchedule(), this.options.scheduleCheckMs ?? 1_000);
  }

  /** Opens the TCP or TLS connection for this attempt; its outcome is an event of this attempt. */
  private openSocket(): void {
    const attempt = ++this.attempt;
    const timeoutMs = this.options.connectTimeoutMs ?? 10_000;
    const { host, port, tls } = this.config;
    const failed = (e: unknown) => {
      if (attempt === this.attempt) this.on('socketFailed', `cannot connect to ${host}:${port}: ${errorText(e)}`);
    };
    let socket: Socket;
    try {
      socket = tls !== undefined ? tlsConnect({ host, port, ...tlsConnectOptions(tls, host, this.options.env ?? process.env) }) : createConnection({ host, port });
    } catch (e) {
      queueMicrotask(() => failed(e));
      return;
    }
    this.socket = socket;
    socket.setNoDelay(true);
    socket.setKeepAlive(true);
    this.phaseTimer = this.clock.setTimeout(() => socket.destroy(new Error(`no connection within ${timeoutMs / 1000} s`)), timeoutMs);
    socket.once('error', failed);
    socket.once('close', () => failed(new Error('connection closed')));
    socket.once(tls !== undefined ? 'secureConnect' : 'connect', () => {
      socket.removeListener('error', failed);
      socket.removeAllListeners('close');
      if (attempt !== this.attempt) return;
      try {
        this.on('socketOpened');
      } catch (e) {
        // The session could not start (its store refused a write: a full disk): this attempt failed, the next one follows.
        this.log.error('could not start the FIX session', { error: errorText(e) });
        socket.destroy();
        if (attempt === this.attempt) this.on('sessionFailed', `could not start the session: ${errorText(e)}`);
      }
    });
  }

  /** The socket is up: a FIX session on it, our Logon out, the logon timeout running. */
  private startSession(): void {
    const socket = this.socket as Socket;
    const attempt = this.attempt;
    let socketError: string | undefined;
    const clock = this.clock;
    const wire = {
      write: (text: string) => {
        if (!socket.destroyed) socket.write(text, 'latin1');
      },
      close: () => {
        socket.end();
        // A counterparty that never closes its side must not keep the socket.
        clock.setTimeout(() => socket.destroy(), CLOSE_GRACE_MS, { background: true });
      },
      pause: () => socket.pause(),
      resume: () => socket.resume(),
    };
    const session = new FixSession(
      this.settings,
      this.store(),
      wire,
      this.clock,
      this.log,
      {
        onLoggedOn: () => this.on('loggedOn'),
        onApplication: (m) => this.onApplication(m),
        onSessionReject: (m) => this.notify(() => this.listener.onMessage(this.broker, mapSessionReject(reader(m.fields), this.sentMessage, m))),
        onAlert: (alert) => this.onAlert(alert),
        onEnded: (reason, how) => {
          if (attempt !== this.attempt) return;
          if (how === 'halt') this.haltReason = reason;
          this.on(how === 'halt' ? 'sessionHalted' : how === 'normal' ? 'sessionEnded' : 'sessionFailed', reason);
        },
      },
      this.counters,
      this.options.unitOfWork ?? this.store(),
    );
    this.session = session;
    socket.on('data', (chunk: Buffer) => session.receive(chunk));
    socket.on('error', (e) => {
      socketError = errorText(e);
    });
    socket.on('close', () => session.transportClosed(socketError ?? 'connection closed by the broker'));
    const logonTimeoutMs = this.options.logonTimeoutMs ?? 10_000;
    this.phaseTimer = this.clock.setTimeout(() => this.on('logonTimedOut', `no answer to our Logon within ${logonTimeoutMs / 1000} s`), logonTimeoutMs);
    const reset = this.dailyResetDue();
    this.log.debug('connected, sending Logon', { reset });
    session.start(reset !== undefined);
    if (reset !== undefined) this.store().setLastResetDay(reset);
  }

  /** Ends the session (without a Logout: the phase decided that already) and lets the socket go. */
  private closeConnection(reason: string): void {
    const session = this.session;
    this.session = undefined;
    const socket = this.socket;
    this.socket = undefined;
    this.attempt++; // whatever the old attempt still says is late
    if (session !== undefined && !session.ended) session.abort(reason, 'normal');
    if (socket !== undefined && !socket.destroyed) {
      if (session === undefined) socket.destroy();
      else this.clock.setTimeout(() => socket.destroy(), CLOSE_GRACE_MS, { background: true }); // the session flushed a last message and closed its end
    }
  }

  /** The schedule's session day, when this logon is its first and the schedule resets daily. */
  private dailyResetDue(): string | undefined {
    const schedule = this.config.schedule;
    if (schedule?.resetSeqNumsDaily !== true) return undefined;
    const day = scheduleState(schedule, this.clock.now()).sessionDay;
    if (day === undefined || this.store().sequences.lastResetDay === day) return undefined;
    return day;
  }

  private onApplication(m: InboundApplication): void {
    const application = this.options.application;
    if (application !== undefined) return this.notify(() => application(m));
    const fields = reader(m.fields);
    if (m.msgType === 'j') {
      this.log.warn('BusinessMessageReject from the broker', { raw: m.raw });
      this.notify(() => this.listener.onMessage(this.broker, mapBusinessReject(fields, this.sentMessage, m)));
      return;
    }
    if (m.msgType !== '8' && m.msgType !== '9') {
      this.log.info('ignoring an application message the desk does not use', { msgType: m.msgType, raw: m.raw });
      return;
    }
    const mapped = mapInbound(m.msgType, fields, m.raw);
    if (!mapped.ok) {
      this.log.warn('malformed message from the broker', { reason: mapped.reason, raw: m.raw });
      this.notify(() => this.listener.onMalformed(this.broker, mapped.reason, m.raw));
      this.session?.noteMalformed(); // a flood of them ends the session (the inbound budget)
      return;
    }
    // As notify does, without a closure per report.
    try {
      this.listener.onMessage(this.broker, mapped.message);
    } catch (e) {
      this.log.error('broker listener threw', { error: errorText(e) });
    }
  }

  /** The message we sent with this MsgSeqNum in the current sequence (what a broker's reject names by RefSeqNum). */
  private readonly sentMessage: SentLookup = (seqNum) => {
    const stored = this.store().outgoing(seqNum, seqNum)[0];
    if (stored === undefined) return undefined;
    return { msgType: stored.msgType, fields: reader(parseFields(stored.raw) ?? []) };
  };

  private onAlert(alert: SessionAlert): void {
    if (alert.level === 'error') this.lastError = alert.text;
    this.notify(() => this.listener.onSessionAlert?.(this.broker, alert));
  }

  /** A throwing listener must not take the session down with it. */
  private notify(call: () => void): void {
    try {
      call();
    } catch (e) {
      this.log.error('broker listener threw', { error: errorText(e) });
    }
  }

  private store(): FixSessionStore {
    if (this.storeInstance === undefined) {
      const c = this.config;
      const name = safeFileName(`${c.name}${this.role === 'dropCopy' ? '.dropcopy' : ''}.${c.senderCompId}-${c.targetCompId}`);
      const db = this.options.database;
      const file = db === undefined && this.options.dataDir !== undefined ? join(this.options.dataDir, 'fix-sessions', `${name}.sqlite`) : undefined;
      const location = db !== undefined ? `${db.name}#${name}` : file;
      if (location !== undefined) {
        if (openStores.has(location)) throw new Error(`${this.broker}: the session store ${location} is already open in this process (two connections for one session?)`);
        openStores.add(location);
      }
      const options = { sessionKey: sessionKey(this.settings), clock: this.clock, ...(this.options.storeMaxRows !== undefined && { maxRows: this.options.storeMaxRows }), ...(this.options.keepIncoming !== undefined && { keepIncoming: this.options.keepIncoming }) };
      this.storeInstance =
        db !== undefined
          ? FixSessionStore.inDatabase(db, { ...options, name })
          : new FixSessionStore(file, { ...options, onProblem: (problem) => this.log[problem.level === 'error' ? 'error' : 'warn'](problem.text) });
      this.storeLocation = location;
    }
    return this.storeInstance;
  }

  /** Lets go of a durable store (an in-memory one is kept: it is the only copy of the session). */
  private closeStore(): void {
    const store = this.storeInstance;
    if (store === undefined || this.storeLocation === undefined) return;
    store.close();
    openStores.delete(this.storeLocation);
    this.storeInstance = undefined;
    this.storeLocation = undefined;
  }

  private setState(state: SessionState, error?: string): void {
    if (state === this.current && error === this.lastError) return;
    this.current = state;
    this.lastError = error;
    this.log.info(`session ${state}`, error !== undefined ? { error } : undefined);
    this.notify(() => this.listener.onState(this.broker, state, error));
  }
}

/** What the session layer needs from the broker's config. */
export function sessionSettings(config: BrokerConfig, password: string | undefined): FixSessionSettings {
  const dialect = fixDialect(config.fixVersion);
  const tags = (record: Readonly<Record<string, string>> | undefined): FixField[] => Object.entries(record ?? {}).map(([tag, value]) => [Number(tag), value]);
  const logonFields: FixField[] = [];
  if (config.username !== undefined) logonFields.push([553, config.username]);
  if (password !== undefined) logonFields.push([554, password]);
  // FIXT.1.1: the application version of the session (DefaultApplVerID 1137, 9 = FIX 5.0SP2).
  if (dialect.logon?.DefaultApplVerID !== undefined) logonFields.push([1137, dialect.logon.DefaultApplVerID]);
  logonFields.push(...tags(config.logonTags));
  return {
    role: 'initiator',
    beginString: dialect.beginString,
    senderCompId: config.senderCompId,
    targetCompId: config.targetCompId,
    ...(config.senderSubId !== undefined && { senderSubId: config.senderSubId }),
    ...(config.targetSubId !== undefined && { targetSubId: config.targetSubId }),
    ...(config.senderLocationId !== undefined && { senderLocationId: config.senderLocationId }),
    ...(config.targetLocationId !== undefined && { targetLocationId: config.targetLocationId }),
    heartbeatSeconds: config.heartbeatSeconds,
    resetOnLogon: config.resetSeqNumOnLogon,
    logonFields,
    headerFields: tags(config.headerTags),
    replayMaxAgeSeconds: config.replayMaxAgeSeconds ?? 300,
    resendTimeoutMs: (config.resendTimeoutSeconds ?? 10) * 1000,
  };
}

function sessionKey(s: FixSessionSettings): string {
  return `${s.beginString}:${s.senderCompId}/${s.senderSubId ?? ''}->${s.targetCompId}/${s.targetSubId ?? ''}`;
}

function safeFileName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_');
}

/** The first value of each tag, by a scan: a report's ~30 fields are read ~25 times, cheaper than a Map per report (1.6 KB). */
function reader(fields: readonly FixField[]): FieldReader {
  return new ScanningReader(fields);
}

/** A class, not a closure per message: no function object (and no esbuild name for it) per report. */
class ScanningReader implements FieldReader {
  constructor(private readonly fields: readonly FixField[]) {}

  get(tag: number): string | undefined {
    const fields = this.fields;
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i]!;
      if (field[0] === tag) return field[1];
    }
    return undefined;
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
