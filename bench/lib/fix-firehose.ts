/**
 * A bench-only FIX 4.4 acceptor process: `node --import tsx bench/lib/fix-firehose.ts --sender FH --target MERIDIAN`.
 * It acknowledges every NewOrderSingle with ExecutionReport(New), counts OrderStatusRequests, answers
 * TestRequests, and on command streams partial fills (ExecutionReport 35=8, 150=F) at a given rate or
 * as fast as the socket drains. Messages are pre-formatted text (no engine), so the sender is not the
 * bottleneck: what is measured is how fast the desk absorbs them. Control: JSON lines on stdin, events
 * as JSON lines on stdout. 127.0.0.1 only; exits when stdin closes.
 */
import type { Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { frame, utcTimestamp } from './fix-wire';
import { answerSessionMessage, serveOneCounterparty } from './one-counterparty';

const { values } = parseArgs({ options: { sender: { type: 'string', default: 'FH' }, target: { type: 'string', default: 'MERIDIAN' } } });
const SENDER = values.sender as string;
const TARGET = values.target as string;
const SOH = '\x01';
/** ExecIDs must be unique per broker across runs: the desk drops an ExecID it has seen (journaled) before. */
const RUN = Date.now().toString(36);

interface FhOrder {
  readonly clOrdId: string;
  readonly orderId: string;
  readonly symbol: string;
  readonly side: string;
  readonly qty: number;
  cum: number;
}

const orders: FhOrder[] = [];
const byClOrdId = new Map<string, FhOrder>();
let socket: Socket | undefined;
let outSeq = 0;
let execSeq = 0;
let newOrders = 0;
let statusRequests = 0;
let firing = false;

const emit = (event: Record<string, unknown>) => process.stdout.write(JSON.stringify(event) + '\n');
const now = () => performance.timeOrigin + performance.now();

function header(msgType: string): string {
  return `35=${msgType}${SOH}49=${SENDER}${SOH}56=${TARGET}${SOH}34=${++outSeq}${SOH}52=${utcTimestamp()}${SOH}`;
}

function addOrder(clOrdId: string, symbol: string, side: string, qty: number): FhOrder {
  const order: FhOrder = { clOrdId, orderId: `FH-O${orders.length + 1}`, symbol, side, qty, cum: 0 };
  orders.push(order);
  byClOrdId.set(clOrdId, order);
  return order;
}

/** The fills' price (a fire command may set it: at the orders' limit no fill is beyond it for either side). */
let price = '100.25';

function executionReport(o: FhOrder, execType: string, ordStatus: string, lastQty: number): string {
  const fill = lastQty > 0 ? `32=${lastQty}${SOH}31=${price}${SOH}` : '';
  const body =
    header('8') +
    `37=${o.orderId}${SOH}11=${o.clOrdId}${SOH}17=${SENDER}-${RUN}-E${++execSeq}${SOH}150=${execType}${SOH}39=${ordStatus}${SOH}` +
    `55=${o.symbol}${SOH}54=${o.side}${SOH}38=${o.qty}${SOH}${fill}151=${o.qty - o.cum}${SOH}14=${o.cum}${SOH}` +
    `6=${o.cum > 0 ? price : '0'}${SOH}60=${utcTimestamp()}${SOH}`;
  return frame(body);
}

function send(text: string): boolean {
  return socket !== undefined && !socket.destroyed ? socket.write(text, 'latin1') : false;
}

function onMessage(fields: Map<string, string>): void {
  if (answerSessionMessage(fields, header, socket)) return;
  const type = fields.get('35');
  switch (type) {
    case 'A': {
      outSeq = 0;
      const reset = fields.get('141') === 'Y' ? `141=Y${SOH}` : '';
      send(frame(header('A') + `98=0${SOH}108=${fields.get('108') ?? '30'}${SOH}${reset}`));
      emit({ event: 'logon' });
      break;
    }
    case 'D': {
      const clOrdId = fields.get('11') ?? '';
      const order = byClOrdId.get(clOrdId) ?? addOrder(clOrdId, fields.get('55') ?? 'X', fields.get('54') ?? '1', Number(fields.get('38') ?? '1'));
      newOrders++;
      send(executionReport(order, '0', '0', 0));
      break;
    }
    case 'H':
      statusRequests++;
      break;
    default:
      break;
  }
}

serveOneCounterparty(onMessage, (s) => (socket = s));

interface FireCommand {
  readonly cmd: 'fire';
  readonly count?: number;
  /** Reports per second; 0 = as fast as the socket drains. */
  readonly rate: number;
  readonly durationMs?: number;
  /** Every this many ms one fill goes to the next probe order, its send time recorded. */
  readonly probeEveryMs?: number;
  readonly probeClOrdIds?: readonly string[];
  /** Fills go round-robin over orders[from, to). Default: all. */
  readonly from?: number;
  readonly to?: number;
  /** The fills' price from now on (default 100.25: beyond the bench orders' limit for sells, each such fill raising an alert). */
  readonly price?: string;
}

async function fire(cmd: FireCommand): Promise<void> {
  if (firing || socket === undefined) {
    emit({ event: 'error', message: firing ? 'already firing' : 'no desk connected' });
    return;
  }
  firing = true;
  if (cmd.price !== undefined) price = cmd.price;
  const from = cmd.from ?? 0;
  const to = cmd.to ?? orders.length;
  const probes = (cmd.probeClOrdIds ?? []).map((id) => byClOrdId.get(id)).filter((o): o is FhOrder => o !== undefined);
  const probeLog: Array<{ clOrdId: string; cum: number; sentAt: number }> = [];
  const limit = cmd.count ?? Number.POSITIVE_INFINITY;
  const startedAt = now();
  const endAt = cmd.durationMs !== undefined ? startedAt + cmd.durationMs : Number.POSITIVE_INFINITY;
  let sent = 0;
  let cursor = from;
  let nextProbeAt = cmd.probeEveryMs !== undefined ? startedAt + cmd.probeEveryMs : Number.POSITIVE_INFINITY;
  let probeCursor = 0;
  const fillOne = (o: FhOrder): string => {
    o.cum += 1;
    return executionReport(o, 'F', o.cum >= o.qty ? '2' : '1', 1);
  };
  while (sent < limit) {
    const t = now();
    if (t >= endAt) break;
    let due = cmd.rate > 0 ? Math.min(limit, Math.floor(((t - startedAt) / 1000) * cmd.rate)) - sent : Math.min(limit - sent, 500);
    let text = '';
    if (probes.length > 0 && t >= nextProbeAt) {
      const p = probes[probeCursor++ % probes.length] as FhOrder;
      text += fillOne(p);
      probeLog.push({ clOrdId: p.clOrdId, cum: p.cum, sentAt: t });
      nextProbeAt += cmd.probeEveryMs as number;
      sent++;
      due--;
    }
    for (let i = 0; i < due; i++) {
      text += fillOne(orders[cursor] as FhOrder);
      cursor = cursor + 1 >= to ? from : cursor + 1;
      sent++;
    }
    if (text !== '' && !send(text)) await new Promise<void>((resolve) => socket?.once('drain', resolve) ?? resolve());
    else if (cmd.rate > 0) await new Promise((resolve) => setTimeout(resolve, 2));
    if (socket === undefined) break;
  }
  firing = false;
  emit({ event: 'fired', sent, startedAt, endedAt: now(), probes: probeLog });
}

createInterface({ input: process.stdin }).on('line', (line) => {
  let cmd: { cmd?: string } & Record<string, unknown>;
  try {
    cmd = JSON.parse(line);
  } catch {
    return;
  }
  switch (cmd.cmd) {
    case 'loadRange': {
      // Orders the desk already has (a pre-generated journal): ClOrdIDs <tag>-<from>..<to>.
      // Order n trades symbols[n mod length], as the generated journal's (bench/lib/journal-gen.ts).
      const { tag, from, to, qty, symbols = ['AAPL', 'MSFT', 'NVDA'] } = cmd as unknown as { tag: string; from: number; to: number; qty: number; symbols?: string[] };
      for (let n = from; n <= to; n++) addOrder(`${tag}-${n}`, symbols[n % symbols.length] as string, n % 2 === 0 ? '1' : '2', qty);
      emit({ event: 'loaded', orders: orders.length });
      break;
    }
    case 'fire':
      void fire(cmd as unknown as FireCommand);
      break;
    case 'stats':
      emit({ event: 'stats', newOrders, statusRequests, orders: orders.length, connected: socket !== undefined, outSeq });
      break;
  }
});
process.stdin.on('end', () => process.exit(0));
