import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlgoParentView, StartAlgoRequest } from '../../../shared/contract/algos';
import { Dec } from '../../core/decimal/decimal';
import type { SimulatorProcess } from '../../simulator/launch';
import { startSimulatorProcess } from '../../simulator/launch';
import { brokerEntriesFor } from '../support/broker-entries';
import { until } from '../support/desk-view';
import { DeskWsClient } from '../support/desk-ws-client';
import type { HostProcess } from '../support/host-process';
import { startHostProcess } from '../support/host-process';

/**
 * Algo parents against the simulator process over real FIX, the desk as the headless host process
 * (so it can be SIGKILLed), the market data from the simulator's venue. Prices stand still (no
 * volatility) so the venue's quote and the brokers' fills agree; the venue's volume grows.
 */
const INSTRUMENTS_FILE = resolve(import.meta.dirname, '../../../config/instruments.csv');
const AAPL = { referencePrice: '190.00', volatility: 0 };

describe('algo parents over FIX (simulator process, host process)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meridian-algos-'));
  const configPath = join(dir, 'desk.json');
  const dataDir = join(dir, 'data');
  const token = randomBytes(16).toString('hex');
  let sim: SimulatorProcess;
  let host: HostProcess | undefined;
  let client: DeskWsClient | undefined;

  beforeAll(async () => {
    // The venue quotes AAPL only (its file: the master's header and AAPL's line).
    const lines = readFileSync(INSTRUMENTS_FILE, 'utf8').split('\n');
    const venueFile = join(dir, 'venue-instruments.csv');
    writeFileSync(venueFile, [lines[0], ...lines.filter((l) => l.startsWith('AAPL.XNAS,'))].join('\n') + '\n');
    sim = await startSimulatorProcess({
      config: {
        seed: 3,
        tickIntervalMs: 100,
        ackDelayMs: 0,
        fills: { enabled: true, intervalMs: 100, fraction: 0.5 },
        control: 0,
        brokers: [{ name: 'SIM-A', port: 0, senderCompId: 'SIM-A', targetCompId: 'MERIDIAN' }],
        instrumentsFile: venueFile,
        instruments: { 'AAPL.XNAS': AAPL },
        marketData: {
          port: 0,
          senderCompId: 'SIM-MD',
          targetCompId: 'MERIDIAN-MD',
          heartbeatSeconds: 5,
          instruments: { 'AAPL.XNAS': AAPL },
        },
      },
    });
    writeFileSync(
      configPath,
      JSON.stringify({
        accounts: ['FUND-ALPHA'],
        marketData: { port: sim.marketDataPort, senderCompId: 'MERIDIAN-MD', targetCompId: 'SIM-MD', heartbeatSeconds: 5, reconnectSeconds: 0.5, staleAfterSeconds: 10 },
        brokers: brokerEntriesFor(sim.brokers, { resetSeqNumOnLogon: false }),
      }),
    );
    await openDesk();
  }, 60_000);

  afterAll(async () => {
    client?.close();
    await host?.stop();
    await sim?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function openDesk(): Promise<DeskWsClient> {
    host = await startHostProcess({ configPath, dataDir, token });
    client = await DeskWsClient.connect(host.url);
    await client.until('logged on', () => client!.sessions.get('SIM-A')?.state === 'loggedOn', 20_000);
    return client;
  }

  const desk = () => client as DeskWsClient;
  const inSeconds = (s: number) => new Date(Date.now() + s * 1_000).toISOString();
  const base = (overrides: Partial<StartAlgoRequest>): StartAlgoRequest => ({
    strategy: 'twap',
    instrumentId: 'AAPL.XNAS',
    side: 'buy',
    quantity: '400',
    account: 'FUND-ALPHA',
    broker: 'SIM-A',
    limitPrice: '195',
    endTime: inSeconds(8),
    slices: 4,
    childStyle: 'aggressive',
    catchUp: true,
    atEnd: 'cancelRest',
    sizeVariancePct: 0,
    timeVariancePct: 0,
    displayVariancePct: 0,
    ...overrides,
  });
  async function start(request: StartAlgoRequest): Promise<string> {
    // A POV needs the venue's volume: the ticket watches its instrument (as the UI's does), then starts once the quote is there.
    const watched = await desk().call('subscribeQuotes', { holder: 'ticket@it', instrumentIds: [request.instrumentId] });
    if (!watched.ok) throw new Error(watched.error.message);
    return until<string>('started', async () => {
      const result = await desk().call('startAlgo', request);
      if (!result.ok && result.error.code !== 'NO_MARKET_DATA') throw new Error(result.error.message);
      return result.ok ? result.value.parentId : undefined;
    });
  }
  const parent = (id: string) => desk().algoParents.get(id);
  const children = (p: AlgoParentView) => p.childIds.map((id) => desk().orders.get(id)).filter((o) => o !== undefined);
  /** The parent's fills are its children's, exactly; never more than its quantity. */
  function expectRolledUp(p: AlgoParentView) {
    const kids = children(p);
    expect(kids).toHaveLength(p.childIds.length);
    const cum = kids.reduce((a, o) => a.plus(o.cumQty), new Dec(0));
    expect(cum.toString()).toBe(p.cumQty);
    expect(new Dec(p.cumQty).lessThanOrEqualTo(p.quantity)).toBe(true);
  }

  it('runs a TWAP to completion: one child per slice, filled at the broker, rolled up exactly', async () => {
    const id = await start(base({}));
    const done = await desk().until('TWAP completed', () => (parent(id)?.status === 'completed' ? parent(id) : undefined), 20_000);
    expect(done).toMatchObject({ cumQty: '400', workingQty: '0' });
    expect(done.childIds.length).toBeGreaterThanOrEqual(4);
    await desk().until('children shown filled', () => children(done).every((o) => o.status === 'filled' || o.status === 'canceled'));
    expectRolledUp(done);
    expect(done.avgPx).toBeDefined();
  }, 30_000);

  it('runs a POV to completion on the venue volume', async () => {
    const id = await start(base({ strategy: 'pov', slices: undefined, quantity: '300', targetRatePct: 10, maxRatePct: 20, endTime: inSeconds(60) }));
    const done = await desk().until('POV completed', () => (parent(id)?.status === 'completed' ? parent(id) : undefined), 30_000);
    expect(done.cumQty).toBe('300');
    expect(done.arrivalPrice).toBeDefined();
    expectRolledUp(done);
  }, 40_000);

  it('pauses (children cancelled at the broker), resumes, and cancels (children first, then the parent)', async () => {
    // Passive children rest at the bid: nothing fills.
    const id = await start(base({ childStyle: 'passive', endTime: inSeconds(60), slices: 30 }));
    await desk().until('a child working', () => children(parent(id) ?? ({ childIds: [] } as never)).some((o) => o.status === 'new'));
    expect((await desk().call('pauseAlgo', { parentId: id })).ok).toBe(true);
    const paused = await desk().until('paused, nothing working', () => (parent(id)?.status === 'paused' && parent(id)?.workingQty === '0' ? parent(id) : undefined));
    // The parent and its children reach this view as separate updates: wait for both.
    await desk().until('the children shown cancelled', () => children(paused).every((o) => o.status === 'canceled'));
    const before = paused.childIds.length;
    expect((await desk().call('resumeAlgo', { parentId: id })).ok).toBe(true);
    await desk().until('a new child after resume', () => (parent(id)?.childIds.length ?? 0) > before && children(parent(id)!).some((o) => o.status === 'new'));
    expect((await desk().call('cancelAlgo', { parentId: id })).ok).toBe(true);
    const cancelled = await desk().until('cancelled', () => (parent(id)?.status === 'cancelled' ? parent(id) : undefined));
    expect(cancelled.workingQty).toBe('0');
    await desk().until('the children shown cancelled', () => children(cancelled).every((o) => o.status === 'canceled'));
  }, 30_000);

  it('amends down while fills arrive: never more than the quantity in force', async () => {
    const id = await start(base({ quantity: '2000', slices: 2, endTime: inSeconds(20) }));
    await desk().until('a first fill', () => new Dec(parent(id)?.cumQty ?? '0').greaterThan(0));
    const cum = new Dec(parent(id)!.cumQty);
    const target = cum.plus(100);
    const amended = await desk().call('amendAlgo', { parentId: id, quantity: target.toString() });
    expect(amended.ok).toBe(true);
    const done = await desk().until('completed', () => (parent(id)?.status === 'completed' ? parent(id) : undefined), 20_000);
    // The cancel won (quantity = target, the rest sent) or fills overtook it (quantity = what filled); never beyond 1000 sent.
    expect(new Dec(done.quantity).greaterThanOrEqualTo(target)).toBe(true);
    expect(done.cumQty).toBe(done.quantity);
    expect(new Dec(done.cumQty).lessThanOrEqualTo(1000)).toBe(true);
    await desk().until('children settled', () => children(done).every((o) => o.status === 'filled' || o.status === 'canceled'));
    expectRolledUp(done);
  }, 30_000);

  it('survives a SIGKILL mid-algo: resumes from the journal, no child sent twice, the parent completes', async () => {
    const id = await start(base({ quantity: '600', slices: 6, endTime: inSeconds(9) }));
    await desk().until('two children out', () => (parent(id)?.childIds.length ?? 0) >= 2);
    desk().close();
    await host!.crash();
    await openDesk();
    const done = await desk().until('completed after the restart', () => (parent(id)?.status === 'completed' ? parent(id) : undefined), 30_000);
    expect(done.cumQty).toBe('600');
    await desk().until('children settled', () => children(done).every((o) => o.status === 'filled' || o.status === 'canceled'));
    expectRolledUp(done);
    const sent = sim.receivedClOrdIds().filter((r) => r.msgType === 'D').map((r) => r.clOrdId);
    expect(sent.filter((c, i) => sent.indexOf(c) !== i), 'ClOrdIDs the broker received twice').toEqual([]);
    for (const child of done.childIds) expect(sent).toContain(child);
  }, 60_000);
});
