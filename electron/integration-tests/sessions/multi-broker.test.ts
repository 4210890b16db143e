import { afterAll, describe, expect, it } from 'vitest';
import type { BrokerConnection } from '../../core/broker/broker-port';
import type { SimulatorProcess } from '../../simulator/launch';
import { freePort, startSimulatorProcess } from '../../simulator/launch';
import type { SimulatorConfigInput } from '../../simulator/simulator-config';
import { connection, order, SYMBOLS, until } from './session-support';

const processes: SimulatorProcess[] = [];
const connections: BrokerConnection[] = [];

afterAll(async () => {
  await Promise.all(connections.map((c) => c.stop()));
  await Promise.all(processes.map((p) => p.stop()));
});

describe('two brokers at once', () => {
  it('FIX 4.2 and FIX 5.0SP2 side by side; killing one does not disturb the other', async () => {
    const ports = [await freePort(), await freePort()];
    const config = (name: string, port: number, fixVersion: 'FIX.4.2' | 'FIX.5.0SP2'): SimulatorConfigInput => ({
      fills: { enabled: true, intervalMs: 50, fraction: 0.5 },
      brokers: [{ name, port, fixVersion, senderCompId: name, targetCompId: 'MERIDIAN', heartbeatSeconds: 5 }],
      instruments: SYMBOLS,
    });
    let old = await startSimulatorProcess({ config: config('SIM-42', ports[0]!, 'FIX.4.2') });
    processes.push(old);
    const modern = await startSimulatorProcess({ config: config('SIM-50', ports[1]!, 'FIX.5.0SP2') });
    processes.push(modern);
    const a = connection({ name: 'SIM-42', port: ports[0]!, fixVersion: 'FIX.4.2' });
    const b = connection({ name: 'SIM-50', port: ports[1]!, fixVersion: 'FIX.5.0SP2' });
    connections.push(a.connection, b.connection);
    a.connection.start();
    b.connection.start();
    await until('both logged on', () => a.connection.state === 'loggedOn' && b.connection.state === 'loggedOn');
    expect(b.connection.messageLog({ limit: 1, msgType: 'A', direction: 'out' })[0]!.raw).toMatch(/^8=FIXT\.1\.1\|.*\|1137=9\|/);
    expect(a.connection.messageLog({ limit: 1, msgType: 'A', direction: 'out' })[0]!.raw).toMatch(/^8=FIX\.4\.2\|/);

    const fill = async (c: typeof a, quantity = '10') => {
      const o = order({ quantity, limitPrice: '1000' });
      expect(c.connection.send(o)).toMatchObject({ msgType: 'D' }); // stored and on its way
      await until(`${o.clOrdId} filled`, () => c.recorder.executions(o.clOrdId).some((m) => m.ordStatus === 'filled'));
    };
    await fill(a);
    await fill(b);

    const bStates = b.recorder.states.length;
    old.kill();
    await old.exited;
    await until('SIM-42 down', () => a.connection.state !== 'loggedOn');
    expect(a.connection.send(order())).toBeUndefined(); // nothing sent
    for (let i = 0; i < 3; i++) await fill(b);
    expect(b.connection.state).toBe('loggedOn');
    expect(b.recorder.states.length).toBe(bStates);

    old = await startSimulatorProcess({ config: config('SIM-42', ports[0]!, 'FIX.4.2') });
    processes.push(old);
    await until('SIM-42 back', () => a.connection.state === 'loggedOn', 15_000);
    await fill(a);
    expect(b.recorder.states.length).toBe(bStates);
    expect([...a.recorder.malformed, ...b.recorder.malformed]).toEqual([]);
  }, 40_000);
});
