import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrokerConnection } from '../../core/broker/broker-port';
import type { Clock } from '../../core/time/clock';
import { systemClock } from '../../core/time/clock';
import type { SimulatorProcess } from '../../simulator/launch';
import { startSimulatorProcess } from '../../simulator/launch';
import { connection, sleep, SYMBOLS, until } from './session-support';

/**
 * The session schedule over real TCP, on a clock shifted to just before the session starts (the
 * schedule takes the connection's injected clock; its timers are real).
 */
describe('the session schedule, live', () => {
  let sim: SimulatorProcess;
  let conn: BrokerConnection;
  let offsetMs = 0;
  const clock: Clock = { now: () => new Date(Date.now() + offsetMs), setTimeout: systemClock.setTimeout, clearTimeout: systemClock.clearTimeout };
  const at = (iso: string) => (offsetMs = Date.parse(iso) - Date.now());

  beforeAll(async () => {
    sim = await startSimulatorProcess({
      config: { control: 0, brokers: [{ name: 'SIM-S', port: 0, senderCompId: 'SIM-S', targetCompId: 'MERIDIAN', heartbeatSeconds: 5 }], instruments: SYMBOLS },
    });
  });

  afterAll(async () => {
    await conn?.stop();
    await sim?.stop();
  });

  it('logs on at the start, resets the sequence daily, logs out at the end, stays out, and connect() overrides', async () => {
    at('2026-06-02T09:59:58.800Z');
    ({ connection: conn } = connection(
      {
        name: 'SIM-S',
        port: sim.brokers[0]!.port,
        resetSeqNumOnLogon: false,
        schedule: { start: '10:00', end: '10:01', days: ['tue'], timeZone: 'UTC', resetSeqNumsDaily: true },
      },
      { clock, scheduleCheckMs: 200 },
    ));
    conn.setNextSequenceNumbers({ incoming: 40, outgoing: 40 });
    conn.start();
    await sleep(300);
    expect(conn.state).toBe('stopped');
    expect(conn.stats()).toMatchObject({ inSchedule: false, idle: 'outsideSchedule' });
    expect(await sim.control!.loggedOn('SIM-S')).toBe(false);

    await until('logged on at 10:00', () => conn.state === 'loggedOn', 5_000);
    const first = conn.messageLog({ limit: 1, msgType: 'A', direction: 'out' })[0]!;
    expect(first.raw).toContain('|141=Y|');
    expect(first.seqNum).toBe(1);

    // A reconnect later the same day carries on (no second reset).
    await sim.control!.fault('SIM-S', { kind: 'disconnect' });
    await until('reconnected', async () => conn.state === 'loggedOn' && conn.messageLog({ limit: 5, msgType: 'A', direction: 'out' }).length >= 2);
    const second = conn.messageLog({ limit: 1, msgType: 'A', direction: 'out' })[0]!;
    expect(second.raw).not.toContain('141=Y');
    expect(second.seqNum).toBeGreaterThan(1);

    at('2026-06-02T10:00:59.700Z');
    await until('logged out at 10:01', () => conn.state === 'stopped', 5_000);
    expect(conn.stats().idle).toBe('outsideSchedule');
    expect(conn.messageLog({ limit: 1, msgType: '5', direction: 'out' })[0]!.raw).toContain('58=end of the session schedule');
    await sleep(800);
    expect(conn.state).toBe('stopped');
    expect(await sim.control!.loggedOn('SIM-S')).toBe(false);

    conn.connect();
    await until('logged on by hand outside the schedule', () => conn.state === 'loggedOn');
  }, 20_000);
});
