import type { CommandName, CommandParams, CommandResults } from '../../../shared/contract/commands';
import type { Result } from '../../../shared/contract/result';
import { fail } from '../../../shared/contract/result';
import type { DeskStreamMessage } from '../../../shared/contract/streams';
import type { WireRequest } from '../../../shared/contract/wire';
import { reconnectDelayMs } from './backoff';
import type { ConnectionStatus, DeskTransport } from './connection';
import { CALL_TIMEOUT_MS } from './connection';
import { parseWireDown } from './wire-parse';

/** The part of the browser WebSocket this client uses (so tests can hand in a fake). */
export interface SocketLike {
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export const SUBPROTOCOL = 'meridian.v1';
const OPEN = 1;
/** Close codes by which the desk says "your token is not accepted": retrying cannot help. */
const AUTH_CLOSE_CODES = new Set([4401, 4403]);

export interface WsDeskClientOptions {
  readonly url: string;
  readonly token: string;
  readonly createSocket?: (url: string, protocols: string[]) => SocketLike;
  readonly timeoutMs?: number;
  readonly random?: () => number;
  readonly warn?: (message: string) => void;
}

interface PendingCall {
  readonly resolve: (result: Result<unknown>) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

/**
 * DeskApi over the headless host's WebSocket. Calls made while disconnected fail at once instead of
 * being queued: replaying a trading command after a reconnect could send an order twice. The desk
 * sends a fresh snapshot on every connection, so "re-subscribing" means keeping our listeners.
 */
export class WsDeskClient implements DeskTransport {
  private socket: SocketLike | null = null;
  private nextId = 0;
  private attempt = 0;
  private stopped = true;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly pending = new Map<number, PendingCall>();
  private readonly streamListeners = new Set<(message: DeskStreamMessage) => void>();
  private readonly statusListeners = new Set<(status: ConnectionStatus) => void>();
  private readonly errorListeners = new Set<(message: string) => void>();
  private status: ConnectionStatus = { state: 'connecting', transport: 'websocket' };
  private readonly timeoutMs: number;
  private readonly createSocket: (url: string, protocols: string[]) => SocketLike;
  private readonly warn: (message: string) => void;

  constructor(private readonly options: WsDeskClientOptions) {
    this.timeoutMs = options.timeoutMs ?? CALL_TIMEOUT_MS;
    this.createSocket = options.createSocket ?? ((url, protocols) => new WebSocket(url, protocols) as unknown as SocketLike);
    this.warn = options.warn ?? ((message) => console.warn(`[desk] ${message}`));
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onclose = null;
      socket.close(1000, 'client stopped');
    }
    this.failPending('The connection to the desk was closed before it answered');
  }

  call<C extends CommandName>(command: C, params: CommandParams<C>): Promise<Result<CommandResults[C]>> {
    const socket = this.socket;
    if (!socket || socket.readyState !== OPEN) {
      return Promise.resolve(fail('INTERNAL', 'Not connected to the desk: nothing was sent'));
    }
    const id = ++this.nextId;
    const request: WireRequest = { id, command, params };
    return new Promise<Result<unknown>>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve(
          fail(
            'INTERNAL',
            `No answer from the desk within ${this.timeoutMs / 1000} s: it may still have acted; check the blotter before sending again`,
          ),
        );
      }, this.timeoutMs);
      this.pending.set(id, { resolve, timer });
      try {
        socket.send(JSON.stringify(request));
      } catch (error) {
        clearTimeout(timer);
        this.pending.delete(id);
        resolve(fail('INTERNAL', `Could not send to the desk: ${String(error)}`));
      }
    }) as Promise<Result<CommandResults[C]>>;
  }

  subscribe(listener: (message: DeskStreamMessage) => void): () => void {
    this.streamListeners.add(listener);
    return () => this.streamListeners.delete(listener);
  }

  onStatus(listener: (status: ConnectionStatus) => void): () => void {
    this.statusListeners.add(listener);
    listener(this.status);
    return () => this.statusListeners.delete(listener);
  }

  /** Messages of kind 'error': the desk could not handle something we sent (not tied to a call id). */
  onServerError(listener: (message: string) => void): () => void {
    this.errorListeners.add(listener);
    return () => this.errorListeners.delete(listener);
  }

  private connect(): void {
    this.reconnectTimer = null;
    let socket: SocketLike;
    try {
      socket = this.createSocket(this.options.url, [SUBPROTOCOL, `token.${this.options.token}`]);
    } catch (error) {
      this.setStatus({ state: 'unavailable', transport: 'websocket', detail: `cannot open the connection: ${String(error)}` });
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      this.setStatus({ state: 'connected', transport: 'websocket' });
    };
    socket.onmessage = (event) => this.receive(event.data);
    socket.onerror = () => {
      // Always followed by onclose, which decides what to do.
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.failPending('The connection to the desk was lost before it answered: check the blotter before sending again');
      if (this.stopped) return;
      if (AUTH_CLOSE_CODES.has(event.code)) {
        this.setStatus({ state: 'unavailable', transport: 'websocket', detail: 'the desk refused the access token (open the link the desk printed)' });
        return;
      }
      const delay = reconnectDelayMs(this.attempt++, this.options.random);
      this.setStatus({
        state: this.status.state === 'connecting' && this.attempt === 1 ? 'connecting' : 'reconnecting',
        transport: 'websocket',
        detail: `retrying in ${(delay / 1000).toFixed(1)} s`,
      });
      this.reconnectTimer = setTimeout(() => this.connect(), delay);
    };
  }

  private receive(data: unknown): void {
    const parsed = parseWireDown(data);
    if (!parsed.ok) {
      this.warn(`ignored a malformed message from the desk: ${parsed.reason}`);
      return;
    }
    const message = parsed.value;
    switch (message.kind) {
      case 'response': {
        const call = this.pending.get(message.id);
        if (!call) return; // answered after its timeout: the caller was already told
        this.pending.delete(message.id);
        clearTimeout(call.timer);
        call.resolve(message.result);
        return;
      }
      case 'stream':
        for (const listener of this.streamListeners) {
          try {
            listener(message.message);
          } catch (error) {
            console.error('[desk] stream listener failed', error);
          }
        }
        return;
      case 'error':
        this.warn(`the desk reported: ${message.message}`);
        for (const listener of this.errorListeners) listener(message.message);
        return;
    }
  }

  private failPending(message: string): void {
    for (const [id, call] of this.pending) {
      clearTimeout(call.timer);
      this.pending.delete(id);
      call.resolve(fail('INTERNAL', message));
    }
  }

  private setStatus(status: ConnectionStatus): void {
    this.status = status;
    for (const listener of this.statusListeners) listener(status);
  }
}
