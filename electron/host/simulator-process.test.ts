import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../core/log/logger';
import { startSimulatorProcess } from './simulator-process';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'meridian-sim-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function script(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, body);
  return path;
}

const options = (scriptPath: string) => ({ script: scriptPath, configPath: 'sim.json', cwd: repoRoot, log: silentLogger, readyTimeoutMs: 10_000 });

describe('startSimulatorProcess', () => {
  it('resolves on the ready line, passes --config and --exit-with-parent, and stops with SIGTERM', async () => {
    const path = script(
      'ready.ts',
      `const args: string[] = process.argv.slice(2);
       if (args.join(' ') !== '--config sim.json --exit-with-parent') process.exit(4);
       console.log('starting');
       setTimeout(() => console.log(JSON.stringify({ event: 'ready', brokers: [{ name: 'SIM-A', port: 9881 }] })), 50);
       setInterval(() => {}, 1000);`,
    );
    const sim = await startSimulatorProcess(options(path));
    expect(sim.brokers).toEqual([{ name: 'SIM-A', port: 9881 }]);
    expect(sim.pid).toBeGreaterThan(0);
    await sim.stop();
    expect(await sim.exited).toBe('SIGTERM');
  });

  it('rejects when the simulator exits before it is ready', async () => {
    const path = script('dies.ts', `console.error('no config'); process.exit(3);`);
    await expect(startSimulatorProcess(options(path))).rejects.toThrow(/exited \(3\) before it was ready/);
  });

  it('rejects when the ready line does not come in time', async () => {
    const path = script('silent.ts', `setInterval(() => {}, 1000);`);
    await expect(startSimulatorProcess({ ...options(path), readyTimeoutMs: 500 })).rejects.toThrow(/did not report ready/);
  });
});
