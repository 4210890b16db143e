import type { SessionStatsView } from '../../../shared/contract/views';
import type { Instrument } from '../../../shared/domain/instrument';
import type { SessionState } from '../../../shared/domain/order-types';
import type { BrokerListener } from '../broker/broker-port';
import type { MarketDataConfig } from '../config/desk-config';
import { brokerConfigSchema } from '../config/desk-config';
import type { FixFieldsConnection } from '../fix/fix-broker-connection';
import { createFixFieldsConnection } from '../fix/fix-broker-connection';
import type { InboundApplication } from '../fix/fix-session';
import type { FixField } from '../fix/fix-wire';
import type { Logger } from '../log/logger';
import type { Clock } from '../time/clock';
import type { MdIncrementalEntry } from './fix-market-data';
import { marketDataRequest, readMarketDataMessage } from './fix-market-data';
import type { MarketDataFeed, MarketDataListener } from './market-data-port';

export interface FixMarketDataFeedOptions {
  readonly log: Logger;
  /** Every timer: reconnect backoff, logon and connect timeouts, heartbeats. */
  readonly clock: Clock;
  readonly env?: NodeJS.ProcessEnv;
  /** The trade date an FX forward's value date is counted from (YYYY-MM-DD). Default: the clock's UTC date. */
  readonly tradeDate?: () => string;
  readonly connectTimeoutMs?: number;
  readonly logonTimeoutMs?: number;
}

/** The session store of a market-data session: market data is never resent, so it keeps only the latest messages. */
const STORE_MAX_ROWS = 10_000;

interface Subscription {
  readonly instrument: Instrument;
  /** The MDReqID of the current request; a new one at every (re)subscription, so late answers to an old one are dropped. */
  reqId: string | undefined;
  refused: boolean;
}

/**
 * The market-data port over FIX: one session (our own session layer and the broker connection's
 * state machine: reconnect with backoff, logon and connect timeouts) that logs on with
 * ResetSeqNumFlag=Y, one MarketDataRequest (35=V, snapshot + updates, top of book) per instrument,
 * every subscription made again after each logon, an unsubscribe (263=2) naming the request's
 * MDReqID. W, X and Y are read by the dictionary's groups (fix-market-data.ts).
 */
export class FixMarketDataFeed implements MarketDataFeed {
  readonly name: string;
  readonly endpoint: MarketDataFeed['endpoint'];
  private readonly connection: FixFieldsConnection;
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly byReqId = new Map<string, string>();
  private nextReq = 1;
  /** Distinguishes this desk run's MDReqIDs from an earlier one's. */
  private readonly reqPrefix: string;

  constructor(
    private readonly config: MarketDataConfig,
    private readonly listener: MarketDataListener,
    private readonly options: FixMarketDataFeedOptions,
  ) {
    this.name = config.name;
    this.endpoint = { host: config.host, port: config.port, senderCompId: config.senderCompId, targetCompId: config.targetCompId, fixVersion: config.fixVersion };
    this.reqPrefix = options.clock.now().getTime().toString(36);
    const broker = brokerConfigSchema.parse({
      name: config.name,
      host: config.host,
      port: config.port,
      fixVersion: config.fixVersion,
      senderCompId: config.senderCompId,
      targetCompId: config.targetCompId,
      ...(config.senderSubId !== undefined && { senderSubId: config.senderSubId }),
      ...(config.targetSubId !== undefined && { targetSubId: config.targetSubId }),
      heartbeatSeconds: config.heartbeatSeconds,
      reconnectSeconds: config.reconnectSeconds,
      resetSeqNumOnLogon: true,
      replayMaxAgeSeconds: 0,
      ...(config.username !== undefined && { username: config.username }),
      ...(config.password !== undefined && { password: config.password }),
      ...(config.passwordEnv !== undefined && { passwordEnv: config.passwordEnv }),
      ...(config.tls !== undefined && { tls: config.tls }),
    });
    const session: BrokerListener = {
      onState: (_name, state, error) => this.onState(state, error),
      onMessage: () => {},
      onMalformed: (_name, reason, raw) => listener.onMalformed(reason, raw),
      onSessionAlert: (_name, alert) => options.log[alert.level === 'error' ? 'error' : alert.level === 'warning' ? 'warn' : 'info'](alert.text),
    };
    this.connection = createFixFieldsConnection(broker, session, {
      log: options.log,
      clock: options.clock,
      application: (m) => this.onApplication(m),
      storeMaxRows: STORE_MAX_ROWS,
      ...(options.env !== undefined && { env: options.env }),
      ...(options.connectTimeoutMs !== undefined && { connectTimeoutMs: options.connectTimeoutMs }),
      ...(options.logonTimeoutMs !== undefined && { logonTimeoutMs: options.logonTimeoutMs }),
    });
  }

  get state(): SessionState {
    return this.connection.state;
  }

  start(): void {
    this.connection.start();
  }

  stop(): Promise<void> {
    return this.connection.stop();
  }

  stats(): SessionStatsView {
    return this.connection.stats();
  }

  /** Subscribed instruments (for tests and the monitor). */
  get subscribed(): string[] {
    return [...this.subscriptions.keys()];
  }

  subscribe(instrument: Instrument): void {
    if (this.subscriptions.has(instrument.id)) return;
    const s: Subscription = { instrument, reqId: undefined, refused: false };
    this.subscriptions.set(instrument.id, s);
    if (this.connection.state === 'loggedOn') this.request(s);
  }

  unsubscribe(instrumentId: string): void {
    const s = this.subscriptions.get(instrumentId);
    if (s === undefined) return;
    this.subscriptions.delete(instrumentId);
    if (s.reqId === undefined) return;
    this.byReqId.delete(s.reqId);
    if (!s.refused && this.connection.state === 'loggedOn') this.send(marketDataRequest(s.reqId, s.instrument, this.config.fixVersion, 'unsubscribe', this.tradeDate()), s.instrument.id);
  }

  private onState(state: SessionState, error?: string): void {
    if (state === 'loggedOn') {
      // A fresh session knows none of our requests: every instrument again, refused ones included (entitlements change).
      this.byReqId.clear();
      for (const s of this.subscriptions.values()) {
        s.refused = false;
        this.request(s);
      }
    }
    this.listener.onState(state, error);
  }

  private request(s: Subscription): void {
    if (s.reqId !== undefined) this.byReqId.delete(s.reqId);
    s.reqId = `${this.reqPrefix}-${this.nextReq++}`;
    this.byReqId.set(s.reqId, s.instrument.id);
    this.send(marketDataRequest(s.reqId, s.instrument, this.config.fixVersion, 'subscribe', this.tradeDate()), s.instrument.id);
  }

  private send(message: { readonly msgType: string; readonly fields: readonly FixField[] }, instrumentId: string): void {
    try {
      this.connection.sendFields(message.msgType, message.fields);
    } catch (error) {
      this.options.log.error('market-data request not sent', { instrumentId, error: error instanceof Error ? error.message : String(error) });
    }
  }

  private onApplication(m: InboundApplication): void {
    if (m.msgType !== 'W' && m.msgType !== 'X' && m.msgType !== 'Y') {
      this.options.log.info('ignoring a message a market-data session does not use', { msgType: m.msgType });
      return;
    }
    const read = readMarketDataMessage(m.msgType, m.fields, this.config.fixVersion);
    if (!read.ok) return this.listener.onMalformed(read.reason, m.raw);
    const message = read.message;
    switch (message.kind) {
      case 'snapshot': {
        const id = this.byReqId.get(message.reqId);
        if (id !== undefined) this.listener.onSnapshot(id, message.entries);
        return;
      }
      case 'reject': {
        const id = this.byReqId.get(message.reqId);
        if (id === undefined) return;
        const s = this.subscriptions.get(id);
        if (s !== undefined) s.refused = true;
        this.listener.onReject(id, message.reason);
        return;
      }
      case 'incremental': {
        // Entries name their request (or the message does); each instrument's entries keep their order.
        let current: string | undefined;
        let run: MdIncrementalEntry[] = [];
        for (const e of message.entries) {
          const id = e.reqId !== undefined ? this.byReqId.get(e.reqId) : undefined;
          if (id !== current) {
            if (current !== undefined && run.length > 0) this.listener.onIncremental(current, run);
            current = id;
            run = [];
          }
          if (id !== undefined) run.push(e);
        }
        if (current !== undefined && run.length > 0) this.listener.onIncremental(current, run);
        return;
      }
    }
  }

  private tradeDate(): string {
    return this.options.tradeDate?.() ?? this.options.clock.now().toISOString().slice(0, 10);
  }
}
