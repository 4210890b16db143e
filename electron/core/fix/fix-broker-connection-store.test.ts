import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { BrokerListener } from '../broker/broker-port';
import { brokerConfigSchema } from '../config/desk-config';
import { migrate } from '../journal/migrations';
import { silentLogger } from '../log/logger';
import { TestClock } from '../time/test-clock';
import { createFixBrokerConnection } from './fix-broker-connection';

const dirs: string[] = [];
const open: Database.Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true, maxRetries: 5 });
});

const config = brokerConfigSchema.parse({ name: 'BRK', host: '127.0.0.1', port: 1, senderCompId: 'MERIDIAN', targetCompId: 'BRK', fixVersion: 'FIX.4.4' });
const listener: BrokerListener = { onState: () => {}, onMessage: () => {}, onMalformed: () => {} };

function dataDir() {
  const dir = mkdtempSync(join(tmpdir(), 'fix-conn-store-'));
  dirs.push(dir);
  const db = new Database(join(dir, 'desk.sqlite'));
  migrate(db);
  open.push(db);
  return { dir, db };
}

describe("a broker connection's session store in the journal database", () => {
  it('refuses a second connection for the same session in one database', async () => {
    const { dir, db } = dataDir();
    const first = createFixBrokerConnection(config, listener, { log: silentLogger, clock: new TestClock(), dataDir: dir, database: db, maxReconnectSeconds: 60 });
    first.start();
    const second = createFixBrokerConnection(config, listener, { log: silentLogger, clock: new TestClock(), dataDir: dir, database: db });
    expect(() => second.start()).toThrow(/already open in this process/);
    await first.stop();
  });
});
