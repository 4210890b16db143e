/**
 * Market data: the bench's market-data acceptor process (bench/lib/md-firehose.ts) streams
 * IncrementalRefresh messages (4 entries each, round-robin over the subscribed instruments) over
 * FIX/TCP as fast as the socket drains. The desk's market-data path absorbs them: its FIX adapter
 * (our session layer, the dictionary's groups), the service (increments applied to each quote) and
 * the stream publisher (the latest quote per instrument, conflated, delivered as a 'quotes' batch).
 * Rate = entries / (first sent → last one applied and its conflated batch delivered). Baseline: a bare
 * reader of the same stream from the same process (a TCP socket, Logon, the same requests, frames
 * split and fields counted: parsing only).
 */
import { createConnection } from 'node:net';
import type { QuoteView } from '../../shared/contract/market-data';
import type { Instrument } from '../../shared/domain/instrument';
import { marketDataConfigSchema } from '../../electron/core/config/desk-config';
import { StreamPublisher } from '../../electron/core/desk/stream-publisher';
import { silentLogger } from '../../electron/core/log/logger';
import { FixMarketDataFeed } from '../../electron/core/marketdata/fix-market-data-feed';
import type { MarketDataListener } from '../../electron/core/marketdata/market-data-port';
import { MarketDataService } from '../../electron/core/marketdata/market-data-service';
import { systemClock } from '../../electron/core/time/clock';
import { JsonLineProcess } from '../lib/firehose';
import { frame, utcTimestamp } from '../lib/fix-wire';
import type { SuiteResult } from '../lib/report';
import { row } from '../lib/report';
import { median, waitFor, wallNowMs } from '../lib/stats';

export interface MarketDataBenchOptions {
  readonly instruments: number;
  /** IncrementalRefresh messages per round (4 entries each). */
  readonly messagesPerRound: number;
  readonly rounds: number;
}

const ENTRIES_PER_MESSAGE = 4;
const SOH = '\x01';

/** The market-data acceptor process (bench/lib/md-firehose.ts). */
class MdHose extends JsonLineProcess {
  static async start(): Promise<MdHose> {
    const { child, port } = await JsonLineProcess.spawn('bench/lib/md-firehose.ts', [], 'md-firehose');
    return new MdHose(child, port);
  }

  fire(count: number): Promise<{ sent: number; entries: number; startedAt: number; endedAt: number }> {
    return this.request({ cmd: 'fire', count }, 'fired') as never;
  }
}

const instrumentsOf = (n: number): Instrument[] =>
  Array.from({ length: n }, (_, i) => ({ id: `EQ${i}.XNAS`, assetClass: 'equity', symbol: `EQ${i}`, name: `Equity ${i}`, currency: 'USD', exchange: 'XNAS', isin: 'US0000000000', tickSize: '0.01', lotSize: '1' }));

/** The desk's path: FIX adapter → service → publisher (conflated), one connection for the round. */
async function deskRound(port: number, instruments: readonly Instrument[], hose: MdHose, messages: number): Promise<{ rate: number; batches: number; rows: number }> {
  const byId = new Map(instruments.map((i) => [i.id, i]));
  let applied = 0;
  let lastAppliedAt = 0;
  let lastDeliveredAt = 0;
  let batches = 0;
  let rows = 0;
  const publisher = new StreamPublisher(systemClock, () => ({ kind: 'snapshot', orders: [], executions: [], sessions: [], alerts: [], reference: { brokers: [], accounts: [], instruments: [] } }));
  publisher.subscribe((m) => {
    if (m.kind !== 'quotes') return;
    batches++;
    rows += m.rows.length;
    lastDeliveredAt = wallNowMs();
  });
  const service = new MarketDataService({
    clock: systemClock,
    log: silentLogger,
    instrument: (id) => byId.get(id),
    staleAfterMs: 60_000,
    publishQuote: (view: QuoteView) => publisher.quote(view),
    publishSession: () => {},
  });
  const inner = service.listener;
  const counting: MarketDataListener = {
    ...inner,
    onIncremental: (id, entries) => {
      inner.onIncremental(id, entries);
      applied += entries.length;
      lastAppliedAt = wallNowMs();
    },
  };
  const config = marketDataConfigSchema.parse({ name: 'MDF', port, senderCompId: 'DESK', targetCompId: 'MDF', fixVersion: 'FIX.4.4' });
  const feed = new FixMarketDataFeed(config, counting, { log: silentLogger, clock: systemClock, tradeDate: () => '2026-12-07' });
  service.hold('bench', instruments.map((i) => i.id));
  service.start(feed);
  try {
    await waitFor(() => service.views().length === instruments.length, 30_000, 'the desk to get every snapshot', 5);
    const fired = hose.fire(messages);
    const expected = messages * ENTRIES_PER_MESSAGE;
    const debug = process.env.BENCH_MD_DEBUG !== undefined ? setInterval(() => console.error('desk applied', applied, 'of', expected, feed.state), 2_000) : undefined;
    await waitFor(() => applied >= expected && lastDeliveredAt >= lastAppliedAt, 300_000, 'the desk to absorb the entries', 1);
    clearInterval(debug);
    const doneAt = lastDeliveredAt;
    const f = await fired;
    return { rate: (expected / (doneAt - f.startedAt)) * 1000, batches, rows };
  } finally {
    await service.stop();
    publisher.close();
  }
}

/** The baseline: the same stream read by a bare socket, frames split and fields counted. */
async function bareRound(port: number, instruments: readonly Instrument[], hose: MdHose, messages: number): Promise<number> {
  const socket = createConnection({ host: '127.0.0.1', port });
  socket.setNoDelay(true);
  socket.setEncoding('latin1');
  let seq = 0;
  const head = (msgType: string) => `35=${msgType}${SOH}49=BARE${SOH}56=MDF${SOH}34=${++seq}${SOH}52=${utcTimestamp()}${SOH}`;
  let pending = '';
  let entries = 0;
  let snapshots = 0;
  let lastAt = 0;
  socket.on('data', (chunk: string) => {
    pending += chunk;
    for (;;) {
      // 8=FIX.4.4|9=<BodyLength>|<body>10=ddd| : wait until the BodyLength and then the whole frame are in.
      const lenAt = pending.indexOf(`${SOH}9=`);
      const lenEnd = lenAt < 0 ? -1 : pending.indexOf(SOH, lenAt + 3);
      if (lenEnd < 0) break;
      const end = lenEnd + 1 + Number(pending.slice(lenAt + 3, lenEnd)) + 7;
      if (!Number.isSafeInteger(end)) throw new Error(`bare reader: no BodyLength in ${JSON.stringify(pending.slice(0, 40))}`);
      if (pending.length < end) break;
      const fields = pending.slice(0, end).split(SOH);
      pending = pending.slice(end);
      if (fields[2] === '35=W') snapshots++;
      else if (fields[2] === '35=X') for (const f of fields) if (f.startsWith('269=')) entries++;
    }
    lastAt = wallNowMs();
  });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.write(frame(head('A') + `98=0${SOH}108=30${SOH}141=Y${SOH}`), 'latin1');
  let text = '';
  for (const i of instruments) text += frame(head('V') + `262=B${i.id}${SOH}263=1${SOH}264=1${SOH}265=1${SOH}267=2${SOH}269=0${SOH}269=1${SOH}146=1${SOH}55=${i.symbol}${SOH}`);
  socket.write(text, 'latin1');
  try {
    await waitFor(() => snapshots === instruments.length, 30_000, 'the bare reader to get every snapshot', 5);
    const fired = hose.fire(messages);
    const expected = messages * ENTRIES_PER_MESSAGE;
    await waitFor(() => entries >= expected, 300_000, 'the bare reader to read the entries', 1);
    const f = await fired;
    return (expected / (lastAt - f.startedAt)) * 1000;
  } finally {
    socket.destroy();
  }
}

export async function runMarketData(o: MarketDataBenchOptions): Promise<SuiteResult> {
  const hose = await MdHose.start();
  const instruments = instrumentsOf(o.instruments);
  try {
    const deskRates: number[] = [];
    const bareRates: number[] = [];
    const conflation: Array<{ batches: number; rows: number }> = [];
    for (let r = 0; r < o.rounds; r++) {
      // Alternate which goes first, so neither always runs on the warmer machine.
      const runs = [
        async () => {
          const d = await deskRound(hose.port, instruments, hose, o.messagesPerRound);
          deskRates.push(d.rate);
          conflation.push({ batches: d.batches, rows: d.rows });
        },
        async () => void bareRates.push(await bareRound(hose.port, instruments, hose, o.messagesPerRound)),
      ];
      for (let i = 0; i < runs.length; i++) await runs[(i + r) % runs.length]!();
    }
    const d = median(deskRates);
    const b = median(bareRates);
    const S = '7 market data';
    const rowsPerBatch = median(conflation.map((c) => c.rows / Math.max(1, c.batches)));
    const entries = o.messagesPerRound * ENTRIES_PER_MESSAGE;
    return {
      rows: [
        row(S, 'entries absorbed/s (FIX in → conflated delta), median', d, '/s', b, `${entries} entries × ${o.rounds} rounds, ${o.instruments} instruments, FIX 4.4/TCP; desk [${deskRates.map((v) => v.toFixed(0)).join(', ')}] bare [${bareRates.map((v) => v.toFixed(0)).join(', ')}]`),
        row(S, 'quote rows per conflated batch (median)', rowsPerBatch, 'rows', undefined, `${entries / ENTRIES_PER_MESSAGE} updates became [${conflation.map((c) => c.batches).join(', ')}] batches`),
      ],
      budgets: [{ budget: 'market data ≥ 50,000 entries/s', measured: `${d.toFixed(0)} /s (bare reader ${b.toFixed(0)} /s)`, pass: d >= 50_000 }],
      details: { deskRates, bareRates, conflation },
    };
  } finally {
    await hose.stop();
  }
}
