import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../simulator/launch';
import { brokerEntriesFor } from './support/broker-entries';
import { DeskWsClient } from './support/desk-ws-client';
import { BUILT_HOST, startHostProcess } from './support/host-process';

/**
 * The headless host as the app ships it: plain JavaScript, out/main/serve.js, bundled with the main
 * process (`npm run build`, which `npm test` runs before these tests). From the bundle it must still find
 * what it locates from its own file: config/instruments.csv, the worker threads beside it (the journal's
 * check, WAL checkpoints), out/renderer. Outside CI a tree that was never built skips this, saying so.
 */
const built = existsSync(BUILT_HOST);
const runs = built || process.env.CI !== undefined;
if (!runs) console.warn(`built-host.test.ts skipped: ${BUILT_HOST} is absent (npm run build makes it)`);

/** Log lines at warn or error: a worker or a file the bundle could not find shows up here. */
function complaints(stderr: string): string[] {
  return stderr.split('\n').filter((line) => /"level":"(warn|error)"/.test(line));
}

describe.skipIf(!runs)('the built headless host (out/main/serve.js)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meridian-built-host-'));
  const configPath = join(dir, 'desk.json');
  const dataDir = join(dir, 'data');
  const token = randomBytes(16).toString('hex');

  beforeAll(async () => {
    // A broker nobody listens on: the desk starts and keeps trying to connect, which is all this needs.
    writeFileSync(configPath, JSON.stringify({ accounts: ['FUND-ALPHA'], brokers: brokerEntriesFor([{ name: 'SIM-A', port: await freePort() }]) }));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts, serves the page and the desk, stops cleanly; then starts again on the journal it wrote', async () => {
    expect(built, `${BUILT_HOST} is missing: npm run build makes it (npm test builds before the tests)`).toBe(true);
    for (const start of ['on an empty data folder', 'on the journal of the first start']) {
      const host = await startHostProcess({ configPath, dataDir, token, built: true });
      try {
        const page = await fetch(host.url);
        expect(page.status, start).toBe(200);
        expect(await page.text(), `${start}: the built renderer`).toContain('<div id="root">');
        const client = await DeskWsClient.connect(host.url);
        try {
          const found = await client.call('searchInstruments', { query: 'AAPL' });
          expect(found.ok && found.value.instruments.map((i) => i.id), `${start}: config/instruments.csv`).toContain('AAPL.XNAS');
        } finally {
          client.close();
        }
      } finally {
        await host.stop();
      }
      expect(host.child.exitCode, `${start}: a clean stop\n${host.stderr()}`).toBe(0);
      expect(complaints(host.stderr()), start).toEqual([]);
    }
  }, 60_000);
});
