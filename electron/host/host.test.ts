import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect as connectTcp } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { CommandName } from '../../shared/contract/commands';
import type { DeskApi } from '../../shared/contract/desk-api';
import type { Result } from '../../shared/contract/result';
import { ok } from '../../shared/contract/result';
import type { DeskStreamMessage } from '../../shared/contract/streams';
import type { WireDown } from '../../shared/contract/wire';
import { MAX_WIRE_MESSAGE_BYTES } from '../../shared/contract/wire';
import { silentLogger } from '../core/log/logger';
import { startHeadlessHost } from './host';
import type { HeadlessHost } from './host';

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ws://127.0.0.1:* ws://localhost:*; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
const TOKEN = 'a'.repeat(64);

const snapshot: DeskStreamMessage = {
  kind: 'snapshot',
  orders: [],
  executions: [],
  sessions: [],
  alerts: [],
  reference: { brokers: ['SIM-A'], accounts: ['FUND-ALPHA'], instruments: [] },
};

class FakeDesk implements DeskApi {
  readonly calls: Array<{ command: CommandName; params: unknown }> = [];
  readonly listeners = new Set<(m: DeskStreamMessage) => void>();
  unsubscribes = 0;
  throwOnCall = false;

  call(command: CommandName, params: unknown): Promise<Result<never>> {
    this.calls.push({ command, params });
    if (this.throwOnCall) return Promise.reject(new Error('boom'));
    if (command === 'subscribeQuotes' || command === 'unsubscribeQuotes') {
      const p = params as { holder: string; instrumentIds?: string[] };
      return Promise.resolve(ok({ holder: p.holder, instrumentIds: command === 'subscribeQuotes' ? (p.instrumentIds ?? []) : [] }) as Result<never>);
    }
    return Promise.resolve(ok({ orderId: 'O-1', clOrdId: 'C-1' }) as Result<never>);
  }

  subscribe(listener: (m: DeskStreamMessage) => void): () => void {
    this.listeners.add(listener);
    listener(snapshot);
    return () => {
      this.unsubscribes++;
      this.listeners.delete(listener);
    };
  }

  publish(message: DeskStreamMessage): void {
    for (const l of this.listeners) l(message);
  }
}

const goodTicket = {
  instrumentId: 'AAPL.XNAS',
  side: 'buy',
  quantity: '100',
  orderType: 'limit',
  limitPrice: '190.5',
  timeInForce: 'day',
  account: 'FUND-ALPHA',
  broker: 'SIM-A',
};

let root: string;
let staticDir: string;
let desk: FakeDesk;
let host: HeadlessHost;
const sockets: WebSocket[] = [];

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'meridian-host-'));
  staticDir = join(root, 'renderer');
  mkdirSync(join(staticDir, 'assets'), { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Meridian Desk</title><script type="module" src="./assets/app.js"></script>');
  writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log("desk")');
  writeFileSync(join(staticDir, 'assets', 'app.css'), 'body{}');
  writeFileSync(join(root, 'secret.txt'), 'secret');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function start(options: { heartbeatMs?: number; maxBufferedBytes?: number } = {}): Promise<void> {
  desk = new FakeDesk();
  host = await startHeadlessHost({ desk, staticDir, port: 0, token: TOKEN, log: silentLogger, ...options });
}

afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  await host?.close();
});

function get(path: string, method = 'GET'): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, path, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

interface Client {
  ws: WebSocket;
  messages: WireDown[];
  next(predicate?: (m: WireDown) => boolean): Promise<WireDown>;
  send(value: unknown): void;
}

function connect(options: { token?: string | null; origin?: string; protocols?: string[]; autoPong?: boolean } = {}): Promise<Client> {
  const token = options.token === undefined ? TOKEN : options.token;
  const protocols = options.protocols ?? (token === null ? ['meridian.v1'] : ['meridian.v1', `token.${token}`]);
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws`, protocols, {
    ...(options.origin !== undefined && { origin: options.origin }),
    ...(options.autoPong !== undefined && { autoPong: options.autoPong }),
  });
  sockets.push(ws);
  const messages: WireDown[] = [];
  const waiters: Array<{ predicate: (m: WireDown) => boolean; resolve: (m: WireDown) => void }> = [];
  let seen = 0;
  ws.on('message', (data) => {
    const m = JSON.parse(String(data)) as WireDown;
    messages.push(m);
    const i = waiters.findIndex((w) => w.predicate(m));
    if (i >= 0) {
      waiters.splice(i, 1)[0]!.resolve(m);
      seen = messages.length;
    }
  });
  const client: Client = {
    ws,
    messages,
    next(predicate = () => true) {
      const found = messages.slice(seen).find(predicate);
      if (found !== undefined) {
        seen = messages.indexOf(found) + 1;
        return Promise.resolve(found);
      }
      return new Promise((resolve) => waiters.push({ predicate, resolve }));
    },
    send: (value) => ws.send(typeof value === 'string' ? value : JSON.stringify(value)),
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client));
    ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode })));
    ws.once('error', reject);
  });
}

async function refusedStatus(options: Parameters<typeof connect>[0]): Promise<number | undefined> {
  try {
    await connect(options);
  } catch (e) {
    return (e as { status?: number }).status;
  }
  return undefined;
}

describe('headless host: HTTP', () => {
  it('serves index.html with the CSP and security headers', async () => {
    await start();
    for (const path of ['/', '/index.html', '/?token=abc']) {
      const res = await get(path);
      expect(res.status).toBe(200);
      expect(res.body).toContain('<title>Meridian Desk</title>');
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['content-security-policy']).toBe(CSP);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(res.headers['cross-origin-embedder-policy']).toBe('require-corp');
    }
  });

  it('serves assets with their content types, and 404 for what is not there', async () => {
    await start();
    const js = await get('/assets/app.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await get('/assets/app.css')).headers['content-type']).toBe('text/css; charset=utf-8');
    const head = await get('/assets/app.js', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    const missing = await get('/assets/nope.js');
    expect(missing.status).toBe(404);
    expect(missing.headers['content-security-policy']).toBe(CSP);
    expect((await get('/', 'POST')).status).toBe(405);
  });

  it('refuses path traversal', async () => {
    await start();
    for (const path of ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt', '/%00', '/%E0%A4%A']) {
      const res = await get(path);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.body, path).not.toContain('secret');
    }
  });

  it('listens on 127.0.0.1 only', async () => {
    await start();
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/`);
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a !== undefined && !a.internal)
      .map((a) => a!.address);
    for (const address of ['::1', ...others]) {
      const reached = await new Promise<boolean>((resolve) => {
        const s = connectTcp({ host: address, port: host.port });
        s.once('connect', () => {
          s.destroy();
          resolve(true);
        });
        s.once('error', () => resolve(false));
      });
      expect(reached, address).toBe(false);
    }
  });
});

describe('headless host: WebSocket access', () => {
  it('refuses a connection without a token (401)', async () => {
    await start();
    expect(await refusedStatus({ token: null })).toBe(401);
    expect(await refusedStatus({ protocols: [] })).toBe(401);
  });

  it('refuses a wrong token (401), and a token without the wire protocol', async () => {
    await start();
    expect(await refusedStatus({ token: 'b'.repeat(64) })).toBe(401);
    expect(await refusedStatus({ token: TOKEN.slice(0, 63) })).toBe(401);
    expect(await refusedStatus({ protocols: [`token.${TOKEN}`] })).toBe(401);
    expect(await refusedStatus({ protocols: ['meridian.v1', `token.${TOKEN}`, 'token.other-token-here'] })).toBe(401);
  });

  it('refuses a foreign Origin even with the right token (403)', async () => {
    await start();
    expect(await refusedStatus({ origin: 'http://evil.example' })).toBe(403);
    expect(await refusedStatus({ origin: `http://127.0.0.1:${host.port + 1}` })).toBe(403);
    expect(await refusedStatus({ origin: 'null' })).toBe(403);
  });

  it("accepts the host's own origins and clients without an Origin", async () => {
    await start();
    for (const origin of [`http://127.0.0.1:${host.port}`, `http://localhost:${host.port}`, undefined]) {
      const client = await connect(origin === undefined ? {} : { origin });
      expect(client.ws.protocol).toBe('meridian.v1');
    }
  });

  it('refuses upgrades on other paths', async () => {
    await start();
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/other`, ['meridian.v1', `token.${TOKEN}`]);
    sockets.push(ws);
    const status = await new Promise<number | undefined>((resolve) => {
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode));
      ws.once('open', () => resolve(undefined));
      ws.once('error', () => resolve(undefined));
    });
    expect(status).toBe(404);
  });
});

describe('headless host: WebSocket protocol', () => {
  it('sends the snapshot first, then the stream, and unsubscribes on close', async () => {
    await start();
    const client = await connect();
    expect(await client.next()).toEqual({ kind: 'stream', message: snapshot });
    desk.publish({ kind: 'alerts', rows: [{ id: 'A1', level: 'info', message: 'hello', at: '2026-11-27T10:00:00Z' }] });
    const delta = await client.next();
    expect(delta).toMatchObject({ kind: 'stream', message: { kind: 'alerts' } });
    expect(desk.listeners.size).toBe(1);
    client.ws.close();
    await waitUntil(() => desk.unsubscribes === 1);
    expect(desk.listeners.size).toBe(0);
  });

  it('releases the quote subscriptions a connection made when it closes', async () => {
    await start();
    const client = await connect();
    await client.next();
    client.send({ id: 1, command: 'subscribeQuotes', params: { holder: 'ticket@w1', instrumentIds: ['AAPL.XNAS'] } });
    client.send({ id: 2, command: 'subscribeQuotes', params: { holder: 'watch@w1', instrumentIds: ['ESZ6.XCME'] } });
    client.send({ id: 3, command: 'unsubscribeQuotes', params: { holder: 'watch@w1' } });
    await client.next((m) => m.kind === 'response' && m.id === 3);
    client.ws.close();
    await waitUntil(() => desk.calls.length === 4);
    expect(desk.calls[3]).toEqual({ command: 'unsubscribeQuotes', params: { holder: 'ticket@w1' } });
  });

  it('passes a valid command to the desk and returns its result', async () => {
    await start();
    const client = await connect();
    await client.next();
    client.send({ id: 7, command: 'submitOrder', params: goodTicket });
    expect(await client.next((m) => m.kind === 'response')).toEqual({
      kind: 'response',
      id: 7,
      result: { ok: true, value: { orderId: 'O-1', clOrdId: 'C-1' } },
    });
    expect(desk.calls).toEqual([{ command: 'submitOrder', params: goodTicket }]);
  });

  it('answers bad params with INVALID_REQUEST and per-field messages, without calling the desk', async () => {
    await start();
    const client = await connect();
    await client.next();
    client.send({ id: 1, command: 'submitOrder', params: { ...goodTicket, quantity: '-5', limitPrice: undefined } });
    const response = await client.next((m) => m.kind === 'response');
    expect(response).toMatchObject({ kind: 'response', id: 1, result: { ok: false, error: { code: 'INVALID_REQUEST' } } });
    const error = (response as { result: { ok: false; error: { fields?: Record<string, string> } } }).result.error;
    expect(Object.keys(error.fields ?? {})).toEqual(expect.arrayContaining(['quantity', 'limitPrice']));
    client.send({ id: 2, command: 'submitOrder', params: { ...goodTicket, instrumentId: undefined, symbol: 'AAPL' } });
    expect(await client.next((m) => m.kind === 'response')).toMatchObject({ id: 2, result: { ok: false, error: { code: 'INVALID_REQUEST', fields: { instrumentId: expect.any(String) } } } });
    client.send({ id: 3, command: 'searchInstruments', params: { query: 'AAPL', limit: 1000 } });
    expect(await client.next((m) => m.kind === 'response')).toMatchObject({ id: 3, result: { ok: false, error: { code: 'INVALID_REQUEST', fields: { limit: expect.any(String) } } } });
    client.send({ id: 4, command: 'previewOrder', params: { instrumentId: 'ESZ6.XCME', quantity: '1e3' } });
    expect(await client.next((m) => m.kind === 'response')).toMatchObject({ id: 4, result: { ok: false, error: { code: 'INVALID_REQUEST', fields: { quantity: expect.any(String) } } } });
    expect(desk.calls).toEqual([]);
  });

  it('answers an unknown command or extra keys with INVALID_REQUEST', async () => {
    await start();
    const client = await connect();
    await client.next();
    client.send({ id: 2, command: 'launchMissiles', params: {} });
    expect(await client.next((m) => m.kind === 'response')).toMatchObject({
      id: 2,
      result: { ok: false, error: { code: 'INVALID_REQUEST', message: expect.stringContaining('unknown command') } },
    });
    client.send({ id: 3, command: 'cancelOrder', params: { orderId: 'O-1' }, extra: true });
    expect(await client.next((m) => m.kind === 'response')).toMatchObject({ id: 3, result: { ok: false, error: { code: 'INVALID_REQUEST' } } });
    client.send({ id: 4, command: 'toString', params: {} });
    expect(await client.next((m) => m.kind === 'response')).toMatchObject({ id: 4, result: { ok: false } });
    expect(desk.calls).toEqual([]);
  });

  it('answers malformed JSON and id-less requests with an error message, and the connection survives', async () => {
    await start();
    const client = await connect();
    await client.next();
    client.send('{"id": 1, "command": ');
    expect(await client.next()).toMatchObject({ kind: 'error', message: expect.stringContaining('malformed JSON') });
    client.send({ command: 'cancelOrder', params: { orderId: 'O-1' } });
    expect(await client.next()).toMatchObject({ kind: 'error', message: expect.stringContaining('invalid request') });
    client.send([1, 2, 3]);
    expect(await client.next()).toMatchObject({ kind: 'error' });
    client.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await client.next()).toMatchObject({ kind: 'error', message: expect.stringContaining('binary') });
    client.send({ id: 9, command: 'cancelOrder', params: { orderId: 'O-1' } });
    expect(await client.next((m) => m.kind === 'response')).toMatchObject({ id: 9, result: { ok: true } });
    expect(desk.calls).toHaveLength(1);
  });

  it('answers an oversize message with INVALID_REQUEST and keeps the connection', async () => {
    await start();
    const client = await connect();
    await client.next();
    client.send(`{"id":5,"command":"cancelOrder","params":{"orderId":"${'x'.repeat(MAX_WIRE_MESSAGE_BYTES)}"}}`);
    expect(await client.next()).toMatchObject({ kind: 'response', id: 5, result: { ok: false, error: { code: 'INVALID_REQUEST', message: expect.stringContaining('too large') } } });
    client.send(' '.repeat(MAX_WIRE_MESSAGE_BYTES + 1));
    expect(await client.next()).toMatchObject({ kind: 'error', message: expect.stringContaining('too large') });
    client.send({ id: 6, command: 'cancelOrder', params: { orderId: 'O-1' } });
    expect(await client.next((m) => m.kind === 'response')).toMatchObject({ id: 6, result: { ok: true } });
    expect(desk.calls).toHaveLength(1);
  });

  it('turns a desk that throws into an INTERNAL result', async () => {
    await start();
    desk.throwOnCall = true;
    const client = await connect();
    await client.next();
    client.send({ id: 8, command: 'cancelOrder', params: { orderId: 'O-1' } });
    expect(await client.next((m) => m.kind === 'response')).toMatchObject({ id: 8, result: { ok: false, error: { code: 'INTERNAL' } } });
  });

  it('closes a client that does not read (4008) and unsubscribes it', async () => {
    await start({ maxBufferedBytes: 64 * 1024 });
    const client = await connect();
    await client.next();
    const closed = new Promise<number>((resolve) => client.ws.once('close', (code) => resolve(code)));
    client.ws.pause(); // stop reading: the server's send buffer grows
    const rows = Array.from({ length: 200 }, (_, i) => ({ id: `A${i}`, level: 'info' as const, message: 'x'.repeat(500), at: '2026-11-27T10:00:00Z' }));
    for (let i = 0; i < 2000 && desk.listeners.size > 0; i++) {
      desk.publish({ kind: 'alerts', rows });
      await new Promise((r) => setImmediate(r));
    }
    expect(desk.listeners.size).toBe(0);
    client.ws.resume();
    expect(await closed).toBe(4008);
  });

  it('closes its clients with 1001 on close()', async () => {
    await start();
    const client = await connect();
    await client.next();
    const closed = new Promise<number>((resolve) => client.ws.once('close', (code) => resolve(code)));
    await host.close();
    expect(await closed).toBe(1001);
    expect(desk.unsubscribes).toBe(1);
  });

  it('drops a client that does not answer its pings', async () => {
    await start({ heartbeatMs: 20 });
    const silent = await connect({ autoPong: false });
    const closed = new Promise<number>((resolve) => silent.ws.once('close', (code) => resolve(code)));
    expect(await closed).toBe(1006); // terminated, no close frame
  });

  it('generates a 64-hex-digit token when none is given, and refuses an unusable one', async () => {
    const generated = await startHeadlessHost({ desk: new FakeDesk(), staticDir, log: silentLogger });
    try {
      expect(generated.token).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      await generated.close();
    }
    await expect(startHeadlessHost({ desk: new FakeDesk(), staticDir, token: 'short', log: silentLogger })).rejects.toThrow(/token/);
    await start();
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}
