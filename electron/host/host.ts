import { createServer } from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import type { DeskApi } from '../../shared/contract/desk-api';
import { MAX_WIRE_MESSAGE_BYTES } from '../../shared/contract/wire';
import type { Logger } from '../core/log/logger';
import { WIRE_PROTOCOL, checkTokenFormat, generateToken, hasValidToken, isAllowedOrigin, offeredProtocols, ownOrigins } from './access';
import { serveStatic } from './static-files';
import { CLOSE_CODES, createStreamFanout, serveWireConnection } from './wire-connection';

export const WS_PATH = '/ws';
/** The only interface the host listens on. Reaching it from elsewhere is a job for a tunnel (ssh -L). */
export const HOST_ADDRESS = '127.0.0.1';

export interface HeadlessHostOptions {
  readonly desk: DeskApi;
  /** The built renderer (out/renderer): index.html and its assets. */
  readonly staticDir: string;
  /** 0 = any free port. Default 0. */
  readonly port?: number;
  /** Default: 32 random bytes, hex. */
  readonly token?: string;
  readonly log: Logger;
  /** Origins allowed besides the host's own, e.g. `http://localhost:8000` behind `ssh -L 8000:127.0.0.1:7400`. */
  readonly extraOrigins?: readonly string[];
  /** A client with more unsent bytes than this is closed (code 4008) and reconnects. Default 16 MB. */
  readonly maxBufferedBytes?: number;
  /** Ping interval; a client that misses one pong is dropped. Default 30 s; 0 turns it off. */
  readonly heartbeatMs?: number;
}

export interface HeadlessHost {
  /** `http://127.0.0.1:<port>/`, without the token. */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

const DEFAULT_MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
const CLOSE_GRACE_MS = 1_000;

/**
 * One HTTP server on 127.0.0.1: the built renderer over HTTP, the DeskApi contract over a WebSocket
 * at /ws. The WebSocket needs the token (as the subprotocol `token.<token>` beside `meridian.v1`) and,
 * from a browser, the host's own origin.
 */
export async function startHeadlessHost(options: HeadlessHostOptions): Promise<HeadlessHost> {
  const { desk, staticDir, log } = options;
  const token = options.token ?? generateToken();
  const tokenProblem = checkTokenFormat(token);
  if (tokenProblem !== undefined) throw new Error(tokenProblem);
  const maxBufferedBytes = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
  const heartbeatMs = options.heartbeatMs ?? 30_000;

  const server = createServer((req, res) => {
    serveStatic(staticDir, req, res).catch((e: unknown) => {
      log.error('static file failed', { path: req.url, error: String(e) });
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  const wss = new WebSocketServer({
    noServer: true,
    // Messages above the contract's limit get an INVALID_REQUEST answer; far above it, ws drops the socket (1009).
    maxPayload: 4 * MAX_WIRE_MESSAGE_BYTES,
    perMessageDeflate: false,
    handleProtocols: (protocols) => (protocols.has(WIRE_PROTOCOL) ? WIRE_PROTOCOL : false),
  });
  const alive = new WeakMap<WebSocket, boolean>();
  // One desk subscription for all clients: deltas paced and serialised once, the same frames to each.
  const fanout = createStreamFanout(desk, log);
  let allowedOrigins: string[] = [];

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const remote = req.socket.remoteAddress;
    if ((req.url ?? '').split('?', 1)[0] !== WS_PATH) {
      refuseUpgrade(socket, 404, 'Not Found');
      return;
    }
    const origin = req.headers.origin;
    if (!isAllowedOrigin(origin, allowedOrigins)) {
      log.warn('WebSocket refused: foreign origin', { origin: origin?.slice(0, 200), remote });
      refuseUpgrade(socket, 403, 'Forbidden');
      return;
    }
    if (!hasValidToken(offeredProtocols(req.headers['sec-websocket-protocol']), token)) {
      log.warn('WebSocket refused: missing or wrong token', { remote });
      refuseUpgrade(socket, 401, 'Unauthorized');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
    log.info('WebSocket client connected', { remote: req.socket.remoteAddress, clients: wss.clients.size });
    alive.set(ws, true);
    ws.on('pong', () => alive.set(ws, true));
    ws.on('close', (code) => log.info('WebSocket client disconnected', { code, clients: wss.clients.size }));
    serveWireConnection({ socket: ws, desk, log, maxBufferedBytes, fanout });
  });

  const heartbeat =
    heartbeatMs > 0
      ? setInterval(() => {
          for (const ws of wss.clients) {
            if (alive.get(ws) === false) {
              ws.terminate();
              continue;
            }
            alive.set(ws, false);
            ws.ping();
          }
        }, heartbeatMs).unref()
      : undefined;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port ?? 0, host: HOST_ADDRESS, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (e) => log.error('HTTP server error', { error: e.message }));
  const port = (server.address() as AddressInfo).port;
  allowedOrigins = [...ownOrigins(port), ...(options.extraOrigins ?? [])].map((o) => new URL(o).origin);
  const url = `http://${HOST_ADDRESS}:${port}/`;
  log.info('headless host listening', { url, staticDir });

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      if (heartbeat !== undefined) clearInterval(heartbeat);
      const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const ws of wss.clients) ws.close(CLOSE_CODES.goingAway, 'the desk is shutting down');
      await waitForClients(wss, CLOSE_GRACE_MS);
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await serverClosed;
      log.info('headless host closed');
    })());

  return { url, port, token, close };
}

function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  const body = `${reason}\n`;
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

async function waitForClients(wss: WebSocketServer, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (wss.clients.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}
