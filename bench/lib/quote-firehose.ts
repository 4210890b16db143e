/**
 * A bench-only FIX 4.4 market-data acceptor process: `node --import tsx bench/lib/quote-firehose.ts --sender QF`.
 * It answers each MarketDataRequest (35=V, one instrument per request, as the desk sends them) with a
 * snapshot (35=W: bid, offer, trade, close, volume) and, on command, streams incremental refreshes
 * (35=X, one instrument per message, its MDReqID at the top) round-robin over the subscribed
 * instruments at a given rate. Probes: every `probeEveryMs` one refresh to a probe instrument carries a
 * trade at a price never used before for it, so (instrument, last) names the update; the process
 * records when it wrote it to the socket. Other refreshes of probe instruments move only the bid and
 * offer. Pre-formatted text, no engine: the sender is not the bottleneck. JSON lines on stdin/stdout;
 * 127.0.0.1 only; exits when stdin closes.
 */
import { createServer } from 'node:net';
import type { Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { adminReply, FixSplitter, frame, utcTimestamp } from './fix-wire';

const { values } = parseArgs({ options: { sender: { type: 'string', default: 'QF' }, target: { type: 'string', default: 'MERIDIAN-MD' } } });
const SENDER = values.sender as string;
const TARGET = values.target as string;
const SOH = '\x01';

interface Subscription {
  readonly reqId: string;
  readonly symbol: string;
  /** In hundredths: prices are written with two places. */
  mid: number;
  volume: number;
  probeSeq: number;
}

const subscriptions = new Map<string, Subscription>();
const bySymbol = new Map<string, Subscription>();
let socket: Socket | undefined;
let outSeq = 0;
let firing = false;

const emit = (event: Record<string, unknown>) => process.stdout.write(JSON.stringify(event) + '\n');
const now = () => performance.timeOrigin + performance.now();
const px = (hundredths: number) => `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;

function header(msgType: string): string {
  return `35=${msgType}${SOH}49=${SENDER}${SOH}56=${TARGET}${SOH}34=${++outSeq}${SOH}52=${utcTimestamp()}${SOH}`;
}

function send(text: string): boolean {
  return socket !== undefined && !socket.destroyed ? socket.write(text, 'latin1') : false;
}

function snapshot(s: Subscription): string {
  const entries = [
    ['0', px(s.mid - 1), '500'],
    ['1', px(s.mid + 1), '500'],
    ['2', px(s.mid), '100'],
    ['5', px(s.mid), ''],
    ['B', '', String(s.volume)],
  ];
  const body = entries.map(([type, price, size]) => `269=${type}${SOH}${price ? `270=${price}${SOH}` : ''}${size ? `271=${size}${SOH}` : ''}`).join('');
  return frame(header('W') + `262=${s.reqId}${SOH}55=${s.symbol}${SOH}268=${entries.length}${SOH}${body}`);
}

/** A refresh: the bid and offer move by a cent; with `trade`, a trade at `trade` (hundredths) and the day's volume. */
function incremental(s: Subscription, trade?: number): string {
  s.mid += Math.random() < 0.5 ? -1 : 1;
  if (s.mid < 200) s.mid = 200;
  let body = `279=1${SOH}269=0${SOH}270=${px(s.mid - 1)}${SOH}271=500${SOH}279=1${SOH}269=1${SOH}270=${px(s.mid + 1)}${SOH}271=500${SOH}`;
  let n = 2;
  if (trade !== undefined) {
    s.volume += 100;
    body += `279=0${SOH}269=2${SOH}270=${px(trade)}${SOH}271=100${SOH}279=1${SOH}269=B${SOH}271=${s.volume}${SOH}`;
    n += 2;
  }
  return frame(header('X') + `262=${s.reqId}${SOH}268=${n}${SOH}${body}`);
}

function onMessage(fields: Map<string, string>): void {
  switch (fields.get('35')) {
    case 'A': {
      outSeq = 0;
      send(frame(header('A') + `98=0${SOH}108=${fields.get('108') ?? '30'}${SOH}${fields.get('141') === 'Y' ? `141=Y${SOH}` : ''}`));
      emit({ event: 'logon' });
      break;
    }
    case 'V': {
      const reqId = fields.get('262') ?? '';
      const symbol = fields.get('55') ?? '';
      if (fields.get('263') === '2') {
        const s = subscriptions.get(reqId);
        subscriptions.delete(reqId);
        if (s !== undefined && bySymbol.get(s.symbol) === s) bySymbol.delete(s.symbol);
        break;
      }
      const s: Subscription = { reqId, symbol, mid: 10_000 + subscriptions.size * 7, volume: 1_000, probeSeq: 0 };
      subscriptions.set(reqId, s);
      bySymbol.set(symbol, s);
      send(snapshot(s));
      break;
    }
    default: {
      const reply = adminReply(fields, header);
      if (reply !== undefined) send(reply);
    }
  }
}

/** Streams refreshes at `rate`/s for `durationMs`; every `probeEveryMs` one is a probe trade (on the probe symbols in turn). */
async function fire(rate: number, durationMs: number, probeEveryMs: number, probeSymbols: readonly string[]): Promise<void> {
  if (firing) return;
  firing = true;
  const probes: Array<{ symbol: string; last: string; sentAt: number }> = [];
  const all = [...subscriptions.values()];
  const probeSet = new Set(probeSymbols);
  let sent = 0;
  let next = 0;
  let probeTurn = 0;
  let nextProbeAt = now() + probeEveryMs;
  const startedAt = now();
  const endAt = startedAt + durationMs;
  while (now() < endAt && all.length > 0) {
    // Catch up to where the rate says we should be, in 1 ms steps.
    const due = Math.floor(((now() - startedAt) / 1000) * rate);
    let batch = '';
    while (sent < due) {
      const s = all[next++ % all.length]!;
      batch += incremental(s, probeSet.has(s.symbol) ? undefined : s.mid);
      sent++;
    }
    if (now() >= nextProbeAt && probeSymbols.length > 0) {
      nextProbeAt += probeEveryMs;
      const s = bySymbol.get(probeSymbols[probeTurn++ % probeSymbols.length]!);
      if (s !== undefined) {
        // A price this instrument never traded at in this run: 500.00 + 0.01 × n.
        const trade = 50_000 + ++s.probeSeq;
        batch += incremental(s, trade);
        sent++;
        if (batch !== '') send(batch);
        batch = '';
        probes.push({ symbol: s.symbol, last: px(trade), sentAt: now() });
      }
    }
    if (batch !== '') send(batch);
    await new Promise((r) => setTimeout(r, 1));
  }
  firing = false;
  emit({ event: 'fired', sent, startedAt, endedAt: now(), probes });
}

const server = createServer((s) => {
  socket?.destroy();
  socket = s;
  s.setNoDelay(true);
  s.setEncoding('latin1');
  const splitter = new FixSplitter();
  s.on('data', (chunk: string) => {
    for (const m of splitter.push(chunk)) onMessage(m);
  });
  s.on('error', () => undefined);
  s.on('close', () => {
    if (socket === s) socket = undefined;
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  emit({ event: 'ready', port: typeof address === 'object' && address !== null ? address.port : 0 });
});

createInterface({ input: process.stdin }).on('line', (line) => {
  const command = JSON.parse(line) as { cmd: string; rate?: number; durationMs?: number; probeEveryMs?: number; probeSymbols?: string[] };
  if (command.cmd === 'stats') emit({ event: 'stats', subscriptions: subscriptions.size, connected: socket !== undefined });
  else if (command.cmd === 'fire') void fire(command.rate ?? 2_000, command.durationMs ?? 10_000, command.probeEveryMs ?? 100, command.probeSymbols ?? []);
});
process.stdin.on('end', () => {
  socket?.destroy();
  server.close();
  process.exit(0);
});
