import { describe, expect, it } from 'vitest';
import { freePort, startSimulatorProcess } from './launch';

const instruments = { 'AAPL.XNAS': { referencePrice: '100' } };

describe('the simulator process', () => {
  it('prints its ready line with the ports, and exits cleanly (0) on SIGTERM', async () => {
    const port = await freePort();
    const sim = await startSimulatorProcess({
      config: { brokers: [{ name: 'SIM-X', port, senderCompId: 'SIM-X', targetCompId: 'MERIDIAN' }, { name: 'SIM-Y', port: 0, senderCompId: 'SIM-Y', targetCompId: 'MERIDIAN' }], instruments },
    });
    try {
      expect(sim.brokers[0]).toEqual({ name: 'SIM-X', port });
      expect(sim.brokers[1]!.port).toBeGreaterThan(0);
      expect(sim.pid).toBeGreaterThan(0);
    } finally {
      await sim.stop();
    }
    expect(await sim.exited).toBe(0);
  });

  it('exits with code 2 and names the field when the config is bad', async () => {
    await expect(
      startSimulatorProcess({ config: { brokers: [{ name: 'SIM-X', port: 70000, senderCompId: 'SIM-X', targetCompId: 'MERIDIAN' }], instruments } }),
    ).rejects.toThrow(/exited \(2\)[\s\S]*brokers\[0\]\.port: port must be 0-65535/);
  });

  it('fails clearly when its port is taken', async () => {
    const port = await freePort();
    const first = await startSimulatorProcess({ config: { brokers: [{ name: 'SIM-X', port, senderCompId: 'SIM-X', targetCompId: 'MERIDIAN' }], instruments } });
    try {
      await expect(
        startSimulatorProcess({ config: { brokers: [{ name: 'SIM-X', port, senderCompId: 'SIM-X', targetCompId: 'MERIDIAN' }], instruments } }),
      ).rejects.toThrow(/cannot listen on 127\.0\.0\.1:\d+: .*EADDRINUSE/);
    } finally {
      await first.stop();
    }
  });
});
