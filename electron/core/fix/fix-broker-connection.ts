import 'reflect-metadata';
import { MsgTransport, SessionState as EngineState, TcpDuplex } from 'jspurefix';
import type { IJsFixConfig } from 'jspurefix';
import { createConnection } from 'node:net';
import type { Socket } from 'node:net';
import type { SessionState } from '../../../shared/domain/order-types';
import type { BrokerConnection, BrokerListener, InboundMessage, OutboundMessage } from '../broker/broker-port';
import { describeOutbound } from '../broker/broker-port';
import type { BrokerConfig } from '../config/desk-config';
import { brokerPassword } from '../config/desk-config';
import type { Logger } from '../log/logger';
import type { FieldReader } from './fix-text';
import { mapInbound } from './inbound-mapping';
import { initiatorDescription } from './initiator-description';
import { InitiatorSession } from './initiator-session';
import { makeSessionConfig } from './jspurefix-runtime';
import { mapOutbound } from './outbound-mapping';

export interface FixBrokerConnectionOptions {
  readonly log: Logger;
  /** Where passwordEnv is looked up. Default: process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** A TCP connect that takes longer fails. Default 10 s. */
  readonly connectTimeoutMs?: number;
  /** Connected but no Logon answer in this time: drop and retry. Default 10 s. */
  readonly logonTimeoutMs?: number;
  /** stop() waits this long for the broker to confirm our Logout. Default 2 s. */
  readonly logoutTimeoutMs?: number;
  /** Reconnect delays double from config.reconnectSeconds up to this. Default 30 s. */
  readonly maxReconnectSeconds?: number;
}

/** An outbound message that failed validation: a bug upstream, never sent. */
export class OutboundValidationError extends Error {
  override readonly name = 'OutboundValidationError';
}

/**
 * A BrokerConnection over a FIX initiator session (jspurefix): FIX 4.2, 4.4 or 5.0SP2 over FIXT.1.1,
 * as the broker's config says (see fix-dialect.ts).
 *
 * Reconnection is ours rather than the engine's RecoveringTcpInitiator, which gives up for good when
 * the first connection times out and when the broker ends the session with a Logout. Here every
 * ended or failed connection is retried, with a doubling delay, until stop(). One engine session
 * object lives across reconnects, so sequence numbers carry over when ResetSeqNumFlag is off.
 */
export function createFixBrokerConnection(config: BrokerConfig, listener: BrokerListener, options: FixBrokerConnectionOptions): BrokerConnection {
  return new FixBrokerConnection(config, listener, options);
}

class FixBrokerConnection implements BrokerConnection {
  readonly broker: string;
  private current: SessionState = 'stopped';
  private lastError: string | undefined;
  private readonly log: Logger;
  private engineConfig: Promise<IJsFixConfig> | undefined;
  private session: InitiatorSession | undefined;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private socket: Socket | undefined;
  private socketError: string | undefined;
  private peerLogoutText: string | undefined;
  private failures = 0;
  private transportId = 0;
  private wake: (() => void) | undefined;

  constructor(
    private readonly config: BrokerConfig,
    private readonly listener: BrokerListener,
    private readonly options: FixBrokerConnectionOptions,
  ) {
    this.broker = config.name;
    this.log = options.log.child(`fix.${config.name}`);
  }

  get state(): SessionState {
    return this.current;
  }

  start(): void {
    if (this.loop !== undefined) return;
    this.stopping = false;
    this.failures = 0;
    this.loop = this.reconnectLoop();
  }

  async stop(): Promise<void> {
    const loop = this.loop;
    if (loop === undefined) return;
    this.stopping = true;
    this.wake?.();
    const session = this.session;
    if (this.current === 'loggedOn' && session !== undefined) {
      this.log.info('logging out');
      session.done();
      await Promise.race([loop, delay(this.options.logoutTimeoutMs ?? 2_000)]);
    }
    if (session !== undefined && session.getState() !== EngineState.Stopped) session.requestStop('stopped by the desk');
    this.socket?.destroy();
    await loop;
    this.loop = undefined;
    this.setState('stopped');
  }

  send(message: OutboundMessage): boolean {
    const mapped = mapOutbound(message, this.config.fixVersion);
    if (!mapped.ok) {
      throw new OutboundValidationError(`${this.broker}: ${describeOutbound(message)} not sent: ${mapped.problems.join('; ')}`);
    }
    const session = this.session;
    if (this.current !== 'loggedOn' || this.stopping || session === undefined) return false;
    session.sendApplication(mapped.fix.msgType, mapped.fix.fields);
    return true;
  }

  private async reconnectLoop(): Promise<void> {
    while (!this.stopping) {
      const reason = await this.connectOnce();
      if (this.stopping) break;
      this.failures++;
      const seconds = Math.min(this.config.reconnectSeconds * 2 ** (this.failures - 1), Math.max(this.options.maxReconnectSeconds ?? 30, this.config.reconnectSeconds));
      this.log.info('disconnected, will reconnect', { reason, inSeconds: seconds });
      this.setState('disconnected', reason);
      await this.sleep(seconds * 1000);
    }
  }

  /** One connection's lifetime: connect, log on, run until it ends. Resolves with why it ended. */
  private async connectOnce(): Promise<string> {
    this.setState('connecting', this.lastError);
    let session: InitiatorSession;
    let engineConfig: IJsFixConfig;
    try {
      engineConfig = await this.getEngineConfig();
      session = this.getSession(engineConfig);
    } catch (e) {
      this.engineConfig = undefined;
      return `cannot start the FIX engine: ${errorText(e)}`;
    }
    let socket: Socket;
    try {
      socket = await this.connectSocket();
    } catch (e) {
      return `cannot connect to ${this.config.host}:${this.config.port}: ${errorText(e)}`;
    } finally {
      this.socket = undefined;
    }
    if (this.stopping) {
      socket.destroy();
      return 'stopped';
    }
    this.socket = socket;
    this.socketError = undefined;
    this.peerLogoutText = undefined;
    socket.on('error', (e) => {
      this.socketError = errorText(e);
    });
    const transport = new MsgTransport(++this.transportId, engineConfig, new TcpDuplex(socket));
    session.reset();
    const logonTimeoutMs = this.options.logonTimeoutMs ?? 10_000;
    const logonTimer = setTimeout(() => {
      if (this.current !== 'loggedOn') session.requestStop(`no answer to our Logon within ${logonTimeoutMs / 1000} s`);
    }, logonTimeoutMs);
    this.log.debug('connected, sending Logon', { transport: transport.id });
    try {
      await session.run(transport);
      return this.peerLogoutText !== undefined ? `logged out by the broker: ${this.peerLogoutText}` : 'session ended';
    } catch (e) {
      if (this.peerLogoutText !== undefined) return `logged out by the broker: ${this.peerLogoutText}`;
      const text = errorText(e);
      // The engine words a dropped connection as 'unexpected state - transport failed?'.
      if (/transport failed|unexpected state/.test(text)) return this.socketError ?? 'connection closed by the broker';
      return text;
    } finally {
      clearTimeout(logonTimer);
      this.socket = undefined;
    }
  }

  private getEngineConfig(): Promise<IJsFixConfig> {
    this.engineConfig ??= makeSessionConfig(initiatorDescription(this.config, brokerPassword(this.config, this.options.env)), this.log);
    return this.engineConfig;
  }

  private getSession(engineConfig: IJsFixConfig): InitiatorSession {
    this.session ??= new InitiatorSession(engineConfig, {
      onLoggedOn: () => {
        this.failures = 0;
        this.lastError = undefined;
        this.setState('loggedOn');
      },
      onApplicationMessage: (msgType, fields, raw) => this.onApplicationMessage(msgType, fields, raw),
      onSessionReject: (text, raw) => {
        this.log.warn('session-level Reject from the broker', { text, raw });
        this.notify(() => this.listener.onMalformed(this.broker, `session-level Reject (35=3): ${text}`, raw));
      },
      onApplicationSent: (msgType, raw) => this.notify(() => this.listener.onSent?.(this.broker, msgType, raw)),
      onPeerLogout: (text) => {
        this.peerLogoutText ??= text ?? '(no reason given)';
        if (!this.stopping) this.log.warn('broker sent Logout', { text });
      },
    });
    return this.session;
  }

  private onApplicationMessage(msgType: string, fields: FieldReader, raw: string): void {
    if (msgType === 'j') {
      const reason = `BusinessMessageReject (35=j) of RefMsgType ${fields.get(372) ?? '?'} ref ${fields.get(379) ?? '?'}: ${fields.get(58) ?? `reason ${fields.get(380) ?? '?'}`}`;
      this.log.warn(reason, { raw });
      this.notify(() => this.listener.onMalformed(this.broker, reason, raw));
      return;
    }
    if (msgType !== '8' && msgType !== '9') {
      this.log.info('ignoring an application message the desk does not use', { msgType, raw });
      return;
    }
    const mapped = mapInbound(msgType, fields, raw);
    if (!mapped.ok) {
      this.log.warn('malformed message from the broker', { reason: mapped.reason, raw });
      this.notify(() => this.listener.onMalformed(this.broker, mapped.reason, raw));
      return;
    }
    const message: InboundMessage = mapped.message;
    this.notify(() => this.listener.onMessage(this.broker, message));
  }

  /** A throwing listener must not take the engine's parser down with it. */
  private notify(call: () => void): void {
    try {
      call();
    } catch (e) {
      this.log.error('broker listener threw', { error: errorText(e) });
    }
  }

  private connectSocket(): Promise<Socket> {
    const timeoutMs = this.options.connectTimeoutMs ?? 10_000;
    return new Promise((resolve, reject) => {
      // The engine never sets TCP_NODELAY on initiator sockets: Nagle would hold small orders back.
      const socket = createConnection({ host: this.config.host, port: this.config.port, noDelay: true, keepAlive: true });
      this.socket = socket;
      const timer = setTimeout(() => socket.destroy(new Error(`no connection within ${timeoutMs / 1000} s`)), timeoutMs);
      const fail = (e?: Error) => {
        clearTimeout(timer);
        reject(e ?? new Error(this.stopping ? 'stopped' : 'connection closed'));
      };
      socket.once('error', fail);
      socket.once('close', () => fail());
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeListener('error', fail);
        socket.removeAllListeners('close');
        resolve(socket);
      });
    });
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

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
