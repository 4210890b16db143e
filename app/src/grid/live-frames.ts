/** A frame source: requestAnimationFrame in the page (a fake in tests); the callback gets the frame's time. */
export type NextFrame = (callback: (frameTime: number) => void) => void;

/** The length of one frame at 60 Hz. */
export const FRAME_MS = 1000 / 60;

/**
 * The window's live screen work (grid transactions, quote cells, the quote columns, the executions
 * tape) in one animation-frame callback, so whatever changed between two frames is drawn by one
 * frame: one style, layout and paint for all of it, not one frame per source.
 *
 * When the main thread is behind (the frame that ran the last live work came later than one frame
 * and a half after the one before it: a missed vsync, the thread busy or waiting for a core), the
 * next frame is left to the page and the work waits one frame more, once: under load the live work
 * is drawn on every other frame instead of piling up behind the late ones. Nothing is dropped: the
 * callbacks still run, one frame later, with whatever arrived meanwhile (the sources conflate).
 */
export class LiveFrames {
  private queue: Array<() => void> = [];
  private requested = false;
  /** The time of the last frame that ran work (rAF time), and the one before it. */
  private lastWorkFrame: number | undefined;
  private skipped = false;
  /** When the first callback waiting now was asked for (the same clock as the frame times). */
  private waitingSince: number | undefined;

  constructor(
    private readonly nextFrame: NextFrame,
    private readonly now: () => number,
    private readonly frameMs = FRAME_MS,
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
    if (!this.skipped && this.behind(frameTime)) {
      this.skipped = true;
      this.schedule();
      return;
    }
    this.skipped = false;
    this.lastWorkFrame = frameTime;
    this.waitingSince = undefined;
    const run = this.queue;
    this.queue = [];
    for (const callback of run) callback();
  }

  /**
   * This frame came late after the last one with work: only when work was already waiting at the
   * time the frame after that one was due (otherwise the gap is the page being idle, not behind).
   */
  private behind(frameTime: number): boolean {
    const last = this.lastWorkFrame;
    if (last === undefined || this.waitingSince === undefined) return false;
    const due = last + this.frameMs;
    return this.waitingSince <= due && frameTime - last > this.frameMs * 1.5;
  }
}

/** The window's one (frames from requestAnimationFrame, on performance.now()'s clock). */
export const liveFrames = new LiveFrames(
  (callback) => requestAnimationFrame(callback),
  () => performance.now(),
);
