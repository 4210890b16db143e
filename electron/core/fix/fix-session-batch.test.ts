import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeskEvent } from '../journal/desk-events';
import { SqliteJournal } from '../journal/sqlite-journal';
import { silentLogger } from '../log/logger';
import { TestClock } from '../time/test-clock';
import { FixSession } from './fix-session';
import { FixSessionStore } from './fix-session-store';
import type { FixField } from './fix-wire';
import { encodeMessage, fieldOf, fixTimestamp, FrameReader } from './fix-wire';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true, maxRetries: 5 }); // a checkpointer worker may still be closing
});

/** A session on a file store, and a second connection that sees only what was committed. */
function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'fix-batch-'));
  dirs.push(dir);
  const path = join(dir, 'session.sqlite');
  const store = new FixSessionStore(path, { sessionKey: 'k', clock: new TestClock('2026-11-27T10:00:00Z') });
  const committed = () => {
    const db = new Database(path, { readonly: true });
    try {
      return db.prepare('SELECT next_in AS nextIn, next_out AS nextOut FROM fix_sessions').get() as { nextIn: number; nextOut: number };
    } finally {
      db.close();
    }
  };
  const clock = new TestClock('2026-11-27T10:00:00.000Z');
  const trace: string[] = [];
  const writes: Array<{ msgTypes: string[]; committed: { nextIn: number; nextOut: number } }> = [];
  const session = new FixSession(
    { role: 'initiator', beginString: 'FIX.4.4', senderCompId: 'DESK', targetCompId: 'BRK', heartbeatSeconds: 30, resetOnLogon: false },
    store,
    {
      write: (text) => {
        const msgTypes = new FrameReader().push(text).flatMap((f) => (f.kind === 'message' ? [fieldOf(f.fields, 35)!] : []));
        trace.push(`write ${msgTypes.join(',')}`);
        writes.push({ msgTypes, committed: committed() });
      },
      close: () => trace.push('close'),
    },
    clock,
    silentLogger,
    {
      onLoggedOn: () => {},
      onApplication: (m) => trace.push(`deliver ${fieldOf(m.fields, 17)}`),
      onEnded: () => {},
    },
    undefined,
    {
      batch: (fn) => {
        trace.push('unit of work begins');
        const result = store.batch(fn);
        trace.push(`unit of work committed: in ${committed().nextIn}`);
        return result;
      },
      afterCommit: (fn) => store.afterCommit(fn),
    },
  );
  let seq = 1;
  const frame = (msgType: string, body: FixField[] = []) =>
    encodeMessage('FIX.4.4', msgType, [[49, 'BRK'], [56, 'DESK'], [34, String(seq++)], [52, fixTimestamp(clock.now())], ...body]);
  session.start();
  session.receive(frame('A', [[98, '0'], [108, '30']]));
  trace.length = 0;
  writes.length = 0;
  return { session, store, trace, writes, frame, committed };
}

describe('one read from the socket is handled as one unit', () => {
  it('delivers every message of the read inside one unit of work and writes the replies once, after its commit', () => {
    const s = setup();
    const chunk = s.frame('8', [[17, 'E1'], [11, 'C1']]) + s.frame('1', [[112, 'T1']]) + s.frame('8', [[17, 'E2'], [11, 'C1']]);
    s.session.receive(chunk);

    expect(s.trace).toEqual(['unit of work begins', 'deliver E1', 'deliver E2', 'unit of work committed: in 5', 'write 0']);
    // The Heartbeat answering the TestRequest went out only once the numbers it used were on disk.
    expect(s.writes).toEqual([{ msgTypes: ['0'], committed: { nextIn: 5, nextOut: 3 } }]);
    expect(s.store.sequences).toMatchObject({ nextIn: 5, nextOut: 3 });
  });

  it('writes a Logout and closes after the commit when a message of the read ends the session', () => {
    const s = setup();
    const tooLow = encodeMessage('FIX.4.4', '0', [[49, 'BRK'], [56, 'DESK'], [34, '1'], [52, '20261127-10:00:00.000']]);
    s.session.receive(s.frame('8', [[17, 'E1'], [11, 'C1']]) + tooLow + s.frame('8', [[17, 'E9'], [11, 'C1']]));

    expect(s.trace).toEqual(['unit of work begins', 'deliver E1', 'unit of work committed: in 3', 'write 5', 'close']);
    expect(s.writes[0]!.committed).toEqual({ nextIn: 3, nextOut: 3 });
    expect(s.session.ended).toBe(true);
  });
});

/** A session whose store lives in the desk journal's database, as the desk runs it. */
function setupShared() {
  const dir = mkdtempSync(join(tmpdir(), 'fix-shared-'));
  dirs.push(dir);
  const journal = new SqliteJournal(join(dir, 'desk.sqlite'));
  closers.push(() => journal.close());
  const store = FixSessionStore.inDatabase(journal.db, { name: 'BRK', sessionKey: 'k', clock: new TestClock('2026-11-27T10:00:00Z') });
  /** What a second connection sees: only what was committed. */
  const committed = () => {
    const db = new Database(journal.path, { readonly: true });
    try {
      return {
        events: db.prepare('SELECT count(*) FROM events').pluck().get() as number,
        sent: db.prepare("SELECT msg_type FROM fix_messages WHERE direction = 'out' ORDER BY id").pluck().all() as string[],
      };
    } finally {
      db.close();
    }
  };
  const clock = new TestClock('2026-11-27T10:00:00.000Z');
  const writes: Array<{ msgTypes: string[]; committed: ReturnType<typeof committed> }> = [];
  const session = new FixSession(
    { role: 'initiator', beginString: 'FIX.4.4', senderCompId: 'DESK', targetCompId: 'BRK', heartbeatSeconds: 30, resetOnLogon: false },
    store,
    {
      write: (text) => {
        const msgTypes = new FrameReader().push(text).flatMap((f) => (f.kind === 'message' ? [fieldOf(f.fields, 35)!] : []));
        writes.push({ msgTypes, committed: committed() });
      },
      close: () => {},
    },
    clock,
    silentLogger,
    { onLoggedOn: () => {}, onApplication: () => {}, onEnded: () => {} },
    undefined,
    journal,
  );
  session.start();
  session.receive(encodeMessage('FIX.4.4', 'A', [[49, 'BRK'], [56, 'DESK'], [34, '1'], [52, fixTimestamp(clock.now())], [98, '0'], [108, '30']]));
  writes.length = 0;
  return { session, journal, writes, committed };
}

const closers: Array<() => void> = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

describe('a session stored in the journal database', () => {
  const submitted = (n: number): DeskEvent => ({ type: 'fixMessageSent', at: '2026-11-27T10:00:00.000Z', orderId: `O${n}`, broker: 'BRK', msgType: 'D', raw: `11=C${n}` });

  it("commits a command's events and the messages it sends together, and writes them only after that commit", () => {
    const s = setupShared();
    const before = s.committed();
    s.journal.batch(() => {
      s.journal.append(submitted(1));
      s.session.sendApplication('D', [[11, 'C1']]);
      s.journal.append(submitted(2));
      s.session.sendApplication('D', [[11, 'C2']]);
      expect(s.writes).toEqual([]); // nothing leaves before the commit
    });
    // One write for the batch, once both events and both messages were on disk: one commit.
    expect(s.writes).toEqual([{ msgTypes: ['D', 'D'], committed: { events: before.events + 2, sent: [...before.sent, 'D', 'D'] } }]);
  });

  it('sends at once outside a batch, after its own commit', () => {
    const s = setupShared();
    const before = s.committed();
    s.session.sendApplication('D', [[11, 'C1']]);
    expect(s.writes).toEqual([{ msgTypes: ['D'], committed: { events: before.events, sent: [...before.sent, 'D'] } }]);
  });
});
