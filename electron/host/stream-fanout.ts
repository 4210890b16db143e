import type { DeskApi } from '../../shared/contract/desk-api';
import type { DeskStreamMessage } from '../../shared/contract/streams';
import type { PacedListener } from '../core/desk/stream-publisher';
import { pacedListener } from '../core/desk/stream-publisher';
import type { Clock } from '../core/time/clock';

type Snapshot = Extract<DeskStreamMessage, { kind: 'snapshot' }>;

/** One WebSocket client of the fan-out. */
export interface StreamClient {
  /** One stream message as WebSocket text frames (the same strings for every client). */
  send(frames: readonly string[], message: DeskStreamMessage): void;
}

/**
 * One desk subscription for all the host's WebSocket clients. Deltas are paced once (at most one
 * batch per stream per frame, `pacedListener`) and serialised once, and the same frames go to every
 * client: with several windows open, the host no longer paces, merges and JSON-encodes every batch
 * once per window. Each joining client gets a snapshot of its own first.
 *
 * Order, for a client that joins while others are streaming: the batches already queued for the
 * others are sent first (they may be older than the new snapshot, and must not reach the new client
 * after it: a session row has no version to protect it), then the snapshot is taken and sent, then
 * the client gets every batch after it. The desk delivers a subscriber's snapshot synchronously
 * (StreamPublisher); if one ever did not, that client gets a subscription of its own instead.
 */
export class StreamFanout {
  private readonly clients = new Set<StreamClient>();
  private paced: PacedListener | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly desk: DeskApi,
    private readonly clock: Clock,
    private readonly toFrames: (message: DeskStreamMessage) => string[],
    private readonly onClientError: (error: unknown) => void = () => {},
    private readonly frameMs = 16,
  ) {}

  get size(): number {
    return this.clients.size;
  }

  /** Starts streaming to `client` (snapshot first); returns the function that stops it. */
  join(client: StreamClient): () => void {
    if (this.unsubscribe === undefined) return this.first(client);
    this.paced?.flush();
    let snapshot: Snapshot | undefined;
    let own = false;
    const stop = this.desk.subscribe((message) => {
      if (own) this.deliver(client, message, this.toFrames(message));
      else if (snapshot === undefined && message.kind === 'snapshot') snapshot = message;
    });
    if (snapshot === undefined) {
      // Not delivered synchronously: this client keeps a subscription of its own (snapshot, then deltas).
      own = true;
      return stop;
    }
    stop();
    this.deliver(client, snapshot, this.toFrames(snapshot));
    this.clients.add(client);
    return () => this.leave(client);
  }

  /** The first client: the shared subscription's own snapshot is its snapshot. */
  private first(client: StreamClient): () => void {
    const paced = pacedListener((message) => this.broadcast(message), this.clock, this.frameMs);
    this.paced = paced;
    let subscribing = true;
    try {
      this.unsubscribe = this.desk.subscribe((message) => {
        if (subscribing && message.kind === 'snapshot') {
          this.deliver(client, message, this.toFrames(message));
          return;
        }
        paced.listener(message);
      });
    } catch (error) {
      paced.close();
      this.paced = undefined;
      throw error;
    } finally {
      subscribing = false;
    }
    this.clients.add(client);
    return () => this.leave(client);
  }

  private broadcast(message: DeskStreamMessage): void {
    if (this.clients.size === 0) return;
    const frames = this.toFrames(message);
    for (const client of this.clients) this.deliver(client, message, frames);
  }

  private deliver(client: StreamClient, message: DeskStreamMessage, frames: readonly string[]): void {
    try {
      client.send(frames, message);
    } catch (error) {
      this.onClientError(error);
    }
  }

  private leave(client: StreamClient): void {
    if (!this.clients.delete(client) || this.clients.size > 0) return;
    this.paced?.close();
    this.paced = undefined;
    const unsubscribe = this.unsubscribe;
    this.unsubscribe = undefined;
    unsubscribe?.();
  }
}
