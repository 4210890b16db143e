/** A frame source: requestAnimationFrame in the page (a fake in tests); the callback gets the frame's time. */
export type NextFrame = (callback: (frameTime: number) => void) => void;

/** The length of one frame at 60 Hz. */
export const FRAME_MS = 1000 / 60;

/**
 * The window's live screen work (grid transactions, quote cells, the quote columns, the executions
 * tape) in one animation-frame callback, so whatever changed between two frames is drawn by one
 * frame: one style, layout and paint for all of it, not one frame per source.
 *
 * A frame that follows a heavy one is left to the page, once (the work waits one frame more, never
 * two): heavy when its work and drawing held the main thread longer than `busyMs` (measured from the
 * work's start to a task posted then, which runs once the frame is drawn and any task that got in
 * first has run: a busy thread reads as a heavy frame, as it should), or when it came late (more
 * than a frame and a half after the previous one with work waiting: a missed vsync, the thread busy or
 * waiting for a core). A machine that draws the live page in a few ms updates it every frame; one
 * where a live frame costs half a frame or more updates it every other frame (30 a second at 60 Hz)
 * and keeps the frames between free for input, messages and the page's own frames. Nothing is
 * dropped: the callbacks run one frame later with whatever arrived meanwhile (the sources conflate).
 */
export class LiveFrames {
  private queue: Array<() => void> = [];
  private requested = false;
  /** The time of the last frame that ran work (rAF time). */
  private lastWorkFrame: number | undefined;
  /** How long the last frame with work held the thread (work and drawing), once known. */
  private lastCost = 0;
  private skipped = false;
  /** When the first callback waiting now was asked for (the same clock as the frame times). */
  private waitingSince: number | undefined;

  constructor(
    private readonly nextFrame: NextFrame,
    private readonly now: () => number,
    /** Runs a callback in a task of its own after the current one (after the frame is drawn, when called in a frame). */
    private readonly afterFrame: (callback: () => void) => void,
    private readonly frameMs = FRAME_MS,
    private readonly busyMs = FRAME_MS / 2,
  ) {}

  /** Runs `callback` on a coming frame; returns the cancel. */
  request(callback: () => void): () => void {
    const entry = () => callback();
    this.queue.push(entry);
    this.waitingSince ??= this.now();
    this.schedule();
    return () => {
      const i = this.queue.indexOf(entry);
      if (i >= 0) this.queue.splice(i, 1);
    };
  }

  private schedule(): void {
    if (this.requested) return;
    this.requested = true;
    this.nextFrame((t) => this.onFrame(t));
  }

  private onFrame(frameTime: number): void {
    this.requested = false;
    if (this.queue.length === 0) {
      this.waitingSince = undefined;
      return;
    }
    if (!this.skipped && (this.lastCost > this.busyMs || this.late(frameTime))) {
      this.skipped = true;
      this.schedule();
      return;
    }
    this.skipped = false;
    this.lastWorkFrame = frameTime;
    this.waitingSince = undefined;
    this.lastCost = 0;
    const run = this.queue;
    this.queue = [];
    const started = this.now();
    for (const callback of run) callback();
    this.afterFrame(() => {
      this.lastCost = this.now() - started;
    });
  }

  /**
   * This frame came late after the last one with work: only when work was already waiting at the
   * time the frame after that one was due (otherwise the gap is the page being idle, not behind).
   */
  private late(frameTime: number): boolean {
    const last = this.lastWorkFrame;
    if (last === undefined || this.waitingSince === undefined) return false;
    const due = last + this.frameMs;
    return this.waitingSince <= due && frameTime - last > this.frameMs * 1.5;
  }
}

/** A task after the current one (a message to ourselves: not clamped like a nested setTimeout). */
function nextTask(): (callback: () => void) => void {
  const channel = new MessageChannel();
  const waiting: Array<() => void> = [];
  channel.port1.onmessage = () => waiting.shift()?.();
  return (callback) => {
    waiting.push(callback);
    channel.port2.postMessage(null);
  };
}

let windowFrames: LiveFrames | undefined;

/** The window's one (frames from requestAnimationFrame on performance.now()'s clock), made on first use. */
export const liveFrames: Pick<LiveFrames, 'request'> = {
  request(callback) {
    windowFrames ??= new LiveFrames((cb) => requestAnimationFrame(cb), () => performance.now(), nextTask());
    return windowFrames.request(callback);
  },
};

/** Hidden tabs get no animation frames: their live work runs on a timer instead (throttled by the browser). */
const HIDDEN_FLUSH_MS = 250;

/** Runs `callback` on the window's next live frame, or after HIDDEN_FLUSH_MS when no frame comes (a hidden tab); returns the cancel. */
export function requestLiveFrame(callback: () => void): () => void {
  let done = false;
  const run = (): void => {
    if (done) return;
    done = true;
    cancelFrame();
    clearTimeout(timer);
    callback();
  };
  const cancelFrame = liveFrames.request(run);
  const timer = setTimeout(run, HIDDEN_FLUSH_MS);
  return () => {
    done = true;
    cancelFrame();
    clearTimeout(timer);
  };
}
