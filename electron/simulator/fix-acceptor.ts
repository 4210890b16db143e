import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { Logger } from '../core/log/logger';
import type { FixSessionSettings, InboundApplication } from '../core/fix/fix-session';
import { FixSession, storeForResend } from '../core/fix/fix-session';
import { FixSessionStore } from '../core/fix/fix-session-store';
import type { FixField } from '../core/fix/fix-wire';
import { fieldOf } from '../core/fix/fix-wire';
import { systemClock } from '../core/time/clock';

/** A fault the simulator plays on a session (POST /brokers/<name>/fault). */
export type SessionFault =
  /** Drops the connection without a Logout. */
  | { readonly kind: 'disconnect' }
  /** Skips sequence numbers: the next message arrives with a gap (filled by a gap fill on resend). */
  | { readonly kind: 'skipSeq'; readonly count?: number }
  /** Sends the last `count` execution reports again with PossDupFlag=Y and their old MsgSeqNum. */
  | { readonly kind: 'possDupResend'; readonly count?: number }
  /** Bytes that are no FIX message. */
  | { readonly kind: 'garbage'; readonly text?: string }
  /** A Heartbeat with a wrong CheckSum (its MsgSeqNum is not used up). */
  | { readonly kind: 'badChecksum' }
  /** A Heartbeat with a MsgSeqNum `by` below the next one, without PossDupFlag. */
  | { readonly kind: 'lowSeq'; readonly by?: number }
  /** A hostile broker: `count` ResendRequests (BeginSeqNo `begin`, EndSeqNo `end`; default 1 and 0: everything) in one write. */
  | { readonly kind: 'resendStorm'; readonly count?: number; readonly begin?: string; readonly end?: string }
  /** A hostile broker: `count` messages that are no FIX (bad CheckSum) in one write. */
  | { readonly kind: 'malformedFlood'; readonly count?: number }
  /** A SequenceReset with NewSeqNo as given (any text: '1e308', '2147483648'), in reset mode or as a gap fill. */
  | { readonly kind: 'sequenceReset'; readonly newSeqNo: string; readonly gapFill?: boolean };

export interface AcceptorOptions {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly tls?: { readonly certPem: string; readonly keyPem: string; readonly caPem?: string; readonly requestCert: boolean };
  readonly settings: FixSessionSettings;
  /** The session store file (sequence numbers, sent messages); in memory when absent. */
  readonly storePath?: string;
  /** At most this many messages kept in the store (default 500,000): a market-data feed keeps few. */
  readonly storeMaxRows?: number;
  readonly log: Logger;
  /** Decides a Logon (after the CompIDs matched): undefined accepts, a string refuses. */
  checkLogon(fields: readonly FixField[]): string | undefined;
  onApplication?(message: InboundApplication): void;
  onLoggedOn?(): void;
  /** The logged-on session ended (logout, drop, replaced). */
  onSessionEnded?(): void;
}

/**
 * One FIX acceptor port of the simulator, on our own session layer (fix-session.ts) with its own
 * session store: sequence numbers and sent messages survive a simulator restart, so a ResendRequest
 * is answered from it (PossDupFlag=Y) as a real broker's engine would. One session at a time: a new
 * logon replaces a stale one. Messages sent while no session is logged on are numbered and stored,
 * and reach the desk by its ResendRequest after its next logon; a desk that logs on with
 * ResetSeqNumFlag=Y (which ends the old sequence) gets them again as new messages.
 */
export class FixAcceptor {
  readonly store: FixSessionStore;
  private server: Server | undefined;
  private active: FixSession | undefined;
  private readonly sessions = new Set<FixSession>();
  private readonly sockets = new Set<Socket>();
  private unsent: Array<{ msgType: string; body: readonly FixField[] }> = [];
  private readonly log: Logger;

  constructor(private readonly options: AcceptorOptions) {
    this.log = options.log;
    this.store = new FixSessionStore(options.storePath, {
      sessionKey: `${options.settings.beginString}:${options.settings.senderCompId}->${options.settings.targetCompId}`,
      clock: systemClock,
      onProblem: (problem) => this.log[problem.level === 'error' ? 'error' : 'warn'](problem.text, { broker: options.name }),
      ...(options.storeMaxRows !== undefined && { maxRows: options.storeMaxRows }),
    });
  }

  get loggedOn(): boolean {
    return this.active?.loggedOn === true;
  }

  async listen(): Promise<number> {
    const tls = this.options.tls;
    const server: Server = tls
      ? createTlsServer({ cert: tls.certPem, key: tls.keyPem, ...(tls.caPem !== undefined && { ca: tls.caPem }), requestCert: tls.requestCert, rejectUnauthorized: tls.requestCert }, (s) =>
          this.accept(s),
        )
      : createServer((s) => this.accept(s));
    this.server = server;
    const { host, port, name } = this.options;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e) => reject(new Error(`${name}: cannot listen on ${host}:${port}: ${e.message}`)));
      server.listen(port, host, () => resolve());
    });
    server.on('error', (e) => this.log.error('server error', { error: e.message }));
    if (tls) server.on('tlsClientError', (e) => this.log.warn('TLS handshake failed', { error: e.message }));
    return (server.address() as AddressInfo).port;
  }

  /**
   * Sends on the logged-on session, or numbers and stores the messages for the desk's resend
   * request. `alongside` runs in the same store transaction (the order book): after a crash the
   * store has both the book and the messages, or neither. The socket sees them after the commit.
   */
  send(messages: ReadonlyArray<{ readonly msgType: string; readonly body: readonly FixField[] }>, alongside?: () => void): void {
    const session = this.active?.loggedOn ? this.active : undefined;
    const now = new Date();
    const prepared = this.store.transaction(() => {
      alongside?.();
      return messages.map((m) => {
        const p = session?.prepareApplication(m.msgType, m.body);
        if (p === undefined) {
          storeForResend(this.options.settings, this.store, now, m.msgType, m.body);
          this.unsent.push(m);
        }
        return p;
      });
    });
    for (const p of prepared) if (p !== undefined) session!.writePrepared(p);
  }

  /**
   * Sends on the logged-on session only: nothing is kept for a resend (market data is stale by
   * then; a ResendRequest for it is answered with a gap fill). False when no session is logged on.
   */
  sendIfLoggedOn(msgType: string, body: readonly FixField[]): boolean {
    return this.active?.loggedOn === true && this.active.sendApplication(msgType, body) !== undefined;
  }

  /** A session-level Reject (35=3) of the desk's message, on the logged-on session (the broken-engine behaviours). */
  sessionReject(refSeqNum: number, refMsgType: string, reason: number, text: string, refTagId?: number): void {
    this.active?.rejectMessage(refSeqNum, refMsgType, reason, text, refTagId);
  }

  async close(): Promise<void> {
    for (const s of this.sessions) s.logout('simulator stopping');
    const deadline = Date.now() + 1_000;
    while ([...this.sessions].some((s) => !s.ended) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.store.close();
  }

  fault(fault: SessionFault): string {
    const session = this.active;
    if (fault.kind === 'skipSeq') {
      const count = fault.count ?? 3;
      const from = this.store.sequences.nextOut;
      this.store.setNextOut(from + count);
      return `skipped MsgSeqNum ${from}-${from + count - 1}`;
    }
    if (session === undefined || !session.loggedOn) throw new Error(`${this.options.name}: no desk session is logged on`);
    switch (fault.kind) {
      case 'disconnect':
        session.abort('fault: connection dropped');
        return 'connection dropped';
      case 'possDupResend': {
        const n = session.replayLast(fault.count ?? 1, ['8', '9']);
        return `resent ${n} message(s) with PossDupFlag=Y`;
      }
      case 'garbage': {
        const text = fault.text ?? `\x00garbage${randomBytes(8).toString('latin1')}\x01`;
        session.writeRaw(text);
        return `wrote ${text.length} garbage bytes`;
      }
      case 'badChecksum': {
        const frame = session.frameAt('0', [], session.nextOutgoing);
        const bad = frame.replace(/10=(\d{3})\x01$/, (_m, c: string) => `10=${String((Number(c) + 1) % 256).padStart(3, '0')}\x01`);
        session.writeRaw(bad);
        return `sent a Heartbeat with MsgSeqNum ${session.nextOutgoing} and a wrong CheckSum`;
      }
      case 'lowSeq': {
        const seq = Math.max(1, session.nextOutgoing - (fault.by ?? 1));
        session.writeRaw(session.frameAt('0', [], seq));
        return `sent a Heartbeat with MsgSeqNum ${seq} (too low, no PossDupFlag)`;
      }
      case 'resendStorm': {
        const count = fault.count ?? 500;
        const from = session.nextOutgoing;
        let text = '';
        for (let i = 0; i < count; i++) text += session.frameAt('2', [[7, fault.begin ?? '1'], [16, fault.end ?? '0']], from + i);
        this.store.setNextOut(from + count);
        session.writeRaw(text);
        return `sent ${count} ResendRequests (MsgSeqNum ${from}-${from + count - 1}) in one write`;
      }
      case 'malformedFlood': {
        const count = fault.count ?? 10_000;
        const frame = session.frameAt('0', [], session.nextOutgoing).replace(/10=\d{3}\x01$/, '10=xyz\x01');
        session.writeRaw(frame.repeat(count));
        return `sent ${count} messages with a bad CheckSum in one write`;
      }
      case 'sequenceReset': {
        const seq = session.nextOutgoing;
        const body: FixField[] = fault.gapFill === true ? [[123, 'Y'], [36, fault.newSeqNo]] : [[36, fault.newSeqNo]];
        if (fault.gapFill === true) this.store.setNextOut(seq + 1); // a reset's own MsgSeqNum is ignored by the rules
        session.writeRaw(session.frameAt('4', body, seq));
        return `sent a SequenceReset${fault.gapFill === true ? '-GapFill' : '-Reset'} with MsgSeqNum ${seq} and NewSeqNo ${fault.newSeqNo}`;
      }
    }
  }

  private accept(socket: Socket): void {
    socket.setNoDelay(true);
    this.sockets.add(socket);
    const remote = `${socket.remoteAddress}:${socket.remotePort}`;
    let socketError: string | undefined;
    socket.on('error', (e) => {
      socketError = e.message;
      this.log.debug('socket error', { error: e.message });
    });
    const session: FixSession = new FixSession(
      this.options.settings,
      this.store,
      {
        write: (text) => {
          if (!socket.destroyed) socket.write(text, 'latin1');
        },
        close: () => {
          socket.end();
          setTimeout(() => socket.destroy(), 500).unref();
        },
      },
      systemClock,
      this.log,
      {
        checkLogon: (fields) => {
          const refusal = this.options.checkLogon(fields);
          if (refusal !== undefined) return refusal;
          const previous = this.active;
          if (previous !== undefined && previous !== session && !previous.ended) previous.abort('replaced by a new logon');
          return undefined;
        },
        onLoggedOn: (logon) => {
          this.log.info('desk logged on', { remote, nextIn: this.store.sequences.nextIn, nextOut: this.store.sequences.nextOut });
          this.active = session;
          const waiting = this.unsent;
          this.unsent = [];
          // After a reset the stored messages belong to a sequence that ended: send them anew.
          if (fieldOf(logon, 141) === 'Y') for (const m of waiting) session.sendApplication(m.msgType, m.body);
          this.options.onLoggedOn?.();
        },
        onApplication: (m) => this.options.onApplication?.(m),
        onEnded: (reason) => {
          this.sessions.delete(session);
          if (this.active === session) {
            this.active = undefined;
            this.options.onSessionEnded?.();
          }
          this.log.info('session ended', reason.startsWith('logged out') ? undefined : { reason });
        },
      },
    );
    this.sessions.add(session);
    socket.on('data', (chunk: Buffer) => session.receive(chunk));
    socket.on('close', () => {
      this.sockets.delete(socket);
      session.transportClosed(socketError ?? 'connection closed by the desk');
    });
    session.start();
  }
}
