/**
 * A bench-only FIX 4.4 market-data acceptor process: `node --import tsx bench/lib/md-firehose.ts --sender MDF`.
 * It answers a Logon (echoing ResetSeqNumFlag), every MarketDataRequest (35=V, 263=1) with a snapshot
 * (35=W), and on command streams IncrementalRefresh messages (35=X: one instrument each, a bid, an
 * offer, a trade and the day's volume — 4 entries) round-robin over the subscribed requests as fast
 * as the socket drains. Messages are pre-formatted text (no engine): what is measured is the reader.
 * Control: JSON lines on stdin, events as JSON lines on stdout. 127.0.0.1 only; exits when stdin closes.
 */
import type { Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { frame, utcTimestamp } from './fix-wire';
import { answerSessionMessage, serveOneCounterparty } from './one-counterparty';

const { values } = parseArgs({ options: { sender: { type: 'string', default: 'MDF' } } });
const SENDER = values.sender as string;
const SOH = '\x01';
export const ENTRIES_PER_MESSAGE = 4;

let socket: Socket | undefined;
let target = 'DESK';
let outSeq = 0;
let requests: string[] = [];
let firing = false;

const emit = (event: Record<string, unknown>) => process.stdout.write(JSON.stringify(event) + '\n');
const now = () => performance.timeOrigin + performance.now();
const header = (msgType: string) => `35=${msgType}${SOH}49=${SENDER}${SOH}56=${target}${SOH}34=${++outSeq}${SOH}52=${utcTimestamp()}${SOH}`;
const send = (text: string): boolean => (socket !== undefined && !socket.destroyed ? socket.write(text, 'latin1') : false);

function onMessage(fields: Map<string, string>): void {
  if (answerSessionMessage(fields, header, socket)) return;
  switch (fields.get('35')) {
    case 'A':
      outSeq = 0;
      requests = [];
      target = fields.get('49') ?? target;
      send(frame(header('A') + `98=0${SOH}108=${fields.get('108') ?? '30'}${SOH}${fields.get('141') === 'Y' ? `141=Y${SOH}` : ''}`));
      emit({ event: 'logon' });
      break;
    case 'V': {
      const reqId = fields.get('262') ?? '';
      if (fields.get('263') === '2') {
        requests = requests.filter((r) => r !== reqId);
        break;
      }
      requests.push(reqId);
      send(frame(header('W') + `262=${reqId}${SOH}55=${fields.get('55') ?? 'X'}${SOH}268=2${SOH}269=0${SOH}270=100.00${SOH}271=500${SOH}269=1${SOH}270=100.02${SOH}271=500${SOH}`));
      emit({ event: 'subscribed', count: requests.length });
      break;
    }
  }
}

/** One X: a new bid and offer around a moving price, a trade, the day's volume. */
function increment(reqId: string, n: number): string {
  const cents = 10_000 + (n % 200);
  const px = (c: number) => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;
  return frame(
    header('X') +
      `262=${reqId}${SOH}268=4${SOH}` +
      `279=1${SOH}269=0${SOH}270=${px(cents)}${SOH}271=${300 + (n % 7) * 100}${SOH}` +
      `279=1${SOH}269=1${SOH}270=${px(cents + 2)}${SOH}271=${400 + (n % 5) * 100}${SOH}` +
      `279=0${SOH}269=2${SOH}270=${px(cents + 1)}${SOH}271=100${SOH}` +
      `279=1${SOH}269=B${SOH}271=${(n + 1) * 100}${SOH}`,
  );
}

async function fire(count: number): Promise<void> {
  if (firing || socket === undefined || requests.length === 0) {
    emit({ event: 'error', message: firing ? 'already firing' : 'no subscription' });
    return;
  }
  firing = true;
  const startedAt = now();
  let sent = 0;
  while (sent < count && socket !== undefined) {
    let text = '';
    for (let i = 0; i < 200 && sent < count; i++, sent++) text += increment(requests[sent % requests.length] as string, sent);
    if (!send(text)) await new Promise<void>((resolve) => socket?.once('drain', resolve) ?? resolve());
  }
  firing = false;
  emit({ event: 'fired', sent, entries: sent * ENTRIES_PER_MESSAGE, startedAt, endedAt: now() });
}

serveOneCounterparty(onMessage, (s) => (socket = s));

createInterface({ input: process.stdin }).on('line', (line) => {
  let cmd: { cmd?: string; count?: number };
  try {
    cmd = JSON.parse(line);
  } catch {
    return;
  }
  if (cmd.cmd === 'fire') void fire(cmd.count ?? 10_000);
});
process.stdin.on('end', () => process.exit(0));
