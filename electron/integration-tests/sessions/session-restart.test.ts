import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BrokerConnection, ExecutionReportMessage } from '../../core/broker/broker-port';
import type { SimulatorProcess } from '../../simulator/launch';
import { freePort, startSimulatorProcess } from '../../simulator/launch';
import type { SimulatorConfigInput } from '../../simulator/simulator-config';
import type { Recorder } from './session-support';
import { connection, order, sleep, SYMBOLS, until } from './session-support';

const dir = mkdtempSync(join(tmpdir(), 'meridian-sessions-'));
const processes: SimulatorProcess[] = [];
const connections: BrokerConnection[] = [];

afterAll(async () => {
  await Promise.all(connections.map((c) => c.stop()));
  await Promise.all(processes.map((p) => p.stop()));
  rmSync(dir, { recursive: true, force: true });
});

async function simulator(config: SimulatorConfigInput): Promise<SimulatorProcess> {
  const sim = await startSimulatorProcess({ config });
  processes.push(sim);
  return sim;
}

/** Every execution the connection delivered, once per MsgSeqNum (a resend never delivers twice). */
function fillsBySeq(rec: Recorder): ExecutionReportMessage[] {
  return rec.executions().filter((m) => m.execType === 'trade');
}

describe('sessions across restarts', () => {
  it('carries the sequence numbers over an adapter restart (resetSeqNumOnLogon false) and recovers by resend what it missed while down', async () => {
    const port = await freePort();
    const sim = await simulator({
      control: 0,
      fills: { enabled: true, intervalMs: 150, fraction: 0.1 },
      brokers: [{ name: 'SIM-R', port, senderCompId: 'SIM-R', targetCompId: 'MERIDIAN', heartbeatSeconds: 5 }],
      instruments: SYMBOLS,
    });
    const dataDir = join(dir, 'desk-1');
    const first = connection({ name: 'SIM-R', port, resetSeqNumOnLogon: false }, { dataDir });
    connections.push(first.connection);
    first.connection.start();
    await until('logged on', () => first.connection.state === 'loggedOn');
    const o = order({ quantity: '100', limitPrice: '1000' });
    first.connection.send(o);
    await until('a first fill', () => fillsBySeq(first.recorder).length > 0);
    await first.connection.stop();
    const stopped = first.connection.stats();
    const seenBefore = first.recorder.executions().length;
    await sleep(1_000); // the broker keeps filling; its reports wait in its store

    const second = connection({ name: 'SIM-R', port, resetSeqNumOnLogon: false }, { dataDir });
    connections.push(second.connection);
    expect(second.connection.stats()).toMatchObject({ nextIncomingSeqNum: stopped.nextIncomingSeqNum, nextOutgoingSeqNum: stopped.nextOutgoingSeqNum });
    second.connection.start();
    await until('logged on', () => second.connection.state === 'loggedOn');
    const logon = second.connection.messageLog({ limit: 5, msgType: 'A', direction: 'out' })[0]!;
    expect(logon.seqNum).toBe(stopped.nextOutgoingSeqNum);
    expect(logon.raw).not.toContain('141=Y');
    await until('the order filled', () => second.recorder.executions(o.clOrdId).some((m) => m.ordStatus === 'filled'), 15_000);
    const replayed = second.recorder.executions();
    expect(replayed.some((m) => m.possDup)).toBe(true);
    expect(second.connection.stats().gapsDetected).toBeGreaterThanOrEqual(1);
    // Together the two connections saw each fill exactly once, in sequence order.
    const all = [...first.recorder.executions().slice(0, seenBefore), ...replayed];
    const seqs = all.map((m) => m.seqNum);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    const truth = (await sim.control!.orders('SIM-R')).find((t) => t.clOrdIds.includes(o.clOrdId))!;
    const fills = all.filter((m) => m.execType === 'trade').map((m) => m.execId);
    expect(fills.sort()).toEqual(truth.executions.map((e) => e.execId).sort());
    await second.connection.stop();
  }, 30_000);

  it('survives the broker being killed and restarted 10 times while orders flow: nothing lost, nothing twice', async () => {
    const port = await freePort();
    const stateDir = join(dir, 'sim-state');
    const journalFile = join(dir, 'clordids.jsonl');
    const config: SimulatorConfigInput = {
      control: 0,
      stateDir,
      journalFile,
      fills: { enabled: true, intervalMs: 60, fraction: 0.2 },
      brokers: [{ name: 'SIM-K', port, senderCompId: 'SIM-K', targetCompId: 'MERIDIAN', heartbeatSeconds: 5 }],
      instruments: SYMBOLS,
    };
    let sim = await simulator(config);
    const { connection: conn, recorder: rec } = connection({ name: 'SIM-K', port, resetSeqNumOnLogon: false }, { dataDir: join(dir, 'desk-2') });
    connections.push(conn);
    conn.start();
    await until('logged on', () => conn.state === 'loggedOn');
    const sent: string[] = [];
    let refused = 0;
    const flow = setInterval(() => {
      const o = order({ quantity: '10', limitPrice: sent.length % 3 === 0 ? '1.00' : '1000' });
      if (conn.send(o) !== undefined) sent.push(o.clOrdId);
      else refused++;
    }, 40);
    try {
      for (let round = 0; round < 10; round++) {
        await sleep(150 + ((round * 37) % 200));
        sim.kill();
        await sim.exited;
        sim = await simulator(config);
        await until(`logged on again (round ${round + 1})`, () => conn.state === 'loggedOn', 15_000);
      }
    } finally {
      clearInterval(flow);
    }
    await sleep(500);
    const truth = await sim.control!.orders('SIM-K');
    // Every order the adapter handed to the socket reached the broker (replayed with PossDup if lost on the wire).
    await until(
      'every sent order known to the broker and settled on our side',
      async () => {
        const t = await sim.control!.orders('SIM-K');
        return sent.every((id) => t.some((o) => o.clOrdIds.includes(id))) && sent.every((id) => lastReport(rec, id)?.cumQty === t.find((o) => o.clOrdIds.includes(id))!.cumQty);
      },
      15_000,
      () => `sent ${sent.length}, broker knows ${truth.length}`,
    );
    const finalTruth = await sim.control!.orders('SIM-K');
    const delivered = new Map<string, number>();
    for (const m of rec.executions()) if (m.execType === 'trade') delivered.set(m.execId, (delivered.get(m.execId) ?? 0) + 1);
    for (const t of finalTruth) for (const e of t.executions) expect(delivered.get(e.execId), `fill ${e.execId}`).toBe(1);
    expect(delivered.size).toBe(finalTruth.reduce((n, t) => n + t.executions.length, 0));
    const seqs = rec.messages.map((m) => m.seqNum);
    expect(new Set(seqs).size).toBe(seqs.length);
    // A request can arrive twice only as a PossDup resend, after a broker crash lost its first arrival.
    const received = sim.receivedClOrdIds().filter((r) => r.msgType === 'D' && r.possDup !== true).map((r) => r.clOrdId);
    expect(received.filter((id, i) => received.indexOf(id) !== i), 'ClOrdIDs the broker received twice').toEqual([]);
    const chains = finalTruth.flatMap((t) => t.clOrdIds);
    expect(new Set(chains).size, 'a ClOrdID on two orders at the broker').toBe(chains.length);
    expect(rec.executions().filter((m) => m.text?.startsWith('duplicate ClOrdID'))).toEqual([]);
    expect(sent.length).toBeGreaterThan(20);
    console.log(`broker restarts: 10, orders sent ${sent.length}, refused while down ${refused}, fills ${delivered.size}`);
  }, 90_000);
});

function lastReport(rec: Recorder, clOrdId: string): ExecutionReportMessage | undefined {
  return rec.executions(clOrdId).at(-1);
}
