import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../core/log/logger';
import type { Report } from './order-engine';
import type { BrokerFault, SimulatedBroker } from './simulated-broker';
import { behaviourSchema } from './simulator-config';
import type { MarketDataVenue } from './simulator';

const FAULT_KINDS = ['disconnect', 'skipSeq', 'possDupResend', 'garbage', 'badChecksum', 'lowSeq', 'duplicateExecution', 'delay', 'dropNext'];

/**
 * The simulator's control channel for scripted tests, on 127.0.0.1 only and only when configured:
 *
 *   GET  /brokers/<name>/state               {"loggedOn", "nextIn", "nextOut", "dropCopyLoggedOn"?}
 *   GET  /brokers/<name>/received?since=<n>  what the desk sent: [{seq, msgType, raw, fields}]
 *   GET  /brokers/<name>/orders              the broker's truth per order: [{clOrdIds (the chain),
 *                                            orderId, status, orderQty, cumQty, leavesQty, avgPx,
 *                                            executions: [{execId, lastQty, lastPx}]}]
 *   POST /brokers/<name>/send                body {"reports": [Report, ...]}: sent now, in order, on
 *                                            the logged-on session (409 when none is)
 *   POST /brokers/<name>/fault               body {"kind": ..., ...}: plays a fault now (409 when it
 *                                            needs a logged-on session and none is):
 *        disconnect                 drop the connection (no Logout)
 *        skipSeq {count=3}          skip sequence numbers: the next message arrives after a gap
 *        possDupResend {count=1}    resend the last execution reports with PossDupFlag=Y
 *        garbage {text?}            write bytes that are no FIX message
 *        badChecksum                a Heartbeat with a wrong CheckSum
 *        lowSeq {by=1}              a Heartbeat with a MsgSeqNum too low, no PossDupFlag
 *        duplicateExecution         the last execution report again as a new message (same ExecID)
 *        delay {ms}                 answer requests ms later (0: on time again)
 *        dropNext {count=1}         take the next requests and answer nothing (a request lost at the broker)
 *   GET  /brokers/<name>/behaviour           how the broker answers where real engines differ
 *   POST /brokers/<name>/behaviour           body {"noCancelReplace": true, ...}: changed from now on
 *                                            (see behaviourSchema in simulator-config.ts)
 *
 *   GET  /marketData/state                   the venue: {"loggedOn", "subscriptions"}
 *   GET  /marketData/quotes/<instrument id>  the venue's quote now (the truth a desk's quote must reach)
 *   POST /marketData/pause | /marketData/resume   stop or restart the market's moves and updates
 *   POST /marketData/fault                   body {"kind": "disconnect"}: drop the desk's connection
 *
 * A Report is the simulator's own ExecutionReport / CancelReject shape (order-engine.ts), encoded in
 * the broker's FIX version, so one script plays the same scenario in FIX 4.2, 4.4 and 5.0SP2.
 */
export interface ControlServer {
  readonly port: number;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

export async function startControlServer(port: number, brokers: readonly SimulatedBroker[], log: Logger, venue?: MarketDataVenue): Promise<ControlServer> {
  const byName = new Map(brokers.map((b) => [b.name, b]));
  const server: Server = createServer((req, res) => {
    const work = req.url?.startsWith('/marketData/') === true ? handleMarketData(req, res, venue) : handle(req, res, byName);
    work.catch((e: Error) => reply(res, 500, { error: e.message }));
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
  const match = /^\/brokers\/([^/]+)\/(state|received|send|orders|fault|behaviour)$/.exec(url.pathname);
  const broker = match ? brokers.get(decodeURIComponent(match[1] as string)) : undefined;
  if (!match || broker === undefined) return reply(res, 404, { error: 'no such broker or path' });
  const action = match[2];
  if (action === 'state' && req.method === 'GET') return reply(res, 200, broker.state());
  if (action === 'orders' && req.method === 'GET') return reply(res, 200, broker.orders());
  if (action === 'behaviour' && req.method === 'GET') return reply(res, 200, broker.behaviours);
  if (action === 'behaviour' && req.method === 'POST') {
    const parsed = behaviourSchema.safeParse(JSON.parse(await readBody(req)));
    if (!parsed.success) return reply(res, 400, { error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
    return reply(res, 200, broker.setBehaviour(parsed.data));
  }
  if (action === 'fault' && req.method === 'POST') {
    const body = JSON.parse(await readBody(req)) as { kind?: unknown };
    if (typeof body.kind !== 'string' || !FAULT_KINDS.includes(body.kind)) return reply(res, 400, { error: `kind must be one of ${FAULT_KINDS.join(', ')}` });
    try {
      return reply(res, 200, { done: broker.fault(body as BrokerFault) });
    } catch (e) {
      return reply(res, 409, { error: (e as Error).message });
    }
  }
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

async function handleMarketData(req: IncomingMessage, res: ServerResponse, venue: MarketDataVenue | undefined): Promise<void> {
  if (venue === undefined) return reply(res, 404, { error: 'no market-data venue configured' });
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const path = url.pathname.slice('/marketData/'.length);
  if (path === 'state' && req.method === 'GET') return reply(res, 200, { loggedOn: venue.feed.loggedOn, subscriptions: venue.feed.subscriptionCount });
  if (path.startsWith('quotes/') && req.method === 'GET') {
    const quote = venue.market.quote(decodeURIComponent(path.slice('quotes/'.length)));
    if (quote === undefined) return reply(res, 404, { error: 'no such instrument' });
    return reply(res, 200, Object.fromEntries(Object.entries(quote).map(([k, v]) => [k, typeof v === 'string' ? v : (v as { toFixed(): string }).toFixed()])));
  }
  if (req.method !== 'POST') return reply(res, 405, { error: 'method not allowed' });
  if (path === 'pause') {
    venue.stopUpdates();
    return reply(res, 200, { paused: true });
  }
  if (path === 'resume') {
    venue.startUpdates();
    return reply(res, 200, { paused: false });
  }
  if (path === 'fault') {
    const body = JSON.parse(await readBody(req)) as { kind?: unknown };
    if (body.kind !== 'disconnect') return reply(res, 400, { error: 'kind must be disconnect' });
    try {
      return reply(res, 200, { done: venue.feed.disconnect() });
    } catch (e) {
      return reply(res, 409, { error: (e as Error).message });
    }
  }
  return reply(res, 404, { error: 'no such path' });
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
