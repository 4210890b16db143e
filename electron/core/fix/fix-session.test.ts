import { describe, expect, it } from 'vitest';
import { createLogger } from '../log/logger';
import { TestClock } from '../time/test-clock';
import type { InboundApplication, SessionAlert, SessionEnd } from './fix-session';
import { FixSession } from './fix-session';
import { FixSessionStore } from './fix-session-store';
import type { FixField } from './fix-wire';
import { encodeMessage, fieldOf, fixTimestamp, FrameReader } from './fix-wire';

/** The session layer against a scripted counterparty: every message as it would arrive on the wire. */
function harness(options: { reset?: boolean; replayMaxAgeSeconds?: number; store?: FixSessionStore } = {}) {
  const clock = new TestClock('2026-11-27T10:00:00.000Z');
  const store = options.store ?? new FixSessionStore(undefined, { sessionKey: 'k', now: () => clock.now() });
  const written: Array<{ msgType: string; fields: readonly FixField[] }> = [];
  const reader = new FrameReader();
  const delivered: InboundApplication[] = [];
  const alerts: SessionAlert[] = [];
  const logLines: string[] = [];
  let ended: { reason: string; how: SessionEnd } | undefined;
  let closed = false;
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
    },
    store,
    {
      write: (text) => {
        for (const f of reader.push(text)) if (f.kind === 'message') written.push({ msgType: fieldOf(f.fields, 35)!, fields: f.fields });
      },
      close: () => (closed = true),
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
  const peer = (msgType: string, body: FixField[] = [], opts: { seq?: number; possDup?: boolean; orig?: string; sendingTime?: string | null } = {}) => {
    const seq = opts.seq ?? peerSeq++;
    const header: FixField[] = [
      [49, 'BRK'],
      [56, 'DESK'],
      [34, String(seq)],
      ...(opts.possDup ? ([[43, 'Y']] as FixField[]) : []),
      ...(opts.sendingTime === null ? [] : ([[52, opts.sendingTime ?? fixTimestamp(clock.now())]] as FixField[])),
      ...(opts.orig !== undefined ? ([[122, opts.orig]] as FixField[]) : []),
    ];
    session.receive(encodeMessage('FIX.4.4', msgType, [...header, ...body]));
  };
  const er = (execId: string, opts: { seq?: number; possDup?: boolean } = {}) => peer('8', [[17, execId], [11, 'C1']], opts);
  const logon = () => {
    session.start();
    peer('A', [
      [98, '0'],
      [108, '30'],
    ]);
  };
  return { clock, store, session, written, delivered, alerts, logLines, peer, er, logon, ended: () => ended, closed: () => closed, setPeerSeq: (n: number) => (peerSeq = n) };
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
    expect(h.session.sendApplication('D', [[11, 'C9']])).toBe(true);
    expect(h.store.sequences.nextOut).toBe(3);
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
});
