import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../core/log/logger';
import type { Report } from './order-engine';
import type { SimulatedBroker } from './simulated-broker';

/**
 * The simulator's control channel for scripted tests, on 127.0.0.1 only and only when configured:
 *
 *   GET  /brokers/<name>/state               {"loggedOn": true}
 *   GET  /brokers/<name>/received?since=<n>  what the desk sent: [{seq, msgType, raw, fields}]
 *   POST /brokers/<name>/send                body {"reports": [Report, ...]}: sent now, in order, on
 *                                            the logged-on session (409 when none is)
 *
 * A Report is the simulator's own ExecutionReport / CancelReject shape (order-engine.ts), encoded in
 * the broker's FIX version, so one script plays the same scenario in FIX 4.2, 4.4 and 5.0SP2.
 */
export interface ControlServer {
  readonly port: number;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

export async function startControlServer(port: number, brokers: readonly SimulatedBroker[], log: Logger): Promise<ControlServer> {
  const byName = new Map(brokers.map((b) => [b.name, b]));
  const server: Server = createServer((req, res) => {
    handle(req, res, byName).catch((e: Error) => reply(res, 500, { error: e.message }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  log.info('control channel listening', { host: '127.0.0.1', port: bound });
  return {
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, brokers: ReadonlyMap<string, SimulatedBroker>): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const match = /^\/brokers\/([^/]+)\/(state|received|send)$/.exec(url.pathname);
  const broker = match ? brokers.get(decodeURIComponent(match[1] as string)) : undefined;
  if (!match || broker === undefined) return reply(res, 404, { error: 'no such broker or path' });
  const action = match[2];
  if (action === 'state' && req.method === 'GET') return reply(res, 200, { loggedOn: broker.loggedOn });
  if (action === 'received' && req.method === 'GET') return reply(res, 200, broker.received(Number(url.searchParams.get('since') ?? '0')));
  if (action === 'send' && req.method === 'POST') {
    const body = JSON.parse(await readBody(req)) as { reports?: unknown };
    if (!Array.isArray(body.reports)) return reply(res, 400, { error: 'body must be {"reports": [...]}' });
    const reports = body.reports as Report[];
    if (!broker.sendScripted(reports)) return reply(res, 409, { error: `${broker.name}: no desk session is logged on` });
    return reply(res, 200, { sent: reports.length });
  }
  return reply(res, 405, { error: 'method not allowed' });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      text += chunk;
      if (text.length > MAX_BODY) req.destroy(new Error('body too large'));
    });
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
