import { createConnection } from 'node:net';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import type Database from 'better-sqlite3';
import type { SessionState } from '../../../shared/domain/order-types';
import type { BrokerConnection, BrokerListener, FixLogEntry, FixLogQuery, InboundMessage, OutboundMessage, SessionAlert, SessionStats } from '../broker/broker-port';
import { describeOutbound } from '../broker/broker-port';
import type { BrokerConfig } from '../config/desk-config';
import { brokerPassword } from '../config/desk-config';
import type { Logger } from '../log/logger';
import type { Clock, TimerHandle } from '../time/clock';
import { systemClock } from '../time/clock';
import { fixDialect } from './fix-dialect';
import type { InboundApplication, SessionEnd } from './fix-session';
import { FixSession, newCounters } from './fix-session';
import type { FixSessionSettings, SessionCounters } from './fix-session';
import { FixSessionStore } from './fix-session-store';
import { tlsConnectOptions } from './fix-tls';
import type { FixField } from './fix-wire';
import { fieldsToTags, parseFields } from './fix-wire';
import type { FieldReader } from './fix-text';
import { mapInbound } from './inbound-mapping';
import type { SentLookup } from './reject-mapping';
import { mapBusinessReject, mapSessionReject } from './reject-mapping';
import { mapOutbound } from './outbound-mapping';
import { scheduleState } from './session-schedule';

export interface FixBrokerConnectionOptions {
  readonly log: Logger;
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
  /** 'dropCopy': a session that only receives (send() refuses everything). Default 'trading'. */
  readonly role?: 'trading' | 'dropCopy';
  /** Timers of the session and the schedule. Default: the system clock. */
  readonly clock?: Clock;
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
}

/** An outbound message that failed validation: a bug upstream, never sent. */
export class OutboundValidationError extends Error {
  override readonly name = 'OutboundValidationError';
}

/**
 * A BrokerConnection over our own FIX session layer (fix-session.ts) on a TCP or TLS socket we
 * open ourselves: FIX 4.2, 4.4 or 5.0SP2 over FIXT.1.1, as the broker's config says.
 *
 * Reconnection is ours: every ended or failed connection is retried with a doubling delay, until
 * stop(), logout() (until connect()), the end of the session schedule (until its next start), or a
 * halt (MsgSeqNum too low: until connect()). Sequence numbers and every message live in the
 * session store, so they carry over reconnects and, with a data folder, restarts (when
 * resetSeqNumOnLogon is false).
 */
export function createFixBrokerConnection(config: BrokerConfig, listener: BrokerListener, options: FixBrokerConnectionOptions): BrokerConnection {
  return new FixBrokerConnection(config, listener, options);
}

/** Session store files open in this process: two connections must never share one. */
const openStores = new Set<string>();

type Idle = 'loggedOut' | 'outsideSchedule' | 'halted';

class FixBrokerConnection implements BrokerConnection {
  readonly broker: string;
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
  private loop: Promise<void> | undefined;
  private stopping = false;
  private failures = 0;
  /** Why we are not connecting, when we are not (besides stop()). */
  private idle: Idle | undefined;
  /** connect() outside the schedule: up until the schedule next changes. */
  private manualOverride = false;
  private lastInSchedule: boolean | undefined;
  private scheduleTimer: TimerHandle | undefined;
  private wake: (() => void) | undefined;
  private readonly settings: FixSessionSettings;

  constructor(
    private readonly config: BrokerConfig,
    private readonly listener: BrokerListener,
    private readonly options: FixBrokerConnectionOptions,
  ) {
    this.broker = config.name;
    this.role = options.role ?? 'trading';
    this.log = options.log.child(`fix.${config.name}${this.role === 'dropCopy' ? '.dropcopy' : ''}`);
    this.clock = options.clock ?? systemClock;
    this.settings = sessionSettings(config, brokerPassword(config, options.env));
  }

  get state(): SessionState {
    return this.current;
  }

  start(): void {
    if (this.loop !== undefined) return;
    this.stopping = false;
    this.failures = 0;
    this.store();
    this.checkSchedule();
    this.loop = this.reconnectLoop();
  }

  async stop(): Promise<void> {
    const loop = this.loop;
    if (this.scheduleTimer !== undefined) this.clock.clearTimeout(this.scheduleTimer);
    this.scheduleTimer = undefined;
    if (loop === undefined) {
      this.closeStore();
      return;
    }
    this.stopping = true;
    this.wake?.();
    await this.endSession('logged out by the desk');
    this.socket?.destroy();
    await loop;
    this.loop = undefined;
    this.closeStore();
    this.setState('stopped');
  }

  send(message: OutboundMessage): boolean {
    const mapped = mapOutbound(message, this.config.fixVersion);
    if (!mapped.ok) {
      throw new OutboundValidationError(`${this.broker}: ${describeOutbound(message)} not sent: ${mapped.problems.join('; ')}`);
    }
    if (this.role === 'dropCopy') {
      this.log.warn('a drop-copy session only receives: not sent', { message: describeOutbound(message) });
      return false;
    }
    const session = this.session;
    if (this.current !== 'loggedOn' || this.stopping || session === undefined || !session.loggedOn) return false;
    return session.sendApplication(mapped.fix.msgType, fieldsToTags(mapped.fix.fields));
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
      ...(this.idle !== undefined && { idle: this.idle }),
    };
  }

  connect(): void {
    if (this.idle === 'outsideSchedule' || (!this.inSchedule() && this.config.schedule !== undefined)) this.manualOverride = true;
    this.idle = undefined;
    this.failures = 0;
    if (this.loop === undefined) {
      this.start();
      return;
    }
    this.log.info('connect requested');
    this.wake?.();
  }

  async logout(reason: string): Promise<void> {
    this.idle = 'loggedOut';
    this.logoutReason = reason;
    this.manualOverride = false;
    this.wake?.();
    await this.endSession(reason);
  }

  private logoutReason = '';

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
    if (this.storeInstance !== undefined || this.loop !== undefined) return use(this.store());
    const store = this.store();
    try {
      return use(store);
    } finally {
      this.closeStore();
    }
  }

  // ---- the loop -------------------------------------------------------------------------------

  private async reconnectLoop(): Promise<void> {
    while (!this.stopping) {
      if (!this.shouldConnect()) {
        this.setState('stopped', this.idleText());
        await this.sleep(60_000);
        continue;
      }
      const { reason, how } = await this.connectOnce();
      if (this.stopping) break;
      if (how === 'halt') {
        this.idle = 'halted';
        this.haltReason = reason;
        continue;
      }
      if (!this.shouldConnect()) continue;
      this.failures++;
      const seconds = Math.min(this.config.reconnectSeconds * 2 ** (this.failures - 1), Math.max(this.options.maxReconnectSeconds ?? 30, this.config.reconnectSeconds));
      this.log.info('disconnected, will reconnect', { reason, inSeconds: seconds });
      this.setState('disconnected', reason);
      await this.sleep(seconds * 1000);
    }
  }

  private haltReason = '';

  /** The session's last error while it idles: what a person must know to bring it back. */
  private idleText(): string | undefined {
    switch (this.idle) {
      case 'loggedOut':
        return `logged out: ${this.logoutReason}`;
      case 'halted':
        return `halted: ${this.haltReason} (connect after checking the sequence numbers)`;
      default:
        return undefined;
    }
  }

  private shouldConnect(): boolean {
    if (this.idle === 'loggedOut' || this.idle === 'halted') return false;
    if (!this.inSchedule() && !this.manualOverride) {
      this.idle = 'outsideSchedule';
      return false;
    }
    if (this.idle === 'outsideSchedule') this.idle = undefined;
    return true;
  }

  private inSchedule(): boolean {
    const schedule = this.config.schedule;
    return schedule === undefined || scheduleState(schedule, this.clock.now()).inSession;
  }

  /** Looks at the schedule every second: logs out at its end, wakes the loop at its start. */
  private checkSchedule(): void {
    const schedule = this.config.schedule;
    if (schedule === undefined) return;
    const inSchedule = this.inSchedule();
    if (this.lastInSchedule !== undefined && inSchedule !== this.lastInSchedule) {
      this.manualOverride = false;
      if (inSchedule) {
        this.log.info('session schedule: start');
        if (this.idle === 'outsideSchedule') this.idle = undefined;
        this.failures = 0;
        this.wake?.();
      } else {
        this.log.info('session schedule: end, logging out');
        this.idle = 'outsideSchedule';
        void this.endSession('end of the session schedule');
      }
    }
    this.lastInSchedule = inSchedule;
    this.scheduleTimer = this.clock.setTimeout(() => this.checkSchedule(), this.options.scheduleCheckMs ?? 1_000);
  }

  /** Logs the live session out (waiting briefly for the answer), or drops a connection still logging on. */
  private async endSession(reason: string): Promise<void> {
    const session = this.session;
    if (session === undefined || session.ended) return;
    const ended = new Promise<void>((resolve) => (this.sessionEnded = resolve));
    if (session.loggedOn) {
      this.log.info('logging out', { reason });
      session.logout(reason);
      await Promise.race([ended, delay(this.options.logoutTimeoutMs ?? 2_000)]);
    }
    if (!session.ended) session.abort(reason, 'normal');
    this.socket?.destroy();
  }

  private sessionEnded: (() => void) | undefined;

  /** One connection's lifetime: connect, log on, run until it ends. */
  private async connectOnce(): Promise<{ reason: string; how: SessionEnd }> {
    this.setState('connecting', this.lastError);
    let socket: Socket;
    try {
      socket = await this.connectSocket();
    } catch (e) {
      return { reason: `cannot connect to ${this.config.host}:${this.config.port}: ${errorText(e)}`, how: 'error' };
    }
    if (this.stopping || !this.shouldConnect()) {
      socket.destroy();
      return { reason: 'stopped', how: 'normal' };
    }
    this.socket = socket;
    let socketError: string | undefined;
    let result: ((r: { reason: string; how: SessionEnd }) => void) | undefined;
    const ended = new Promise<{ reason: string; how: SessionEnd }>((resolve) => (result = resolve));
    const wire = {
      write: (text: string) => {
        if (!socket.destroyed) socket.write(text, 'latin1');
      },
      close: () => {
        socket.end();
        // A counterparty that never closes its side must not keep the socket.
        setTimeout(() => socket.destroy(), 1_000).unref();
      },
    };
    const session = new FixSession(
      this.settings,
      this.store(),
      wire,
      this.clock,
      this.log,
      {
        onLoggedOn: () => {
          this.failures = 0;
          this.lastError = undefined;
          this.setState('loggedOn');
        },
        onApplication: (m) => this.onApplication(m),
        batch: (fn) => (this.listener.batch !== undefined ? this.listener.batch(fn) : fn()),
        onApplicationSent: (msgType, raw) => this.notify(() => this.listener.onSent?.(this.broker, msgType, raw)),
        onSessionReject: (m) => this.notify(() => this.listener.onMessage(this.broker, mapSessionReject(reader(m.fields), this.sentMessage, m))),
        onAlert: (alert) => this.onAlert(alert),
        onEnded: (reason, how) => {
          this.sessionEnded?.();
          result?.({ reason, how });
        },
      },
      this.counters,
    );
    this.session = session;
    socket.on('data', (chunk: Buffer) => session.receive(chunk));
    socket.on('error', (e) => {
      socketError = errorText(e);
    });
    socket.on('close', () => session.transportClosed(socketError ?? 'connection closed by the broker'));
    const logonTimeoutMs = this.options.logonTimeoutMs ?? 10_000;
    const logonTimer = setTimeout(() => {
      if (!session.loggedOn && !session.ended) session.abort(`no answer to our Logon within ${logonTimeoutMs / 1000} s`);
    }, logonTimeoutMs);
    const reset = this.dailyResetDue();
    this.log.debug('connected, sending Logon', { reset });
    session.start(reset !== undefined);
    if (reset !== undefined) this.store().setLastResetDay(reset);
    try {
      return await ended;
    } finally {
      // The session closed its end of the socket (flushing a last Logout); it is destroyed a second later.
      clearTimeout(logonTimer);
      this.session = undefined;
      this.socket = undefined;
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
      return;
    }
    const message: InboundMessage = mapped.message;
    this.notify(() => this.listener.onMessage(this.broker, message));
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

  private connectSocket(): Promise<Socket> {
    const timeoutMs = this.options.connectTimeoutMs ?? 10_000;
    const { host, port, tls } = this.config;
    return new Promise((resolve, reject) => {
      let socket: Socket;
      try {
        socket =
          tls !== undefined
            ? tlsConnect({ host, port, ...tlsConnectOptions(tls, host, this.options.env ?? process.env) })
            : createConnection({ host, port });
      } catch (e) {
        reject(e);
        return;
      }
      socket.setNoDelay(true);
      socket.setKeepAlive(true);
      this.socket = socket;
      const timer = setTimeout(() => socket.destroy(new Error(`no connection within ${timeoutMs / 1000} s`)), timeoutMs);
      const fail = (e?: Error) => {
        clearTimeout(timer);
        this.socket = undefined;
        reject(e ?? new Error(this.stopping ? 'stopped' : 'connection closed'));
      };
      socket.once('error', fail);
      socket.once('close', () => fail());
      socket.once(tls !== undefined ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        socket.removeListener('error', fail);
        socket.removeAllListeners('close');
        resolve(socket);
      });
    });
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
      const options = { sessionKey: sessionKey(this.settings), now: () => this.clock.now() };
      this.storeInstance = db !== undefined ? FixSessionStore.inDatabase(db, { ...options, name }) : new FixSessionStore(file, options);
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

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        done();
      };
    });
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

/** The first value of each tag of a message (a map: the mapping reads some 25 tags of an execution report). */
function reader(fields: readonly FixField[]): FieldReader {
  const first = new Map<number, string>();
  for (const [tag, value] of fields) if (!first.has(tag)) first.set(tag, value);
  return { get: (tag) => first.get(tag) };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
