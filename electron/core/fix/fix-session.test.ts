import { describe, expect, it } from 'vitest';
import { createLogger } from '../log/logger';
import { TestClock } from '../time/test-clock';
import type { InboundApplication, SessionAlert, SessionEnd } from './fix-session';
import { FixSession } from './fix-session';
import { FixSessionStore } from './fix-session-store';
import type { FixField } from './fix-wire';
import { encodeMessage, fieldOf, fixTimestamp, FrameReader } from './fix-wire';

/** The session layer against a scripted counterparty: every message as it would arrive on the wire. */
function harness(options: { reset?: boolean; replayMaxAgeSeconds?: number; store?: FixSessionStore; adminBudget?: { messages: number; windowSeconds: number }; nextDeadline?: () => number | undefined } = {}) {
  const clock = new TestClock('2026-11-27T10:00:00.000Z');
  const store = options.store ?? new FixSessionStore(undefined, { sessionKey: 'k', clock });
  const written: Array<{ msgType: string; fields: readonly FixField[] }> = [];
  const reader = new FrameReader();
  const delivered: InboundApplication[] = [];
  const alerts: SessionAlert[] = [];
  const logLines: string[] = [];
  let ended: { reason: string; how: SessionEnd } | undefined;
  let closed = false;
  const flow = { paused: 0, resumed: 0 };
  const session = new FixSession(
    {
      role: 'initiator',
      beginString: 'FIX.4.4',
      senderCompId: 'DESK',
      targetCompId: 'BRK',
      heartbeatSeconds: 30,
      resetOnLogon: options.reset ?? false,
      logonFields: [[554, 'secret']],
      ...(options.replayMaxAgeSeconds !== undefined && { replayMaxAgeSeconds: options.replayMaxAgeSeconds }),
      resendTimeoutMs: 5_000,
      ...(options.adminBudget !== undefined && { adminBudget: options.adminBudget }),
      ...(options.nextDeadline !== undefined && { nextDeadline: options.nextDeadline }),
    },
    store,
    {
      write: (text) => {
        for (const f of reader.push(text)) if (f.kind === 'message') written.push({ msgType: fieldOf(f.fields, 35)!, fields: f.fields });
      },
      close: () => (closed = true),
      pause: () => flow.paused++,
      resume: () => flow.resumed++,
    },
    clock,
    createLogger({ level: 'debug', write: (l) => logLines.push(l) }),
    {
      onLoggedOn: () => {},
      onApplication: (m) => delivered.push(m),
      onAlert: (a) => alerts.push(a),
      onEnded: (reason, how) => (ended = { reason, how }),
    },
  );
  let peerSeq = 1;
  type PeerOptions = { seq?: number | string; possDup?: boolean; orig?: string; sendingTime?: string | null };
  /** A message of the counterparty as text (its MsgSeqNum the next one unless given). */
  const frame = (msgType: string, body: FixField[] = [], opts: PeerOptions = {}) => {
    const seq = opts.seq ?? peerSeq++;
    const header: FixField[] = [
      [49, 'BRK'],
      [56, 'DESK'],
      [34, String(seq)],
      ...(opts.possDup ? ([[43, 'Y']] as FixField[]) : []),
      ...(opts.sendingTime === null ? [] : ([[52, opts.sendingTime ?? fixTimestamp(clock.now())]] as FixField[])),
      ...(opts.orig !== undefined ? ([[122, opts.orig]] as FixField[]) : []),
    ];
    return encodeMessage('FIX.4.4', msgType, [...header, ...body]);
  };
  const peer = (msgType: string, body: FixField[] = [], opts: PeerOptions = {}) => session.receive(frame(msgType, body, opts));
  const er = (execId: string, opts: { seq?: number; possDup?: boolean } = {}) => peer('8', [[17, execId], [11, 'C1']], opts);
  const logon = () => {
    session.start();
    peer('A', [
      [98, '0'],
      [108, '30'],
    ]);
  };
  return { clock, store, session, written, delivered, alerts, logLines, peer, frame, er, logon, flow, ended: () => ended, closed: () => closed, setPeerSeq: (n: number) => (peerSeq = n) };
}

const execIds = (h: ReturnType<typeof harness>) => h.delivered.map((m) => fieldOf(m.fields, 17));

describe('the FIX session layer', () => {
  it('logs on, delivers in-sequence messages and persists both sequence numbers', () => {
    const h = harness();
    h.logon();
    expect(h.session.loggedOn).toBe(true);
    expect(h.written[0]!.msgType).toBe('A');
    h.er('E1');
    h.er('E2');
    expect(execIds(h)).toEqual(['E1', 'E2']);
    expect(h.store.sequences).toMatchObject({ nextIn: 4, nextOut: 2 });
    const sent = h.session.sendApplication('D', [[11, 'C9']]);
    expect(sent).toEqual({ msgType: 'D', seqNum: 2, raw: expect.stringMatching(/^8=FIX\.4\.4\|9=\d+\|35=D\|49=DESK\|56=BRK\|34=2\|52=[0-9:.-]+\|11=C9\|10=\d{3}\|$/) });
    expect(h.store.sequences.nextOut).toBe(3);
    expect(h.store.outgoing(2, 2).map((m) => m.raw.split('\x01').join('|'))).toEqual([sent?.raw]); // what it says it stored
  });

  it('on a gap: sends ResendRequest for exactly the gap, holds what follows, then processes everything in order', () => {
    const h = harness();
    h.logon();
    h.er('E1'); // 2
    h.setPeerSeq(5);
    h.er('E4'); // 5: 3 and 4 missing
    h.er('E5'); // 6
    expect(execIds(h)).toEqual(['E1']);
    const rr = h.written.find((w) => w.msgType === '2')!;
    expect([fieldOf(rr.fields, 7), fieldOf(rr.fields, 16)]).toEqual(['3', '4']);
    expect(h.alerts[0]?.text).toMatch(/sequence gap: expected MsgSeqNum 3, received 5/);
    h.er('E2', { seq: 3, possDup: true });
    expect(execIds(h)).toEqual(['E1', 'E2']);
    h.peer('4', [
      [123, 'Y'],
      [36, '5'],
    ], { seq: 4, possDup: true });
    expect(execIds(h)).toEqual(['E1', 'E2', 'E4', 'E5']);
    expect(h.store.sequences.nextIn).toBe(7);
    h.er('E6');
    expect(execIds(h)).toEqual(['E1', 'E2', 'E4', 'E5', 'E6']);
  });

  it('alerts and asks again when the resend never comes, then drops the connection', () => {
    const h = harness();
    h.logon();
    h.setPeerSeq(4);
    h.er('E3');
    h.clock.advance(5_000);
    expect(h.alerts.some((a) => a.level === 'error' && /not answered within 5 s/.test(a.text))).toBe(true);
    expect(h.written.filter((w) => w.msgType === '2')).toHaveLength(2);
    expect(h.ended()).toBeUndefined();
    h.clock.advance(5_000);
    expect(h.ended()?.how).toBe('error');
    expect(h.store.sequences.nextIn).toBe(2);
  });

  it('drops a PossDup resend of a message already processed, by sequence number', () => {
    const h = harness();
    h.logon();
    h.er('E1');
    h.er('E1', { seq: 2, possDup: true });
    expect(execIds(h)).toEqual(['E1']);
    expect(h.session.ended).toBe(false);
  });

  it('logs out and halts on a MsgSeqNum too low without PossDupFlag', () => {
    const h = harness();
    h.logon();
    h.er('E1');
    h.er('E2');
    h.er('EX', { seq: 2 });
    expect(h.ended()).toEqual({ reason: 'MsgSeqNum too low, expecting 4 but received 2', how: 'halt' });
    const logout = h.written.at(-1)!;
    expect(logout.msgType).toBe('5');
    expect(fieldOf(logout.fields, 58)).toBe('MsgSeqNum too low, expecting 4 but received 2');
    expect(h.logLines.some((l) => l.includes('MsgSeqNum too low'))).toBe(true);
  });

  it('ignores garbage and a bad checksum with a log line, then recovers the lost message by resend', () => {
    const h = harness();
    h.logon();
    h.session.receive('\x00\xffgarbage bytes\x01');
    const good = encodeMessage('FIX.4.4', '8', [
      [49, 'BRK'],
      [56, 'DESK'],
      [34, '2'],
      [52, '20261127-10:00:00.000'],
      [17, 'E1'],
    ]);
    h.session.receive(good.replace(/10=\d{3}/, (m) => (m === '10=000' ? '10=001' : '10=000')));
    expect(h.delivered).toHaveLength(0);
    expect(h.session.ended).toBe(false);
    expect(h.logLines.filter((l) => l.includes('ignored a garbled message'))).toHaveLength(2);
    expect(h.logLines.some((l) => l.includes('bad CheckSum'))).toBe(true);
    h.setPeerSeq(3);
    h.er('E2');
    expect(h.written.at(-1)!.msgType).toBe('2');
    h.er('E1', { seq: 2, possDup: true });
    expect(execIds(h)).toEqual(['E1', 'E2']);
  });

  it('answers a ResendRequest: replays order messages with PossDupFlag and OrigSendingTime, gap-fills session messages', () => {
    const h = harness();
    h.logon(); // our Logon is 1
    h.session.sendApplication('D', [[11, 'C1']]); // 2
    h.clock.advance(31_000); // heartbeat 3 (and maybe a test request)
    h.session.sendApplication('F', [[11, 'C2']]);
    const lastOut = h.store.sequences.nextOut - 1;
    const before = h.written.length;
    h.peer('2', [
      [7, '1'],
      [16, '0'],
    ]);
    const answer = h.written.slice(before);
    expect(answer.map((w) => [w.msgType, fieldOf(w.fields, 34), fieldOf(w.fields, 43), fieldOf(w.fields, 123), fieldOf(w.fields, 36)])).toEqual([
      ['4', '1', 'Y', 'Y', '2'],
      ['D', '2', 'Y', undefined, undefined],
      ['4', '3', 'Y', 'Y', String(lastOut)],
      ['F', String(lastOut), 'Y', undefined, undefined],
    ]);
    expect(fieldOf(answer[1]!.fields, 122)).toBe('20261127-10:00:00.000');
    expect(h.store.sequences.nextOut).toBe(lastOut + 1);
  });

  it('gap-fills order messages older than replayMaxAgeSeconds and names them in an alert', () => {
    const h = harness({ replayMaxAgeSeconds: 60 });
    h.logon();
    h.session.sendApplication('D', [[11, 'OLD-1']]);
    for (let i = 0; i < 4; i++) {
      h.clock.advance(30_000);
      h.peer('0');
    }
    h.peer('2', [
      [7, '2'],
      [16, '2'],
    ]);
    const last = h.written.at(-1)!;
    expect([last.msgType, fieldOf(last.fields, 36)]).toEqual(['4', '3']);
    expect(h.alerts.at(-1)).toMatchObject({ level: 'warning', clOrdIds: ['OLD-1'] });
  });

  it('continues the sequence numbers from its store (a restart with resetSeqNumOnLogon false)', () => {
    const first = harness();
    first.logon();
    first.er('E1');
    first.session.sendApplication('D', [[11, 'C1']]);
    const kept = first.store;
    const second = harness({ store: kept });
    second.session.start();
    const logon = second.written[0]!;
    expect(fieldOf(logon.fields, 34)).toBe('3');
    expect(fieldOf(logon.fields, 141)).toBeUndefined();
    second.setPeerSeq(3);
    second.peer('A', [
      [98, '0'],
      [108, '30'],
    ]);
    expect(second.session.loggedOn).toBe(true);
    expect(kept.sequences).toMatchObject({ nextIn: 4, nextOut: 4 });
  });

  it('resets both numbers with ResetSeqNumFlag=Y when configured', () => {
    const h = harness({ reset: true });
    h.store.setNextOut(50);
    h.store.setNextIn(70);
    h.logon();
    expect([fieldOf(h.written[0]!.fields, 34), fieldOf(h.written[0]!.fields, 141)]).toEqual(['1', 'Y']);
    expect(h.store.sequences).toMatchObject({ nextIn: 2, nextOut: 2 });
  });

  it('never stores or shows a password', () => {
    const h = harness();
    h.logon();
    const log = h.store.messageLog({ limit: 10 });
    expect(log.some((e) => e.msgType === 'A' && e.direction === 'out' && e.raw.includes('554=***'))).toBe(true);
    expect(JSON.stringify(log)).not.toContain('secret');
    expect(h.store.messageLog({ limit: 10, search: '554=***', direction: 'out' })).toHaveLength(1);
  });

  it('refuses a message whose SendingTime is not a UTCTimestamp: a Reject (373=6, RefTagID 52), its number used up, nothing applied, an alert', () => {
    const h = harness();
    h.logon();
    h.peer('8', [[17, 'E1'], [11, 'C1']], { sendingTime: '20261206-233508.116' });
    expect(h.delivered).toEqual([]);
    const reject = h.written.filter((m) => m.msgType === '3').at(-1);
    expect(reject && Object.fromEntries(reject.fields.filter(([t]) => [45, 371, 372, 373].includes(t)))).toEqual({ 45: '2', 371: '52', 372: '8', 373: '6' });
    expect(h.alerts.at(-1)).toMatchObject({ level: 'error', text: expect.stringMatching(/SendingTime \(52\) '20261206-233508.116' is not a UTCTimestamp/) });
    // The sequence goes on: the next message is in order, and applied.
    h.er('E2');
    expect(h.delivered.map((m) => fieldOf(m.fields, 17))).toEqual(['E2']);
    expect(h.written.filter((m) => m.msgType === '2')).toEqual([]); // no resend asked: nothing was lost
    // Missing altogether: Required tag missing (373=1).
    h.peer('8', [[17, 'E3'], [11, 'C1']], { sendingTime: null });
    expect(Object.fromEntries(h.written.filter((m) => m.msgType === '3').at(-1)!.fields.filter(([t]) => t === 373 || t === 371))).toEqual({ 371: '52', 373: '1' });
    expect(h.ended()).toBeUndefined();
  });

  it('logs out when the Logon itself has a malformed SendingTime', () => {
    const h = harness();
    h.session.start();
    h.peer('A', [[98, '0'], [108, '30']], { sendingTime: '2026-12-06 23:35:08' });
    expect(h.written.at(-1)?.msgType).toBe('5');
    expect(h.ended()).toMatchObject({ how: 'error', reason: expect.stringMatching(/Logon refused: SendingTime/) });
  });

  describe('a hostile counterparty', () => {
    const rowsOut = (h: ReturnType<typeof harness>) => h.store.messageLog({ limit: 1_000, direction: 'out' }).length;
    const replays = (h: ReturnType<typeof harness>) => h.written.filter((w) => w.msgType === 'Q' && fieldOf(w.fields, 43) === 'Y');
    const runTimers = (h: ReturnType<typeof harness>) => {
      for (let i = 0; i < 1_000; i++) h.clock.advance(0);
    };

    it('500 ResendRequests for everything in one write: one replay from the store, no FIX-log row per replay, what was sent meanwhile after it', () => {
      const h = harness({ adminBudget: { messages: 10_000, windowSeconds: 60 } });
      h.logon();
      for (let i = 0; i < 300; i++) h.session.sendApplication('Q', [[17, `X${i}`]]); // 300 DontKnowTrades: 2..301
      const stored = rowsOut(h);
      const before = h.written.length;
      let storm = '';
      for (let i = 0; i < 500; i++) storm += h.frame('2', [[7, '1'], [16, '0']]);
      h.session.receive(storm);
      h.session.sendApplication('D', [[11, 'AFTER']]); // sent while the replay may still run
      runTimers(h);
      expect(replays(h)).toHaveLength(300); // once, not 500 times
      const answer = h.written.slice(before);
      const seqs = answer.map((w) => Number(fieldOf(w.fields, 34)));
      expect(seqs.at(-1)).toBe(302); // the new order comes after the whole replay
      expect(answer.at(-1)?.msgType).toBe('D');
      expect(fieldOf(answer[0]!.fields, 123)).toBe('Y'); // our Logon (1) gap-filled
      expect(seqs.slice(1, -1)).toEqual(Array.from({ length: 300 }, (_, i) => i + 2));
      expect(rowsOut(h)).toBe(stored + 1); // only the new order was stored
      expect(h.logLines.some((l) => l.includes('500 ResendRequests coalesced into this one replay'))).toBe(true);
      expect(h.ended()).toBeUndefined();
    });

    it('a replay over many messages runs in slices: the read returns before it is done, the rest follows timer by timer', () => {
      const h = harness({ adminBudget: { messages: 10_000, windowSeconds: 60 } });
      h.logon();
      for (let i = 0; i < 10_000; i++) h.session.sendApplication('Q', [[17, `X${i}`], [58, 'x'.repeat(100)]]);
      h.peer('2', [[7, '1'], [16, '0']]);
      const afterRead = replays(h).length;
      expect(afterRead).toBeLessThan(10_000);
      runTimers(h);
      expect(replays(h)).toHaveLength(10_000);
    });

    it('a read of many messages is handled in slices of the thread, in order; a long backlog pauses the socket until it shrinks', () => {
      const h = harness();
      h.logon();
      let burst = '';
      for (let i = 0; i < 25_000; i++) burst += h.frame('8', [[17, `E${i}`], [11, 'C1']]);
      h.session.receive(burst);
      expect(h.delivered.length).toBeLessThan(25_000);
      expect(h.flow.paused).toBe(1);
      runTimers(h);
      expect(execIds(h)).toEqual(Array.from({ length: 25_000 }, (_, i) => `E${i}`));
      expect(h.flow.resumed).toBe(1);
      expect(h.store.sequences.nextIn).toBe(25_002);
    });

    it('a deadline near (the algo scheduler due): the slice ends before it, down to one message, and the rest follows in order', () => {
      let deadline: number | undefined;
      const h = harness({ nextDeadline: () => deadline });
      h.logon();
      let burst = '';
      for (let i = 0; i < 40; i++) burst += h.frame('8', [[17, `E${i}`], [11, 'C1']]);
      deadline = h.clock.now().getTime() + 1; // due in a ms: no time to spare
      h.session.receive(burst);
      expect(h.delivered).toHaveLength(1); // the rest in slices of their own, after what is due
      runTimers(h);
      expect(execIds(h)).toEqual(Array.from({ length: 40 }, (_, i) => `E${i}`));
      deadline = h.clock.now().getTime() + 60_000; // far: a whole slice
      burst = '';
      for (let i = 40; i < 80; i++) burst += h.frame('8', [[17, `E${i}`], [11, 'C1']]);
      h.session.receive(burst);
      expect(h.delivered.length).toBeGreaterThanOrEqual(40 + 16);
    });

    it('more administrative messages than the budget allows: Logout with the reason, an alert, the rest not looked at', () => {
      const h = harness({ adminBudget: { messages: 50, windowSeconds: 10 } });
      h.logon();
      let flood = '';
      for (let i = 0; i < 200; i++) flood += h.frame('1', [[112, `T${i}`]]);
      h.session.receive(flood);
      runTimers(h);
      const heartbeats = h.written.filter((w) => w.msgType === '0');
      expect(heartbeats).toHaveLength(50);
      expect(h.written.at(-1)?.msgType).toBe('5');
      expect(fieldOf(h.written.at(-1)!.fields, 58)).toMatch(/too many administrative or malformed messages \(more than 50 in 10 s\)/);
      expect(h.alerts.at(-1)).toMatchObject({ level: 'error', text: expect.stringMatching(/sent more than 50 administrative or malformed messages within 10 s/) });
      expect(h.ended()?.how).toBe('error');
      expect(h.store.sequences.nextIn).toBe(52); // Logon + the 50 answered
    });

    it('the budget is per window: the same number spread over time passes; garbled frames count, only the first few are raised', () => {
      const h = harness({ adminBudget: { messages: 50, windowSeconds: 10 } });
      h.logon();
      for (let round = 0; round < 3; round++) {
        for (let i = 0; i < 40; i++) h.peer('1', [[112, `T${round}-${i}`]]);
        h.clock.advance(10_000);
        h.peer('0');
      }
      expect(h.ended()).toBeUndefined();
      let garbage = '';
      for (let i = 0; i < 60; i++) garbage += h.frame('0').replace(/10=\d{3}/, '10=xyz');
      h.session.receive(garbage);
      runTimers(h);
      expect(h.alerts.filter((a) => a.level === 'warning' && a.text.includes('garbled'))).toHaveLength(5);
      expect(h.ended()?.reason).toMatch(/the last: a garbled message/);
    });

    it('each message of ours may be rejected once without cost; repeated or unknown Rejects are charged', () => {
      const h = harness({ adminBudget: { messages: 5, windowSeconds: 60 } });
      h.logon();
      for (let i = 0; i < 20; i++) h.session.sendApplication('D', [[11, `C${i}`]]);
      for (let ref = 2; ref < 22; ref++) h.peer('3', [[45, String(ref)], [373, '5']]);
      expect(h.ended()).toBeUndefined();
      for (let i = 0; i < 6; i++) h.peer('3', [[45, '2'], [373, '5']]);
      expect(h.ended()?.reason).toMatch(/the last: a Reject of no message of ours/);
    });

    it.each([['1e308'], ['2147483648'], ['99999999999999999999'], ['-5'], ['0']])(
      'a SequenceReset-Reset to NewSeqNo %s is refused (Reject 373=5, RefTagID 36): the expected number stays',
      (newSeqNo) => {
        const h = harness();
        h.logon();
        h.er('E1');
        h.peer('4', [[36, newSeqNo]]);
        const reject = h.written.at(-1)!;
        expect(reject.msgType).toBe('3');
        expect(Object.fromEntries(reject.fields.filter(([t]) => [45, 371, 372, 373].includes(t)))).toEqual({ 45: '3', 371: '36', 372: '4', 373: '5' });
        expect(h.alerts.at(-1)).toMatchObject({ level: 'error', text: expect.stringContaining('is not a sequence number (1 to 2147483647)') });
        expect(h.store.sequences.nextIn).toBe(3);
        h.er('E2', { seq: 3 });
        expect(execIds(h)).toEqual(['E1', 'E2']);
        expect(h.ended()).toBeUndefined();
      },
    );

    it('a gap fill to NewSeqNo 2^31 is refused, its own number used up', () => {
      const h = harness();
      h.logon();
      h.peer('4', [[123, 'Y'], [36, '2147483648']]);
      expect(Object.fromEntries(h.written.at(-1)!.fields.filter(([t]) => t === 371 || t === 373))).toEqual({ 371: '36', 373: '5' });
      expect(h.store.sequences.nextIn).toBe(3);
    });

    it('a MsgSeqNum beyond 2^31-1 or not a number: Logout, the expected number unchanged', () => {
      for (const seq of ['2147483648', '1e3', '12345678901234567890']) {
        const h = harness();
        h.logon();
        h.peer('0', [], { seq });
        expect(h.written.at(-1)?.msgType).toBe('5');
        expect(h.ended()).toMatchObject({ how: 'error', reason: expect.stringContaining(`MsgSeqNum (34) '${seq}', not a sequence number`) });
        expect(h.store.sequences.nextIn).toBe(2);
      }
    });

    it('a ResendRequest with BeginSeqNo or EndSeqNo out of range is refused with a Reject naming the tag; nothing is replayed', () => {
      const h = harness();
      h.logon();
      h.session.sendApplication('D', [[11, 'C1']]);
      h.peer('2', [[7, '1'], [16, '4294967296']]);
      expect(Object.fromEntries(h.written.at(-1)!.fields.filter(([t]) => t === 35 || t === 371 || t === 373))).toEqual({ 35: '3', 371: '16', 373: '5' });
      h.peer('2', [[7, '-1'], [16, '0']]);
      expect(Object.fromEntries(h.written.at(-1)!.fields.filter(([t]) => t === 371 || t === 373))).toEqual({ 371: '7', 373: '5' });
      expect(h.written.filter((w) => fieldOf(w.fields, 43) === 'Y')).toEqual([]);
      expect(h.store.sequences.nextIn).toBe(4);
    });
  });
});

describe('writes on hold (a sender that prepares ahead of its due time)', () => {
  const seqs = (h: ReturnType<typeof harness>, from: number) => h.written.slice(from).map((w) => [w.msgType, fieldOf(w.fields, 34), fieldOf(w.fields, 43)]);

  it('numbers and stores what is sent while held, writes nothing until released, then all of it in order', () => {
    const h = harness();
    h.logon();
    const before = h.written.length;
    const release = h.session.holdWrites();
    h.session.sendApplication('D', [[11, 'C1']]);
    h.session.sendApplication('D', [[11, 'C2']]);
    expect(h.written.length).toBe(before);
    expect(h.store.outgoing(2, 3).length).toBe(2);
    release();
    expect(seqs(h, before)).toEqual([
      ['D', '2', undefined],
      ['D', '3', undefined],
    ]);
    release(); // twice: nothing more
    expect(h.written.length).toBe(before + 2);
  });

  it('overlapping holds: each one is written once it and the holds before it are released', () => {
    const h = harness();
    h.logon();
    const before = h.written.length;
    const first = h.session.holdWrites();
    h.session.sendApplication('D', [[11, 'C1']]);
    const second = h.session.holdWrites();
    h.session.sendApplication('D', [[11, 'C2']]);
    second();
    expect(h.written.length).toBe(before); // C2 waits behind C1
    first();
    expect(seqs(h, before).map((s) => s[1])).toEqual(['2', '3']);

    const third = h.session.holdWrites();
    h.session.sendApplication('D', [[11, 'C3']]);
    const fourth = h.session.holdWrites();
    h.session.sendApplication('D', [[11, 'C4']]);
    third();
    expect(seqs(h, before).map((s) => s[1])).toEqual(['2', '3', '4']);
    fourth();
    expect(seqs(h, before).map((s) => s[1])).toEqual(['2', '3', '4', '5']);
  });

  it('replies to what is received while held wait behind the held writes, in sequence', () => {
    const h = harness();
    h.logon();
    const before = h.written.length;
    const release = h.session.holdWrites();
    h.session.sendApplication('D', [[11, 'C1']]); // 2
    h.peer('1', [[112, 'T1']]); // a TestRequest: its Heartbeat (3) is numbered after the held order
    expect(h.written.length).toBe(before);
    release();
    expect(seqs(h, before)).toEqual([
      ['D', '2', undefined],
      ['0', '3', undefined],
    ]);
  });

  it('a ResendRequest received while held: the held order goes first, then the replay (never an original after its replay)', () => {
    const h = harness();
    h.logon(); // our Logon is 1
    const before = h.written.length;
    const release = h.session.holdWrites();
    h.session.sendApplication('D', [[11, 'C1']]); // 2, held
    h.peer('2', [
      [7, '1'],
      [16, '0'],
    ]);
    expect(h.written.length).toBe(before); // the replay waits for the hold
    release();
    expect(seqs(h, before)).toEqual([
      ['D', '2', undefined],
      ['4', '1', 'Y'],
      ['D', '2', 'Y'],
    ]);
  });

  it('the end of the session drops the holds: a release afterwards writes nothing (the store keeps the message for the next logon)', () => {
    const h = harness();
    h.logon();
    const release = h.session.holdWrites();
    h.session.sendApplication('D', [[11, 'C1']]);
    h.session.transportClosed('socket closed');
    const before = h.written.length;
    release();
    expect(h.written.length).toBe(before);
    expect(h.store.outgoing(2, 2).length).toBe(1);
  });
});
