import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrokerConnection } from '../../core/broker/broker-port';
import type { SimulatorProcess } from '../../simulator/launch';
import { startSimulatorProcess } from '../../simulator/launch';
import type { Recorder } from './session-support';
import { connection, order, sleep, SYMBOLS, until, warnings } from './session-support';

/**
 * Each session fault the simulator can play, over real TCP against the simulator process: the
 * session ends in the right state, the desk side sees the right message flow, with a clear log line.
 */
describe('session faults', () => {
  let sim: SimulatorProcess;
  let conn: BrokerConnection;
  let rec: Recorder;
  let logLines: string[];
  const statuses = async (n: number) => {
    // n resting orders, each answered by one ExecutionReport (New).
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const o = order();
      ids.push(o.clOrdId);
      expect(conn.send(o)).toMatchObject({ msgType: 'D' }); // stored and on its way
    }
    await until(`${n} acks`, () => ids.every((id) => rec.executions(id).length > 0));
    return ids;
  };

  beforeAll(async () => {
    sim = await startSimulatorProcess({
      config: {
        control: 0,
        fills: { enabled: false },
        brokers: [{ name: 'SIM-F', port: 0, senderCompId: 'SIM-F', targetCompId: 'MERIDIAN', heartbeatSeconds: 5 }],
        instruments: SYMBOLS,
      },
    });
    ({ connection: conn, recorder: rec, logLines } = connection({ name: 'SIM-F', port: sim.brokers[0]!.port, resetSeqNumOnLogon: false, resendTimeoutSeconds: 2 }));
    conn.start();
    await until('logged on', () => conn.state === 'loggedOn');
  });

  afterAll(async () => {
    await conn?.stop();
    await sim?.stop();
  });

  it('sequence gap: ResendRequest for the gap, later messages held, then all processed in sequence order', async () => {
    await statuses(1);
    const before = rec.messages.length;
    await sim.control!.fault('SIM-F', { kind: 'skipSeq', count: 3 });
    const ids = await statuses(5);
    const arrived = rec.messages.slice(before);
    expect(arrived.map((m) => m.clOrdId)).toEqual(ids);
    const seqs = arrived.map((m) => m.seqNum);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    const stats = conn.stats();
    expect(stats).toMatchObject({ gapsDetected: 1, heldMessages: 0 });
    expect(stats.resendRequestsSent).toBeGreaterThanOrEqual(1);
    expect(logLines.some((l) => l.includes('sequence gap: expected MsgSeqNum'))).toBe(true);
    expect(rec.alerts.some((a) => a.text.includes('sequence gap'))).toBe(true);
    const resendRequests = conn.messageLog({ limit: 10, msgType: '2', direction: 'out' });
    expect(resendRequests[0]!.raw).toMatch(/\|7=\d+\|16=\d+\|/);
    expect(conn.state).toBe('loggedOn');
  });

  it('PossDup resends of messages already processed are dropped by sequence number', async () => {
    await statuses(2);
    const before = rec.messages.length;
    const dropped = conn.stats().possDupDropped ?? 0;
    expect(await sim.control!.fault('SIM-F', { kind: 'possDupResend', count: 2 })).toMatch(/resent 2/);
    await until('two PossDups dropped', () => (conn.stats().possDupDropped ?? 0) === dropped + 2);
    expect(rec.messages.length).toBe(before);
    expect(logLines.some((l) => l.includes('dropped a PossDup resend of MsgSeqNum'))).toBe(true);
  });

  it('garbage bytes and a bad checksum are ignored with a log line; the session lives on', async () => {
    await sim.control!.fault('SIM-F', { kind: 'garbage' });
    await sim.control!.fault('SIM-F', { kind: 'badChecksum' });
    await until('two garbled frames', () => (conn.stats().garbledIgnored ?? 0) >= 2);
    expect(warnings(logLines).some((l) => l.includes('ignored a garbled message: bytes outside a FIX message'))).toBe(true);
    expect(warnings(logLines).some((l) => l.includes('ignored a garbled message: bad CheckSum'))).toBe(true);
    await statuses(1);
    expect(conn.state).toBe('loggedOn');
    expect(conn.stats().gapsDetected).toBe(1);
  });

  it('a duplicated execution report (same ExecID, new MsgSeqNum) is delivered as received: the desk de-duplicates ExecIDs', async () => {
    await statuses(1);
    const last = rec.messages.at(-1)!;
    await sim.control!.fault('SIM-F', { kind: 'duplicateExecution' });
    const again = await until('the duplicate', () => rec.messages.length > 0 && rec.messages.at(-1)!.seqNum > last.seqNum && rec.messages.at(-1));
    expect(again.type === 'executionReport' && last.type === 'executionReport' && again.execId === last.execId).toBe(true);
  });

  it('slow responses: answers come late and in order, the session stays up', async () => {
    await sim.control!.fault('SIM-F', { kind: 'delay', ms: 700 });
    const started = Date.now();
    await statuses(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(700);
    await sim.control!.fault('SIM-F', { kind: 'delay', ms: 0 });
    expect(conn.state).toBe('loggedOn');
  });

  it('a dropped connection is re-established by itself, with the sequence numbers carried on', async () => {
    const seq = conn.stats();
    await sim.control!.fault('SIM-F', { kind: 'disconnect' });
    await until('disconnected', () => conn.state !== 'loggedOn');
    await until('logged on again', () => conn.state === 'loggedOn');
    expect(conn.stats().nextOutgoingSeqNum).toBeGreaterThan(seq.nextOutgoingSeqNum);
    await statuses(1);
  });

  it('MsgSeqNum too low without PossDupFlag: Logout with the reason, the session halts until connect()', async () => {
    await sim.control!.fault('SIM-F', { kind: 'lowSeq', by: 2 });
    await until('halted', () => conn.stats().idle === 'halted');
    expect(conn.state).toBe('stopped');
    expect(conn.stats().lastError).toMatch(/halted: MsgSeqNum too low, expecting \d+ but received \d+/);
    expect(logLines.some((l) => l.includes('"level":"error"') && l.includes('MsgSeqNum too low'))).toBe(true);
    const logout = conn.messageLog({ limit: 1, msgType: '5', direction: 'out' })[0]!;
    expect(logout.raw).toMatch(/58=MsgSeqNum too low, expecting \d+ but received \d+/);
    await sleep(800);
    expect(await sim.control!.loggedOn('SIM-F')).toBe(false);
    expect(conn.state).toBe('stopped');
    conn.connect();
    await until('logged on after connect()', () => conn.state === 'loggedOn');
    await statuses(1);
  });

  it('logout() stays out until connect(); sequence numbers can be set only while logged out', async () => {
    expect(conn.setNextSequenceNumbers({ incoming: 5 })).toMatchObject({ ok: false });
    await conn.logout('end of test');
    expect(conn.state).toBe('stopped');
    expect(conn.stats().idle).toBe('loggedOut');
    const { nextIncomingSeqNum, nextOutgoingSeqNum } = conn.stats();
    expect(conn.setNextSequenceNumbers({ incoming: 0 })).toMatchObject({ ok: false });
    expect(conn.setNextSequenceNumbers({ incoming: nextIncomingSeqNum, outgoing: nextOutgoingSeqNum })).toEqual({ ok: true });
    await sleep(500);
    expect(conn.state).toBe('stopped');
    conn.connect();
    await until('logged on', () => conn.state === 'loggedOn');
    expect(rec.malformed).toEqual([]);
  });
});
