import WebSocket from 'ws';
import type { AlgoParentView } from '../../../shared/contract/algos';
import type { CommandName, CommandParams, CommandResults } from '../../../shared/contract/commands';
import type { Result } from '../../../shared/contract/result';
import type { DeskStreamMessage } from '../../../shared/contract/streams';
import type { ExecutionView, OrderView, SessionView } from '../../../shared/contract/views';
import { DeskView, until } from './desk-view';

/**
 * A client of the desk's contract over the headless host's WebSocket, as the renderer uses it:
 * token as subprotocol, calls by id, a live view built from the snapshot and the deltas.
 */
export class DeskWsClient {
  private readonly view: DeskView;
  private deliver: (message: DeskStreamMessage) => void = () => {};
  private readonly pending = new Map<number, (result: Result<unknown>) => void>();
  private nextId = 1;
  private snapshotSeen = false;

  /** Listens from the start: the snapshot may arrive in the same packet as the upgrade response. */
  private constructor(private readonly socket: WebSocket) {
    this.view = new DeskView({ subscribe: (listener) => (this.deliver = listener) });
    socket.on('message', (data) => this.onMessage(String(data)));
    socket.on('close', () => {
      for (const resolve of this.pending.values()) resolve({ ok: false, error: { code: 'INTERNAL', message: 'connection closed' } });
      this.pending.clear();
    });
  }

  static async connect(pageUrl: string): Promise<DeskWsClient> {
    const url = new URL(pageUrl);
    const token = url.searchParams.get('token') ?? '';
    const socket = new WebSocket(`ws://${url.host}/ws`, ['meridian.v1', `token.${token}`]);
    const client = new DeskWsClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    await client.until('the snapshot', () => client.snapshotSeen);
    return client;
  }

  call<C extends CommandName>(command: C, params: CommandParams<C>, timeoutMs = 10_000): Promise<Result<CommandResults[C]>> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve({ ok: false, error: { code: 'INTERNAL', message: `${command} timed out` } });
      }, timeoutMs);
      this.pending.set(id, (result) => {
        clearTimeout(timer);
        resolve(result as Result<CommandResults[C]>);
      });
      if (this.socket.readyState !== WebSocket.OPEN) {
        this.pending.get(id)?.({ ok: false, error: { code: 'INTERNAL', message: 'not connected' } });
        this.pending.delete(id);
        return;
      }
      this.socket.send(JSON.stringify({ id, command, params }));
    });
  }

  /** The snapshot has arrived whole (all its parts). */
  get loaded(): boolean {
    return this.view.loaded;
  }

  get orders(): ReadonlyMap<string, OrderView> {
    return this.view.orders;
  }

  get executions(): ReadonlyMap<string, ExecutionView> {
    return this.view.executions;
  }

  get algoParents(): ReadonlyMap<string, AlgoParentView> {
    return this.view.algoParents;
  }

  get sessions(): ReadonlyMap<string, SessionView> {
    return this.view.sessions;
  }

  until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 15_000): Promise<T> {
    return until(what, probe, timeoutMs, 20);
  }

  close(): void {
    this.socket.close();
  }

  private onMessage(text: string): void {
    const message = JSON.parse(text) as { kind: string; id?: number; result?: Result<unknown>; message?: DeskStreamMessage };
    if (message.kind === 'response' && message.id !== undefined && message.result) {
      this.pending.get(message.id)?.(message.result);
      this.pending.delete(message.id);
    } else if (message.kind === 'stream' && message.message) {
      if (message.message.kind === 'snapshot') this.snapshotSeen = true;
      this.deliver(message.message);
    }
  }
}
