import { describe, expect, it } from 'vitest';
import { LiveFrames } from './live-frames';

/** Frames on demand: `frame(t)` runs what was asked for, at frame time t; `clock` is the page's now. */
function fakeFrames() {
  let pending: Array<(t: number) => void> = [];
  const clock = { t: 0 };
  let afterFrame: Array<() => void> = [];
  const frames = new LiveFrames(
    (callback) => pending.push(callback),
    () => clock.t,
    (callback) => afterFrame.push(callback),
    10,
    5,
  );
  /** A frame at `t` whose work and drawing take `cost` ms (the task after it runs then). */
  const frame = (t: number, cost = 1) => {
    clock.t = t;
    const run = pending;
    pending = [];
    for (const callback of run) callback(t);
    clock.t = t + cost;
    const after = afterFrame;
    afterFrame = [];
    for (const callback of after) callback();
  };
  return { frames, frame, clock, requested: () => pending.length };
}

describe('LiveFrames', () => {
  it('runs every callback asked for before a frame in that one frame, in order, and asks for one frame only', () => {
    const { frames, frame, requested } = fakeFrames();
    const ran: string[] = [];
    frames.request(() => ran.push('grid'));
    frames.request(() => ran.push('quotes'));
    expect(requested()).toBe(1);
    frame(10);
    expect(ran).toEqual(['grid', 'quotes']);
    expect(requested()).toBe(0);
  });

  it('runs a callback asked for during a frame on the next one', () => {
    const { frames, frame } = fakeFrames();
    const ran: number[] = [];
    frames.request(() => {
      ran.push(1);
      frames.request(() => ran.push(2));
    });
    frame(10);
    expect(ran).toEqual([1]);
    frame(20);
    expect(ran).toEqual([1, 2]);
  });

  it('does not run a cancelled callback', () => {
    const { frames, frame } = fakeFrames();
    const ran: string[] = [];
    const cancel = frames.request(() => ran.push('gone'));
    frames.request(() => ran.push('kept'));
    cancel();
    frame(10);
    expect(ran).toEqual(['kept']);
  });

  it('when the frame after one with work comes late while work waits, leaves that frame to the page, once', () => {
    const { frames, frame, clock } = fakeFrames();
    const ran: number[] = [];
    const clockAtRun = () => clock.t;
    frames.request(() => ran.push(10));
    frame(10);
    // Work waiting before the next frame was due (at 20); that frame came at 35: the thread was behind.
    clock.t = 12;
    frames.request(() => ran.push(clockAtRun()));
    frame(35);
    expect(ran).toEqual([10]);
    // The frame after runs it, late or not (never two frames skipped in a row).
    frame(60);
    expect(ran).toEqual([10, 60]);
    // Back on time: every frame.
    clock.t = 62;
    frames.request(() => ran.push(70));
    frame(70);
    expect(ran).toEqual([10, 60, 70]);
  });

  it('does not take an idle page for a late one: work asked for after the due time runs on its frame', () => {
    const { frames, frame, clock } = fakeFrames();
    const ran: number[] = [];
    frames.request(() => ran.push(10));
    frame(10);
    clock.t = 500;
    frames.request(() => ran.push(510));
    frame(510);
    expect(ran).toEqual([10, 510]);
  });

  it('leaves the frame after a heavy one (work and drawing longer than the busy time) to the page, once', () => {
    const { frames, frame, clock } = fakeFrames();
    const ran: number[] = [];
    const ask = () => frames.request(() => ran.push(clock.t));
    ask();
    frame(10, 7);
    ask();
    frame(20);
    expect(ran).toEqual([10]);
    frame(30, 7);
    expect(ran).toEqual([10, 30]);
    // Heavy again: every other frame while the frames stay heavy.
    ask();
    frame(40);
    frame(50, 2);
    expect(ran).toEqual([10, 30, 50]);
    // Light: every frame.
    ask();
    frame(60);
    expect(ran).toEqual([10, 30, 50, 60]);
  });
});
