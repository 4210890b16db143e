import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { AlertLog } from '../alerts/alert-log';
import { DeliveredExecutions, deskSnapshotSections, foldDeskEvent } from '../desk/drop-copy';
import { createLogger } from '../log/logger';
import { OrderBook } from '../orders/order-book';
import { sampleEvents } from '../orders/random-events.test-support';
import type { DeskEvent } from './desk-events';
import { MIGRATIONS, migrate } from './migrations';
import type { SnapshotPolicy } from './snapshots';
import { SNAPSHOT_FORMAT, Snapshotter } from './snapshots';
import { SqliteJournal } from './sqlite-journal';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'snapshots-test-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const EVENTS = sampleEvents(42, 150);

interface Desk {
  readonly book: OrderBook;
  readonly delivered: DeliveredExecutions;
  readonly alerts: AlertLog;
  readonly snapshots: Snapshotter;
  readonly logs: Array<Record<string, unknown>>;
}

function desk(journal: SqliteJournal, policy: Partial<SnapshotPolicy> = {}): Desk {
  const book = new OrderBook({ blockSizes: { orders: 8, rows: 8, seen: 16 } });
  const delivered = new DeliveredExecutions(['SIM-A'], 16);
  const alerts = new AlertLog();
  const logs: Array<Record<string, unknown>> = [];
  const log = createLogger({ level: 'debug', write: (line) => logs.push(JSON.parse(line) as Record<string, unknown>) });
  return { book, delivered, alerts, logs, snapshots: new Snapshotter(journal, deskSnapshotSections(book, delivered, alerts), { log, policy }) };
}

function run(journal: SqliteJournal, d: Desk, events: readonly DeskEvent[]): void {
  for (const e of events) foldDeskEvent(d.book, d.delivered, d.alerts, e, journal.append(e));
}

/** A desk started on the journal: newest usable snapshot + the events after it. */
async function start(journal: SqliteJournal): Promise<Desk & { restoredSeq: number; ignored: readonly { reason: string }[] }> {
  const d = desk(journal);
  const outcome = await d.snapshots.restore();
  journal.replay((e, seq) => foldDeskEvent(d.book, d.delivered, d.alerts, e, seq), outcome.seq);
  return { ...d, restoredSeq: outcome.seq, ignored: outcome.ignored };
}

function fullReplay(journal: SqliteJournal, upTo = Infinity): Desk {
  const d = desk(journal);
  journal.replay((e, seq) => {
    if (seq <= upTo) foldDeskEvent(d.book, d.delivered, d.alerts, e, seq);
  });
  return d;
}

function same(a: Desk, b: Desk): void {
  const x = a.book.internals();
  const y = b.book.internals();
  expect(x.orders).toEqual(y.orders);
  expect(JSON.stringify(x.executions)).toBe(JSON.stringify(y.executions));
  expect([...x.seenExecutions]).toEqual([...y.seenExecutions]);
  expect(JSON.stringify(a.alerts.views())).toBe(JSON.stringify(b.alerts.views()));
  expect([...a.delivered.all()].map(([k, v]) => [k, [...v.trading], [...v.dropCopy]])).toEqual([...b.delivered.all()].map(([k, v]) => [k, [...v.trading], [...v.dropCopy]]));
}

/** A journal with two snapshots (after 60 and after 120 events) and 30 events after the newest. */
async function journalWithSnapshots(): Promise<{ journal: SqliteJournal; path: string }> {
  const path = join(tempDir(), 'desk.sqlite');
  const journal = new SqliteJournal(path, { syncIntervalMs: 0 });
  const d = desk(journal);
  run(journal, d, EVENTS.slice(0, 60));
  d.snapshots.writeNow();
  run(journal, d, EVENTS.slice(60, 120));
  d.snapshots.writeNow();
  run(journal, d, EVENTS.slice(120));
  return { journal, path };
}

function db(journal: SqliteJournal): Database.Database {
  return new Database(journal.path);
}

describe('Snapshotter', () => {
  it('starts from the newest snapshot and replays only the events after it', async () => {
    const { journal } = await journalWithSnapshots();
    const d = await start(journal);
    expect(d.restoredSeq).toBe(120);
    expect(d.ignored).toEqual([]);
    same(d, fullReplay(journal));
    journal.close();
  });

  it('keeps the newest `keep` snapshots, and no block only the deleted ones listed', async () => {
    const path = join(tempDir(), 'desk.sqlite');
    const journal = new SqliteJournal(path, { syncIntervalMs: 0 });
    const d = desk(journal, { keep: 2 });
    for (const at of [30, 60, 90, 120, EVENTS.length]) {
      run(journal, d, EVENTS.slice(at === EVENTS.length ? 120 : at - 30, at));
      d.snapshots.writeNow();
    }
    const conn = db(journal);
    expect(conn.prepare('SELECT seq FROM snapshots ORDER BY seq').pluck().all()).toEqual([120, EVENTS.length]);
    const orphans = conn.prepare('SELECT count(*) FROM snapshot_blocks WHERE hash NOT IN (SELECT hash FROM snapshot_block_refs)').pluck().get();
    const listed = conn.prepare('SELECT count(DISTINCT hash) FROM snapshot_block_refs').pluck().get();
    expect([orphans, listed]).toEqual([0, conn.prepare('SELECT count(*) FROM snapshot_blocks').pluck().get()]);
    conn.close();
    same(await start(journal), fullReplay(journal));
    journal.close();
  });

  it('writes only the blocks that changed since the last snapshot', async () => {
    const path = join(tempDir(), 'desk.sqlite');
    const journal = new SqliteJournal(path, { syncIntervalMs: 0 });
    const d = desk(journal);
    const events = sampleEvents(9, 600);
    run(journal, d, events.slice(0, -1));
    const first = d.snapshots.writeNow();
    run(journal, d, events.slice(-1));
    const second = d.snapshots.writeNow();
    expect(first?.blocksWritten).toBe(first?.blocks);
    // The newest (partial) block of each part, the index part (with the alert log), and the block the event changed.
    expect(second?.blocksWritten).toBeLessThan((first?.blocksWritten ?? 0) / 3);
    same(await start(journal), fullReplay(journal));
    journal.close();
  });

  describe('a snapshot that cannot be used is passed over with a log line (older one, else full replay)', () => {
    const cases: Array<[string, (conn: Database.Database) => void, RegExp]> = [
      ['an unknown format', (c) => c.prepare('UPDATE snapshots SET format = 99 WHERE seq = 120').run(), /format 99 is not one this desk reads/],
      ['an unknown section version', (c) => rewriteManifest(c, (m) => m.replace('"name":"book","version":2', '"name":"book","version":7')), /holds sections book@7, dropCopy@1, alerts@1; this desk reads book@2, dropCopy@1, alerts@1/],
      ['a damaged manifest', (c) => c.prepare("UPDATE snapshots SET manifest = CAST('junk' AS BLOB) WHERE seq = 120").run(), /manifest does not match its checksum/],
      ['a damaged block', (c) => damageBlock(c, 120), /damaged/],
      ['a missing block', (c) => c.prepare('DELETE FROM snapshot_blocks WHERE hash = (SELECT hash FROM snapshot_block_refs r WHERE snapshot_id = (SELECT id FROM snapshots WHERE seq = 120) AND NOT EXISTS (SELECT 1 FROM snapshot_block_refs o WHERE o.hash = r.hash AND o.snapshot_id <> r.snapshot_id) LIMIT 1)').run(), /missing/],
      ['a journal whose event it was made from changed', (c) => c.prepare("UPDATE events SET at = '2001-01-01T00:00:00.000Z' WHERE seq = 120").run(), /is not the one it was made from/],
    ];
    for (const [what, damage, reason] of cases) {
      it(what, async () => {
        const { journal } = await journalWithSnapshots();
        const conn = db(journal);
        damage(conn);
        conn.close();
        const d = await start(journal);
        expect(d.ignored.map((i) => i.reason)).toEqual([expect.stringMatching(reason)]);
        expect(d.logs.some((l) => l.message === 'snapshot ignored: falling back to an older one or to a full replay' && reason.test(String(l.reason)))).toBe(true);
        expect(d.restoredSeq).toBe(60); // the older one
        same(d, fullReplay(journal));
        journal.close();
      });
    }

    it('every snapshot unusable: a full replay', async () => {
      const { journal } = await journalWithSnapshots();
      const conn = db(journal);
      conn.prepare('UPDATE snapshots SET format = ?').run(SNAPSHOT_FORMAT + 1);
      conn.close();
      const d = await start(journal);
      expect([d.restoredSeq, d.ignored.length]).toEqual([0, 2]);
      same(d, fullReplay(journal));
      journal.close();
    });

    it('a snapshot that fails halfway leaves nothing of it behind (the state is the replay, not a mix)', async () => {
      const { journal } = await journalWithSnapshots();
      const conn = db(journal);
      // The book section is intact, the drop-copy section is not: the book restored first must be emptied again.
      rewriteManifest(conn, (m) => m.replace(/"name":"trading:SIM-A","blocks":\[\[(\d+),/, (_all, count: string) => `"name":"trading:SIM-A","blocks":[[${Number(count) + 1},`));
      conn.close();
      const d = await start(journal);
      expect(d.restoredSeq).toBe(60);
      same(d, fullReplay(journal));
      journal.close();
    });
  });

  it('a snapshot made with other drop copies configured is not used', async () => {
    const { journal } = await journalWithSnapshots();
    const d = desk(journal);
    const other = new Snapshotter(journal, deskSnapshotSections(d.book, new DeliveredExecutions(['SIM-B'], 16), new AlertLog()), { log: createLogger({ write: () => {} }) });
    const outcome = await other.restore();
    expect(outcome.seq).toBe(0);
    expect(outcome.ignored[0]?.reason).toMatch(/made with drop copies for \[SIM-A\]; they are now configured for \[SIM-B\]/);
    journal.close();
  });

  it('a failed write (its transaction rolled back) leaves the previous snapshot the newest; its blocks go with the next write', async () => {
    const { journal } = await journalWithSnapshots();
    const d = await start(journal);
    run(journal, d, [{ type: 'sessionAdministered', at: '2026-11-27T12:00:00.000Z', broker: 'SIM-A', session: 'trading', action: 'connect', outcome: 'done' }]);
    const store = journal.snapshots;
    const write = store.write.bind(store);
    // The snapshot's own transaction fails after its new blocks were stored (in theirs): nothing of the snapshot is kept.
    store.write = (snapshot, keep) => write({ ...snapshot, seq: 10_000 }, keep);
    expect(() => d.snapshots.writeNow()).toThrow(/no event 10000/);
    store.write = write;
    const conn = db(journal);
    const orphans = () => conn.prepare('SELECT count(*) FROM snapshot_blocks WHERE hash NOT IN (SELECT hash FROM snapshot_block_refs)').pluck().get();
    expect(conn.prepare('SELECT seq FROM snapshots ORDER BY seq').pluck().all()).toEqual([60, 120]);
    expect(orphans()).toBeGreaterThan(0); // listed by no snapshot: never read
    same(await start(journal), fullReplay(journal));
    // The next snapshot stores what it needs and deletes what no snapshot lists.
    run(journal, d, [{ type: 'sessionAdministered', at: '2026-11-27T12:00:01.000Z', broker: 'SIM-A', session: 'trading', action: 'connect', outcome: 'done' }]);
    d.snapshots.writeNow();
    expect(orphans()).toBe(0);
    conn.close();
    same(await start(journal), fullReplay(journal));
    journal.close();
  });

  it('the policy: a snapshot once `every` events were journaled, written in slices, checked on a timer', async () => {
    const path = join(tempDir(), 'desk.sqlite');
    const journal = new SqliteJournal(path, { syncIntervalMs: 0 });
    const d = desk(journal, { every: 50, checkMs: 5, sliceMs: 0 });
    d.snapshots.start();
    run(journal, d, EVENTS.slice(0, 49));
    await new Promise((r) => setTimeout(r, 40));
    expect(d.snapshots.coveredSeq).toBe(0);
    run(journal, d, EVENTS.slice(49, 120));
    for (let i = 0; i < 200 && d.snapshots.coveredSeq === 0; i++) await new Promise((r) => setTimeout(r, 5));
    d.snapshots.stop();
    expect(d.snapshots.coveredSeq).toBe(120);
    expect(d.snapshots.lastWritten?.slices).toBeGreaterThan(1);
    same(await start(journal), fullReplay(journal));
    journal.close();
  });

  it(
    'a kill -9 at any moment of a snapshot being written leaves the newest stored snapshot usable',
    async () => {
      const dir = tempDir();
      const script = join(dir, 'writer.ts');
      const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
      writeFileSync(
        script,
        `
import { SqliteJournal } from ${JSON.stringify(here('./sqlite-journal.ts'))};
import { Snapshotter } from ${JSON.stringify(here('./snapshots.ts'))};
import { OrderBook } from ${JSON.stringify(here('../orders/order-book.ts'))};
import { DeliveredExecutions, deskSnapshotSections, foldDeskEvent } from ${JSON.stringify(here('../desk/drop-copy.ts'))};
import { AlertLog } from ${JSON.stringify(here('../alerts/alert-log.ts'))};
import { silentLogger } from ${JSON.stringify(here('../log/logger.ts'))};
import { sampleEvents } from ${JSON.stringify(here('../orders/random-events.test-support.ts'))};
const journal = new SqliteJournal(process.argv[2], { syncIntervalMs: 0 });
const book = new OrderBook({ blockSizes: { orders: 8, rows: 8, seen: 16 } });
const delivered = new DeliveredExecutions(['SIM-A'], 16);
const alerts = new AlertLog();
const snapshots = new Snapshotter(journal, deskSnapshotSections(book, delivered, alerts), { log: silentLogger });
for (let round = 0; ; round++) {
  for (const e of sampleEvents(round, 300)) foldDeskEvent(book, delivered, alerts, e, journal.append(e));
  snapshots.writeNow();
  process.stdout.write('written ' + round + '\\n');
}
`,
      );
      for (let attempt = 0; attempt < 3; attempt++) {
        const path = join(dir, `desk-${attempt}.sqlite`);
        const child = spawn(process.execPath, ['--import', 'tsx', script, path], { stdio: ['ignore', 'pipe', 'inherit'] });
        let written = 0;
        child.stdout.on('data', (chunk: Buffer) => (written += chunk.toString().split('written').length - 1));
        for (let i = 0; i < 600 && written < 2 + attempt; i++) await new Promise((r) => setTimeout(r, 25));
        await new Promise((r) => setTimeout(r, Math.random() * 40));
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGKILL');
        await exited;
        const journal = new SqliteJournal(path, { syncIntervalMs: 0 });
        const d = await start(journal);
        expect(d.ignored).toEqual([]);
        expect(d.restoredSeq).toBeGreaterThan(0);
        same(d, fullReplay(journal));
        journal.close();
      }
    },
    60_000,
  );
});

describe('migration 2', () => {
  it('adds the snapshot tables to a journal written before them, keeping every event; the desk then replays in full', async () => {
    const path = join(tempDir(), 'desk.sqlite');
    const old = new Database(path);
    migrate(old, MIGRATIONS.filter((m) => m.version === 1));
    const insert = old.prepare('INSERT INTO events (at, type, order_id, payload) VALUES (?, ?, ?, ?)');
    for (const e of EVENTS) insert.run(e.at, e.type, 'orderId' in e ? (e.orderId ?? null) : null, JSON.stringify(e));
    expect(old.pragma('user_version', { simple: true })).toBe(1);
    old.close();

    const journal = new SqliteJournal(path, { syncIntervalMs: 0 });
    const conn = db(journal);
    expect(conn.pragma('user_version', { simple: true })).toBe(2);
    const tables = conn.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['events', 'meta', 'snapshots', 'snapshot_blocks', 'snapshot_block_refs']));
    expect(conn.prepare('SELECT count(*) FROM snapshots').pluck().get()).toBe(0);
    conn.close();
    expect(journal.eventCount).toBe(EVENTS.length);
    const d = await start(journal);
    expect(d.restoredSeq).toBe(0);
    d.snapshots.writeNow();
    same(await start(journal), fullReplay(journal));
    journal.close();
  });
});

function rewriteManifest(conn: Database.Database, edit: (manifest: string) => string): void {
  const { id, manifest } = conn.prepare('SELECT id, manifest FROM snapshots WHERE seq = 120').get() as { id: number; manifest: Buffer };
  const text = manifest.subarray(8).toString('utf8');
  const edited = edit(text);
  expect(edited).not.toBe(text);
  const bytes = Buffer.concat([manifest.subarray(0, 8), Buffer.from(edited, 'utf8')]);
  // A consistent checksum: the manifest is well-formed and signed, only its content is not what this desk reads.
  conn.prepare('UPDATE snapshots SET manifest = ?, checksum = ? WHERE id = ?').run(bytes, createHash('sha256').update(bytes).digest('hex'), id);
}

/** Flips a byte of a block only the snapshot at `seq` lists. */
function damageBlock(conn: Database.Database, seq: number): void {
  const hash = conn
    .prepare('SELECT hash FROM snapshot_block_refs r WHERE snapshot_id = (SELECT id FROM snapshots WHERE seq = ?) AND NOT EXISTS (SELECT 1 FROM snapshot_block_refs o WHERE o.hash = r.hash AND o.snapshot_id <> r.snapshot_id) LIMIT 1')
    .pluck()
    .get(seq) as string;
  const data = conn.prepare('SELECT data FROM snapshot_blocks WHERE hash = ?').pluck().get(hash) as Buffer;
  const at = Math.floor(data.length / 2);
  data[at] = (data[at] as number) ^ 0xff;
  conn.prepare('UPDATE snapshot_blocks SET data = ? WHERE hash = ?').run(data, hash);
}
