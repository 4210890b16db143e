import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LockOwner } from '../../core/data-folder/data-folder-lock';
import { EXIT_DATA_FOLDER_IN_USE } from '../../core/data-folder/open-data-folder';
import { freePort } from '../../simulator/launch';
import { brokerEntriesFor } from '../support/broker-entries';
import type { HostProcess } from '../support/host-process';
import { runHostToExit, runRestore, startHostProcess } from '../support/host-process';

/**
 * Two desks on one data folder would log on with the same CompIDs and append to one journal, each
 * with its own state in memory. The second must refuse and name the first; a desk killed with
 * SIGKILL must never block the next start (the operating system drops the lock with the process).
 */
describe('one desk per data folder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meridian-lock-'));
  const configPath = join(dir, 'desk.json');
  const dataDir = join(dir, 'data');
  const token = randomBytes(16).toString('hex');
  const running: HostProcess[] = [];

  beforeAll(async () => {
    // A broker nobody listens on: the desk starts and keeps trying to connect, which is all this needs.
    writeFileSync(configPath, JSON.stringify({ accounts: ['FUND-ALPHA'], brokers: brokerEntriesFor([{ name: 'SIM-A', port: await freePort() }]) }));
  });

  afterAll(async () => {
    for (const host of running) await host.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const start = async () => {
    const host = await startHostProcess({ configPath, dataDir, token });
    running.push(host);
    return host;
  };
  const owner = () => JSON.parse(readFileSync(join(dataDir, 'desk.lock.json'), 'utf8')) as LockOwner;

  it('a second host on the folder refuses with exit code 4 and a message naming the running one', async () => {
    const first = await start();
    expect(owner()).toMatchObject({ pid: first.child.pid, host: 'headless', hostname: hostname() });
    const { startedAt } = owner();
    for (let attempt = 1; attempt <= 2; attempt++) {
      const second = await runHostToExit({ configPath, dataDir, token });
      expect(second.code, second.stderr).toBe(EXIT_DATA_FOLDER_IN_USE);
      expect(second.stdout).toBe('');
      expect(second.stderr.trim()).toBe(
        `The data folder ${dataDir} cannot be used: it is in use by the headless host (npm run serve) with PID ${first.child.pid} on ${hostname()}, started ${startedAt}. ` +
          'Two desks on one journal would fight over the same broker sessions. Stop that one first, or give this one another data folder (--data-dir).',
      );
    }
    // The first desk is untouched: its lock and its name are still there.
    expect(owner()).toMatchObject({ pid: first.child.pid, startedAt });
    expect(first.child.exitCode).toBeNull();
  }, 60_000);

  it('a restore is refused while a desk runs on the folder', async () => {
    const first = running[0]!;
    writeFileSync(join(dir, 'backup.sqlite'), 'whatever it holds, it is not looked at while a desk runs');
    const outcome = await runRestore(['--from', join(dir, 'backup.sqlite'), '--data-dir', dataDir]);
    expect(outcome.code, outcome.stderr).toBe(EXIT_DATA_FOLDER_IN_USE);
    expect(outcome.stderr).toContain(`Not restored. The data folder ${dataDir} cannot be used: it is in use by the headless host (npm run serve) with PID ${first.child.pid}`);
    expect(existsSync(join(dataDir, 'desk.sqlite.restoring'))).toBe(false);
  }, 60_000);

  it('after a kill -9 the next desk starts at once, three times over', async () => {
    for (let round = 1; round <= 3; round++) {
      const previous = running.pop()!;
      await previous.crash();
      // The crashed desk's name is still beside the lock, but the lock went with the process.
      expect(owner().pid).toBe(previous.child.pid);
      const next = await start();
      expect(owner().pid, `round ${round}`).toBe(next.child.pid);
    }
    const last = running.pop()!;
    await last.stop();
    expect(existsSync(join(dataDir, 'desk.lock.json')), 'a clean stop removes the name').toBe(false);
  }, 90_000);
});
