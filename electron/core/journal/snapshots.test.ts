import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../log/logger';
import { sampleEvents } from '../orders/random-events.test-support';
import { TestClock } from '../time/test-clock';
import type { DeskEvent } from './desk-events';
import { MIGRATIONS, migrate } from './migrations';
import { applyAll } from './read-model';
import type { SnapshotPolicy } from './snapshots';
import { SNAPSHOT_FORMAT, Snapshotter } from './snapshots';
import { CountsByType, EventLog } from './read-model.test-support';
import { SqliteJournal } from './sqlite-journal';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'read-model-snapshots-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const EVENTS = sampleEvents(42, 150);

interface Desk {
  readonly models: { readonly eventLog: EventLog; readonly countsByType: CountsByType };
  readonly snapshots: Snapshotter;
  readonly clock: TestClock;
  readonly logs: Array<Record<string, unknown>>;
}

function desk(journal: SqliteJournal, policy: Partial<SnapshotPolicy> = {}, models = { eventLog: new EventLog(), countsByType: new CountsByType() }): Desk {
  const logs: Array<Record<string, unknown>> = [];
  const log = createLogger({ level: 'debug', write: (line) => logs.push(JSON.parse(line) as Record<string, unknown>) });
  const clock = new TestClock();
  return { models, logs, clock, snapshots: new Snapshotter(journal, models, { log, clock, policy }) };
}

function run(journal: SqliteJournal, d: Desk, events: readonly DeskEvent[]): void {
  for (const e of events) applyAll(d.models, e, journal.append(e));
}

/** A desk started on the journal: newest usable snapshot + the events after it. */
async function start(journal: SqliteJournal, models?: Desk['models']): Promise<Desk & { restoredSeq: number; ignored: readonly { reason: string }[] }> {
  const d = desk(journal, {}, models);
  const outcome = await d.snapshots.restore();
  journal.replay((e, seq) => applyAll(d.models, e, seq), outcome.seq);
  return { ...d, restoredSeq: outcome.seq, ignored: outcome.ignored };
}

function fullReplay(journal: SqliteJournal): Desk {
  const d = desk(journal);
  journal.replay((e, seq) => applyAll(d.models, e, seq));
  return d;
}

function same(a: Desk, b: Desk): void {
  expect(a.models.eventLog.view.all()).toEqual(b.models.eventLog.view.all());
  expect(a.models.countsByType.capture()).toEqual(b.models.countsByType.capture());
}

/** A journal with two snapshots (after 60 and after 120 events) and 30 events after the newest. */
function journalWithSnapshots(): { journal: SqliteJournal; path: string } {
  const path = join(tempDir(), 'desk.sqlite');
  const journal = new SqliteJournal(path);
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

describe('snapshots of the read models', () => {
  it('starts from the newest snapshot and replays only the events after it', async () => {
    const { journal } = journalWithSnapshots();
    const d = await start(journal);
    expect(d.restoredSeq).toBe(120);
    expect(d.ignored).toEqual([]);
    same(d, fullReplay(journal));
    journal.close();
  });

  it('keeps the newest `keep` snapshots, and no block only the deleted ones listed', async () => {
    const journal = new SqliteJournal(join(tempDir(), 'desk.sqlite'));
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

  it('encodes only the blocks whose entries are not the very objects of the last snapshot, also after a restore', async () => {
    const journal = new SqliteJournal(join(tempDir(), 'desk.sqlite'));
    const d = desk(journal);
    run(journal, d, EVENTS.slice(0, -1));
    const first = d.snapshots.writeNow();
    expect(first?.blocksWritten).toBe(first?.blocks);
    run(journal, d, EVENTS.slice(-1));
    const second = d.snapshots.writeNow();
    // The event log's last (partial) block, and the count of one type.
    expect([second?.blocks, second?.blocksWritten]).toEqual([first?.blocks, 2]);
    const restarted = await start(journal);
    run(journal, restarted, [{ type: 'sessionAdministered', at: '2026-11-27T12:00:00.000Z', broker: 'SIM-A', session: 'trading', action: 'connect', outcome: 'done' }]);
    const third = restarted.snapshots.writeNow();
    expect([third?.seq, third?.blocksWritten]).toEqual([EVENTS.length + 1, 2]); // the restored entries are the objects the models hold: their blocks are reused
    same(await start(journal), fullReplay(journal));
    journal.close();
  });

  describe('a snapshot that cannot be used is passed over with a log line (older one, else full replay)', () => {
    const cases: Array<[string, (conn: Database.Database) => void, RegExp]> = [
      ['an unknown format', (c) => c.prepare('UPDATE snapshots SET format = 99 WHERE seq = 120').run(), /format 99 is not one this desk reads/],
      [
        'another version of a read model',
        (c) => rewriteManifest(c, (m) => m.replace('"name":"eventLog","version":1', '"name":"eventLog","version":7')),
        /holds read models eventLog@7, countsByType@1; this desk folds eventLog@1, countsByType@1/,
      ],
      ['a damaged manifest', (c) => c.prepare("UPDATE snapshots SET manifest = CAST('junk' AS BLOB) WHERE seq = 120").run(), /manifest does not match its checksum/],
      ['a damaged block', (c) => damageBlock(c, 120), /damaged/],
      [
        'a missing block',
        (c) =>
          c
            .prepare(
              'DELETE FROM snapshot_blocks WHERE hash = (SELECT hash FROM snapshot_block_refs r WHERE snapshot_id = (SELECT id FROM snapshots WHERE seq = 120) AND NOT EXISTS (SELECT 1 FROM snapshot_block_refs o WHERE o.hash = r.hash AND o.snapshot_id <> r.snapshot_id) LIMIT 1)',
            )
            .run(),
        /missing/,
      ],
      ['a journal whose event it was made from changed', (c) => c.prepare("UPDATE events SET at = '2001-01-01T00:00:00.000Z' WHERE seq = 120").run(), /is not the one it was made from/],
      ['a block that does not decode as its read model reads it', (c) => rewriteManifest(c, (m) => m.replace(/"name":"counts","blocks":\[\[(\d+),/, (_all, n: string) => `"name":"counts","blocks":[[${Number(n) + 1},`)), /read past the end of a block/],
    ];
    for (const [what, damage, reason] of cases) {
      it(what, async () => {
        const { journal } = journalWithSnapshots();
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
      const { journal } = journalWithSnapshots();
      const conn = db(journal);
      conn.prepare('UPDATE snapshots SET format = ?').run(SNAPSHOT_FORMAT + 1);
      conn.close();
      const d = await start(journal);
      expect([d.restoredSeq, d.ignored.length]).toEqual([0, 2]);
      same(d, fullReplay(journal));
      journal.close();
    });

    it('a read model that refuses what it is given leaves nothing restored in any of them (the state is the replay, not a mix)', async () => {
      const { journal } = journalWithSnapshots();
      const conn = db(journal);
      // Well-formed blocks, a consistent manifest: the event log's entries out of order, which its restore refuses.
      const { id, manifest } = conn.prepare('SELECT id, manifest FROM snapshots WHERE seq = 120').get() as { id: number; manifest: Buffer };
      const header = JSON.parse(manifest.subarray(8).toString('utf8')) as { sections: Array<{ name: string; parts: Array<{ blocks: unknown[][] }> }> };
      const log = header.sections.find((s) => s.name === 'eventLog')?.parts[0]?.blocks as unknown[][];
      log.reverse();
      const bytes = Buffer.concat([manifest.subarray(0, 8), Buffer.from(JSON.stringify(header), 'utf8')]);
      conn.prepare('UPDATE snapshots SET manifest = ?, checksum = ? WHERE id = ?').run(bytes, createHash('sha256').update(bytes).digest('hex'), id);
      conn.close();
      const d = await start(journal);
      expect(d.ignored.map((i) => i.reason)).toEqual([expect.stringMatching(/events out of order/)]);
      expect(d.restoredSeq).toBe(60);
      same(d, fullReplay(journal));
      journal.close();
    });
  });

  it('a snapshot made with another registry of read models is not used', async () => {
    const { journal } = journalWithSnapshots();
    const other = desk(journal, {}, { eventLog: new EventLog({ version: 2 }), countsByType: new CountsByType() });
    const outcome = await other.snapshots.restore();
    expect(outcome.seq).toBe(0);
    expect(outcome.ignored[0]?.reason).toMatch(/holds read models eventLog@1, countsByType@1; this desk folds eventLog@2, countsByType@1/);
    journal.close();
  });

  it('a failed write (its transaction rolled back) leaves the previous snapshot the newest; its blocks go with the next write', async () => {
    const { journal } = journalWithSnapshots();
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
    run(journal, d, [{ type: 'sessionAdministered', at: '2026-11-27T12:00:01.000Z', broker: 'SIM-A', session: 'trading', action: 'connect', outcome: 'done' }]);
    d.snapshots.writeNow();
    expect(orphans()).toBe(0);
    conn.close();
    same(await start(journal), fullReplay(journal));
    journal.close();
  });

  it('`beforeCapture` runs right before a capture reads the journal position, now and in slices; a throw fails that snapshot only (logged)', async () => {
    const journal = new SqliteJournal(join(tempDir(), 'desk.sqlite'));
    const logs: Array<Record<string, unknown>> = [];
    const models = { eventLog: new EventLog(), countsByType: new CountsByType() };
    let hook: () => void = () => {};
    const snapshots = new Snapshotter(journal, models, {
      log: createLogger({ level: 'debug', write: (line) => logs.push(JSON.parse(line) as Record<string, unknown>) }),
      clock: new TestClock(),
      beforeCapture: () => hook(),
    });
    const d = { models, snapshots } as Desk;
    run(journal, d, EVENTS.slice(0, 10));
    // What the hook writes is in the snapshot: it ran before the position was read.
    hook = () => run(journal, d, EVENTS.slice(10, 11));
    expect(snapshots.writeNow()?.seq).toBe(11);
    hook = () => run(journal, d, EVENTS.slice(11, 12));
    expect((await snapshots.writeInBackground())?.seq).toBe(12);
    hook = () => {
      throw new Error('summaries not written');
    };
    run(journal, d, EVENTS.slice(12, 20));
    expect(() => snapshots.writeNow()).toThrow('summaries not written');
    expect(await snapshots.writeInBackground()).toBeUndefined();
    expect(logs.find((l) => l.message === 'snapshot not written')).toMatchObject({ error: 'summaries not written' });
    expect(snapshots.coveredSeq).toBe(12);
    hook = () => {};
    expect((await snapshots.writeInBackground())?.seq).toBe(20); // the next one is written as usual
    journal.close();
  });

  it('the policy: a snapshot once `every` events were journaled, checked on the clock, written in slices of the captured state', async () => {
    const journal = new SqliteJournal(join(tempDir(), 'desk.sqlite'));
    const d = desk(journal, { every: 50, checkMs: 1_000, sliceMs: 0 });
    d.snapshots.start();
    run(journal, d, EVENTS.slice(0, 49));
    d.clock.advance(1_000);
    await new Promise((r) => setImmediate(r));
    expect(d.snapshots.coveredSeq).toBe(0); // not due
    run(journal, d, EVENTS.slice(49, 120));
    expect(d.snapshots.coveredSeq).toBe(0);
    d.clock.advance(999);
    await new Promise((r) => setImmediate(r));
    expect(d.snapshots.coveredSeq).toBe(0); // due, but not checked yet
    d.clock.advance(1);
    // Written over turns of the event loop while more events are folded: the snapshot is the state at 120.
    run(journal, d, EVENTS.slice(120, 125));
    for (let i = 0; i < 500 && d.snapshots.coveredSeq === 0; i++) await new Promise((r) => setImmediate(r));
    d.snapshots.stop();
    expect(d.snapshots.coveredSeq).toBe(120);
    expect(d.snapshots.lastWritten?.slices).toBeGreaterThan(1);
    const restoredOnly = desk(journal);
    await restoredOnly.snapshots.restore();
    expect(restoredOnly.models.eventLog.view.all().map((e) => e.seq)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
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
import { applyAll } from ${JSON.stringify(here('./read-model.ts'))};
import { CountsByType, EventLog } from ${JSON.stringify(here('./read-model.test-support.ts'))};
import { silentLogger } from ${JSON.stringify(here('../log/logger.ts'))};
import { TestClock } from ${JSON.stringify(here('../time/test-clock.ts'))};
import { sampleEvents } from ${JSON.stringify(here('../orders/random-events.test-support.ts'))};
const journal = new SqliteJournal(process.argv[2]);
const models = { eventLog: new EventLog(), countsByType: new CountsByType() };
const snapshots = new Snapshotter(journal, models, { log: silentLogger, clock: new TestClock() });
for (let round = 0; ; round++) {
  for (const e of sampleEvents(round, 300)) applyAll(models, e, journal.append(e));
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
        const journal = new SqliteJournal(path);
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

describe('the migrations under the snapshots', () => {
  it('bring a journal of the first schema up to date, keeping every event; the desk then replays in full', async () => {
    const path = join(tempDir(), 'desk.sqlite');
    const old = new Database(path);
    migrate(old, MIGRATIONS.filter((m) => m.version === 1));
    const insert = old.prepare('INSERT INTO events (at, type, order_id, payload) VALUES (?, ?, ?, ?)');
    for (const e of EVENTS) insert.run(e.at, e.type, 'orderId' in e ? (e.orderId ?? null) : null, JSON.stringify(e));
    old.close();

    const journal = new SqliteJournal(path);
    const conn = db(journal);
    expect(conn.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)?.version);
    const tables = conn.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['events', 'meta', 'snapshots', 'snapshot_blocks', 'snapshot_block_refs', 'fix_sessions', 'fix_messages', 'order_summaries']));
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
