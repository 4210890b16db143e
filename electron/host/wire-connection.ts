import type { RawData, WebSocket } from 'ws';
import { isCommandName } from '../../shared/contract/commands';
import type { DeskApi } from '../../shared/contract/desk-api';
import { fail } from '../../shared/contract/result';
import type { DeskStreamMessage } from '../../shared/contract/streams';
import type { WireDown } from '../../shared/contract/wire';
import { MAX_WIRE_MESSAGE_BYTES, wireRequestSchema } from '../../shared/contract/wire';
import type { Logger } from '../core/log/logger';
import { systemClock } from '../core/time/clock';
import { dispatchCommand } from './dispatch';
import { ConnectionQuoteHolders } from './quote-holder-release';
import { StreamFanout } from './stream-fanout';

/** Close codes the host uses; the client reconnects (and gets a fresh snapshot) on any of them. */
export const CLOSE_CODES = {
  goingAway: 1001,
  internalError: 1011,
  /** The client did not read fast enough: its unsent data passed the limit. */
  slowConsumer: 4008,
} as const;

export interface WireConnectionOptions {
  readonly socket: WebSocket;
  readonly desk: DeskApi;
  readonly log: Logger;
  /** Close the socket when this many bytes are queued and unsent. */
  readonly maxBufferedBytes: number;
  /** The host's one stream to all its clients; default: one for this connection alone. */
  readonly fanout?: StreamFanout;
}

/**
 * At most one batch per stream this often. Pacing to whole 16 ms frames made a report wait ~8 ms on
 * average (up to 16) before it left, though the renderer applies what arrived once per animation
 * frame anyway. At 8 ms the wait halves for twice the messages (~200/s at 5,000 fills/s, no more
 * renderer CPU measured): in the blotter bench core→WebSocket went from p50 10 / p95 21 ms to p50 6 /
 * p95 14 ms. (On a core with no CPU to spare the extra sends showed up as a longer send→core tail.)
 */
const STREAM_PACING_MS = 8;

/** The stream fan-out a host shares between its connections (deltas paced and serialised once for all). */
export function createStreamFanout(desk: DeskApi, log: Logger): StreamFanout {
  return new StreamFanout(desk, systemClock, streamFrames, (e) => log.error('stream send failed', { error: String(e) }), STREAM_PACING_MS);
}

const OPEN = 1; // WebSocket.OPEN, without a value import of 'ws' here.
const TERMINATE_AFTER_CLOSE_MS = 5_000;

/**
 * Serves the contract on one accepted socket: requests up, responses and stream messages down
 * (shared/contract/wire.ts). A bad message gets an INVALID_REQUEST response (or an error message
 * when no id can be read) and changes nothing; the connection stays up.
 */
export function serveWireConnection(options: WireConnectionOptions): void {
  const { socket, desk, log, maxBufferedBytes } = options;
  let leave: (() => void) | undefined;
  let closedForSlowness = false;
  // A snapshot of 100,000 orders is ~45 MB, above the limit by itself: while it drains, the client is
  // not slow, so the limit is raised by the snapshot's size until the buffer is back under it.
  // (Without this, every snapshot got the client closed, and the reconnect sent another: a loop.)
  let snapshotAllowance = 0;

  /** Room for more: false (and the client closed) when it stopped reading. */
  const canSend = (): boolean => {
    if (socket.readyState !== OPEN) return false;
    const buffered = socket.bufferedAmount;
    if (snapshotAllowance > 0 && buffered <= maxBufferedBytes) snapshotAllowance = 0;
    if (buffered > maxBufferedBytes + snapshotAllowance) {
      closeSlowConsumer();
      return false;
    }
    return true;
  };

  const send = (down: WireDown): void => {
    if (down.kind === 'stream') sendFrames(streamFrames(down.message), down.message);
    else if (canSend()) socket.send(JSON.stringify(down));
  };

  /** A stream message, already serialised (once, for every client of the host). */
  const sendFrames = (frames: readonly string[], message: DeskStreamMessage): void => {
    if (!canSend()) return;
    if (message.kind === 'snapshot') snapshotAllowance = frames.reduce((sum, f) => sum + f.length, 0);
    corkUntilTickEnds();
    for (const frame of frames) socket.send(frame);
  };

  // The streams due in one frame (orders, executions, positions) leave as one write to the TCP socket:
  // ws writes each message at once (a writev system call each; ~10 µs a message in the positions bench's
  // profile). Corked until the current tick ends, they go out together, with no added wait.
  let corked = false;
  const corkUntilTickEnds = (): void => {
    const tcp = (socket as unknown as { _socket?: { cork(): void; uncork(): void } | null })._socket;
    if (corked || tcp === undefined || tcp === null) return;
    corked = true;
    tcp.cork();
    process.nextTick(() => {
      corked = false;
      tcp.uncork();
    });
  };

  const closeSlowConsumer = (): void => {
    if (closedForSlowness) return;
    closedForSlowness = true;
    log.warn('closing a slow WebSocket client', { bufferedBytes: socket.bufferedAmount, limit: maxBufferedBytes });
    stopStream();
    socket.close(CLOSE_CODES.slowConsumer, 'slow consumer: reconnect for a fresh snapshot');
    // The close frame queues behind the unsent data; do not wait for a client that is not reading.
    setTimeout(() => socket.terminate(), TERMINATE_AFTER_CLOSE_MS).unref();
  };

  const stopStream = (): void => {
    const l = leave;
    leave = undefined;
    if (l === undefined) return;
    try {
      l();
    } catch (e) {
      log.error('desk unsubscribe threw', { error: String(e) });
    }
  };

  const quoteHolders = new ConnectionQuoteHolders(desk, log);
  socket.on('close', () => {
    stopStream();
    void quoteHolders.releaseAll();
  });
  socket.on('error', (e) => log.warn('WebSocket error', { error: e.message }));
  socket.on('message', (data, isBinary) => {
    // A rate limit per connection would go here, before any parsing.
    void handleMessage(data, isBinary);
  });

  const handleMessage = async (data: RawData, isBinary: boolean): Promise<void> => {
    if (isBinary) {
      send({ kind: 'error', message: 'binary messages are not accepted: send JSON text' });
      return;
    }
    const bytes = toBuffer(data);
    if (bytes.length > MAX_WIRE_MESSAGE_BYTES) {
      const message = `message too large: ${bytes.length} bytes, at most ${MAX_WIRE_MESSAGE_BYTES}`;
      const id = leadingId(bytes.subarray(0, 64).toString('utf8'));
      send(id === undefined ? { kind: 'error', message } : { kind: 'response', id, result: fail('INVALID_REQUEST', message) });
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(bytes.toString('utf8'));
    } catch (e) {
      send({ kind: 'error', message: `malformed JSON: ${(e as Error).message}` });
      return;
    }
    const request = wireRequestSchema.safeParse(json);
    if (!request.success) {
      const id = readableId(json);
      const message = describeInvalidRequest(json, request.error.issues);
      send(id === undefined ? { kind: 'error', message } : { kind: 'response', id, result: fail('INVALID_REQUEST', message) });
      return;
    }
    const { id, command, params } = request.data;
    const result = await dispatchCommand(desk, command, params, log);
    quoteHolders.noted(command, result);
    send({ kind: 'response', id, result });
  };

  try {
    // At most one batch per stream per frame to the renderer (a lone change goes out at once), paced
    // and serialised once for all the host's clients.
    const fanout = options.fanout ?? createStreamFanout(desk, log);
    leave = fanout.join({ send: sendFrames });
  } catch (e) {
    log.error('desk subscribe threw', { error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    socket.close(CLOSE_CODES.internalError, 'the desk could not subscribe; see the log');
    return;
  }
  // The socket may have closed while the snapshot was being built.
  if (socket.readyState !== OPEN) stopStream();
}

const FRAME_TARGET = Math.floor(MAX_WIRE_MESSAGE_BYTES * 0.9);
const STREAM_PREFIX = '{"kind":"stream","message":';

/**
 * A stream message as WebSocket frames of at most MAX_WIRE_MESSAGE_BYTES (the client drops larger
 * ones: a snapshot of a few thousand orders, or a batch of thousands of deltas, would otherwise be
 * lost). An oversized batch becomes several batches of the same kind; an oversized snapshot becomes
 * a snapshot with the first orders, no executions and `parts` = the number of 'orders' and
 * 'executions' batches that follow with the rest, which the client upserts and shows once the last
 * arrived: the same end state. Each row is serialised once (a 100,000-order snapshot is ~45 MB).
 */
export function streamFrames(message: DeskStreamMessage): string[] {
  if (message.kind !== 'snapshot') {
    if (message.rows.length < SMALL_BATCH) {
      const whole = `${STREAM_PREFIX}${JSON.stringify(message)}}`;
      if (whole.length <= MAX_WIRE_MESSAGE_BYTES) return [whole];
    }
    return batches(message.kind, message.rows.map((row) => JSON.stringify(row)));
  }
  if (message.positions !== undefined && message.positions.length > 0) {
    // Positions follow the snapshot as batches of their own (the snapshot says there are some, and none yet): 10,000 of them are megabytes.
    return [...streamFrames({ ...message, positions: [] }), ...batches('positions', message.positions.map((row) => JSON.stringify(row)))];
  }
  const orderTexts = message.orders.map((row) => JSON.stringify(row));
  const executionTexts = message.executions.map((row) => JSON.stringify(row));
  const rowsSize = [...orderTexts, ...executionTexts].reduce((sum, text) => sum + text.length + 1, 0);
  if (rowsSize < MAX_WIRE_MESSAGE_BYTES) {
    const whole = snapshotFrame(message, orderTexts, executionTexts);
    if (whole.length <= MAX_WIRE_MESSAGE_BYTES) return [whole];
  }
  // The snapshot itself carries the first orders (it replaces the client's orders), as many as fit
  // beside the rest of it (its reference data grows with the instruments traded).
  const { kind: _kind, orders: _orders, executions: _executions, ...others } = message;
  const firstCount = rowsInFirstBatch(orderTexts, FRAME_TARGET - JSON.stringify(others).length);
  const orders = batches('orders', orderTexts.slice(firstCount));
  const executions = batches('executions', executionTexts);
  const parts = orders.length + executions.length;
  return [snapshotFrame({ ...message, parts }, orderTexts.slice(0, firstCount), []), ...orders, ...executions];
}

/** The snapshot frame around rows already serialised (so no row is serialised twice). */
function snapshotFrame(message: Extract<DeskStreamMessage, { kind: 'snapshot' }>, orderTexts: readonly string[], executionTexts: readonly string[]): string {
  const { kind, orders: _orders, executions: _executions, ...others } = message;
  const tail = JSON.stringify(others);
  const rest = tail === '{}' ? '}' : `,${tail.slice(1)}`;
  return `${STREAM_PREFIX}{"kind":${JSON.stringify(kind)},"orders":[${orderTexts.join(',')}],"executions":[${executionTexts.join(',')}]${rest}}`;
}

/** How many of the rows fit in `room` characters of a frame (none when even the first does not). */
function rowsInFirstBatch(texts: readonly string[], room: number): number {
  let size = `${STREAM_PREFIX}{"kind":"snapshot","orders":[],"executions":[]`.length + 3;
  for (let i = 0; i < texts.length; i++) {
    const length = texts[i]!.length;
    if (size + length + 1 > room) return i;
    size += length + 1;
  }
  return texts.length;
}

/** Below this many rows a delta batch is serialised whole (it cannot come near the frame limit). */
const SMALL_BATCH = 500;

/** Rows already serialised, as frames of one kind under FRAME_TARGET. */
function batches(kind: Exclude<DeskStreamMessage['kind'], 'snapshot'>, texts: readonly string[]): string[] {
  const head = `${STREAM_PREFIX}{"kind":"${kind}","rows":[`;
  const tail = ']}}';
  const frames: string[] = [];
  let parts: string[] = [];
  let size = head.length + tail.length;
  for (const text of texts) {
    if (parts.length > 0 && size + text.length + 1 > FRAME_TARGET) {
      frames.push(head + parts.join(',') + tail);
      parts = [];
      size = head.length + tail.length;
    }
    parts.push(text);
    size += text.length + 1;
  }
  if (parts.length > 0) frames.push(head + parts.join(',') + tail);
  return frames;
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/** The id of a request too large to parse, if it leads the message as `{"id": N, ...`. */
function leadingId(head: string): number | undefined {
  const match = /^\s*\{\s*"id"\s*:\s*(\d{1,16})\s*[,}]/.exec(head);
  return match === null ? undefined : validId(Number(match[1]));
}

function readableId(json: unknown): number | undefined {
  if (typeof json !== 'object' || json === null || !('id' in json)) return undefined;
  return validId((json as { id: unknown }).id);
}

function validId(id: unknown): number | undefined {
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : undefined;
}

function describeInvalidRequest(json: unknown, issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): string {
  if (typeof json === 'object' && json !== null && 'command' in json) {
    const command = (json as { command: unknown }).command;
    if (typeof command === 'string' && !isCommandName(command)) return `invalid request: unknown command ${JSON.stringify(command.slice(0, 64))}`;
  }
  const parts = issues.map((i) => (i.path.length > 0 ? `${i.path.map(String).join('.')}: ${i.message}` : i.message));
  return `invalid request: ${parts.join('; ')}`;
}
