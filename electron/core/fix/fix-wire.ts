/**
 * The FIX tag=value wire format, ours end to end: framing by BodyLength, CheckSum, encoding with
 * the standard header and trailer. No engine and no dictionary: the session layer (fix-session.ts)
 * must see every frame, including the broken ones, to apply the FIX session rules itself.
 *
 * Text is handled as latin1 (one char per byte), so lengths and checksums are byte exact.
 */

export const SOH = '\x01';

export type FixField = readonly [tag: number, value: string];

/** A frame as it came off the wire. */
export type Frame =
  | { readonly kind: 'message'; readonly text: string; readonly fields: readonly FixField[] }
  /** Bytes that are not a valid message (no BeginString, bad BodyLength, bad CheckSum): ignored, per the FIX spec. */
  | { readonly kind: 'garbled'; readonly reason: string; readonly text: string };

/** A frame longer than this is garbage (1 MB: far above any message the desk exchanges). */
const MAX_MESSAGE_BYTES = 1024 * 1024;

/**
 * Splits a byte stream into FIX messages. Anything that does not frame is reported and skipped.
 * Bytes wait as they came until a frame is asked for: a frame (its text and fields) is made only
 * when it is handled, so a backlog costs its bytes, not an object graph per message that outlives
 * the young generation (measured: a backlog of parsed frames doubled what each scavenge promoted).
 */
export class FrameReader {
  private buffer = '';
  /** Appended, not yet joined to `buffer` (from `chunksAt` on): joined one at a time, as frames are asked for. */
  private chunks: string[] = [];
  private chunksAt = 0;
  private queued = 0;

  /** Bytes received and not yet framed. */
  get pending(): number {
    return this.buffer.length + this.queued;
  }

  /** Feeds bytes; nothing is framed until `next` asks. */
  append(chunk: Buffer | string): void {
    const text = typeof chunk === 'string' ? chunk : chunk.toString('latin1');
    if (text.length === 0) return;
    this.chunks.push(text);
    this.queued += text.length;
  }

  /** The next complete frame of what was appended, in order; undefined until more bytes finish one. */
  next(): Frame | undefined {
    for (;;) {
      const frame = this.frame();
      if (frame !== undefined || this.chunksAt >= this.chunks.length) return frame;
      const chunk = this.chunks[this.chunksAt] as string;
      this.chunks[this.chunksAt++] = '';
      this.queued -= chunk.length;
      this.buffer += chunk;
      if (this.chunksAt === this.chunks.length) {
        this.chunks = [];
        this.chunksAt = 0;
      }
    }
  }

  /** Drops every byte not yet framed. */
  discard(): void {
    this.buffer = '';
    this.chunks = [];
    this.chunksAt = 0;
    this.queued = 0;
  }

  /** Feeds bytes; returns every complete frame they finish, in order. */
  push(chunk: Buffer | string): Frame[] {
    this.append(chunk);
    const frames: Frame[] = [];
    for (let frame = this.next(); frame !== undefined; frame = this.next()) frames.push(frame);
    return frames;
  }

  /** A frame from `buffer` alone (the bytes joined so far). */
  private frame(): Frame | undefined {
    const buf = this.buffer;
    if (buf.length === 0) return undefined;
    const start = findBegin(buf, 0);
    if (start !== 0) {
      // Bytes before a BeginString: skip them (all of them when no message starts yet, keeping a
      // possible beginning of "8=FIX" at the end).
      const cut = start < 0 ? buf.length - partialBeginAtEnd(buf) : start;
      if (cut === 0) return undefined;
      this.buffer = buf.slice(cut);
      return { kind: 'garbled', reason: 'bytes outside a FIX message', text: buf.slice(0, cut) };
    }
    const beginEnd = buf.indexOf(SOH);
    if (beginEnd < 0) return this.incompleteOrGarbage(buf, 'BeginString not terminated');
    const lengthEnd = buf.indexOf(SOH, beginEnd + 1);
    if (lengthEnd < 0) return this.incompleteOrGarbage(buf, 'BodyLength not terminated');
    const lengthField = buf.slice(beginEnd + 1, lengthEnd);
    const m = /^9=(\d{1,7})$/.exec(lengthField);
    if (!m) return this.skipFrom(1, `second field must be BodyLength (9), got '${lengthField.slice(0, 20)}'`);
    const bodyStart = lengthEnd + 1;
    const trailerStart = bodyStart + Number(m[1]);
    const end = trailerStart + 7; // "10=nnn" + SOH
    if (end > MAX_MESSAGE_BYTES) return this.skipFrom(1, `BodyLength ${m[1]} is too large`);
    if (buf.length < end) {
      // Not all here yet, unless a new message visibly starts inside the claimed body: then the
      // BodyLength is wrong and waiting would swallow good messages.
      const restart = findBegin(buf, 1);
      if (restart > 0 && restart < buf.length && buf.length - restart > 20 && restart < trailerStart) {
        return this.skipFrom(restart, 'BodyLength does not match the message');
      }
      return undefined;
    }
    const trailer = buf.slice(trailerStart, end);
    if (!/^10=\d{3}\x01$/.test(trailer)) {
      const restart = findBegin(buf, 1);
      return this.skipFrom(restart > 0 ? restart : end, `no CheckSum (10) where BodyLength ${m[1]} says the message ends`);
    }
    const text = buf.slice(0, end);
    this.buffer = buf.slice(end);
    const expected = checksum(text.slice(0, trailerStart));
    const received = Number(trailer.slice(3, 6));
    if (expected !== received) return { kind: 'garbled', reason: `bad CheckSum: received ${trailer.slice(3, 6)}, computed ${pad3(expected)}`, text };
    const fields = parseFields(text);
    if (fields === undefined) return { kind: 'garbled', reason: 'a field is not tag=value', text };
    return { kind: 'message', text, fields };
  }

  private incompleteOrGarbage(buf: string, reason: string): Frame | undefined {
    if (buf.length < 64) return undefined;
    return this.skipFrom(1, reason);
  }

  /** Drops the bytes before `from` (at least one), up to the next BeginString. */
  private skipFrom(from: number, reason: string): Frame {
    const buf = this.buffer;
    const next = findBegin(buf, Math.max(1, from));
    const cut = next < 0 ? buf.length : next;
    this.buffer = buf.slice(cut);
    return { kind: 'garbled', reason, text: buf.slice(0, cut) };
  }
}

const BEGIN = '8=FIX';

/** Where the next message may start at or after `from` (BeginString FIX.4.x or FIXT.1.1). */
function findBegin(buf: string, from: number): number {
  return buf.indexOf(BEGIN, from);
}

/** How many chars at the end could be the start of "8=FIX" still arriving. */
function partialBeginAtEnd(buf: string): number {
  for (let n = Math.min(BEGIN.length - 1, buf.length); n > 0; n--) if (BEGIN.startsWith(buf.slice(-n))) return n;
  return 0;
}

export function checksum(text: string): number {
  let sum = 0;
  for (let i = 0; i < text.length; i++) sum += text.charCodeAt(i);
  return sum % 256;
}

function pad3(n: number): string {
  return String(n).padStart(3, '0');
}

/** Every field of a framed message, in order; undefined when one is not tag=value. */
export function parseFields(text: string): FixField[] | undefined {
  const out: FixField[] = [];
  let pos = 0;
  while (pos < text.length) {
    const eq = text.indexOf('=', pos);
    const end = text.indexOf(SOH, pos);
    if (eq < 0 || end < 0 || eq > end) return undefined;
    const tag = Number(text.slice(pos, eq));
    if (!Number.isInteger(tag) || tag <= 0) return undefined;
    out.push([tag, text.slice(eq + 1, end)]);
    pos = end + 1;
  }
  return out;
}

/** The first value of a tag. */
export function fieldOf(fields: readonly FixField[], tag: number): string | undefined {
  for (const [t, v] of fields) if (t === tag) return v;
  return undefined;
}

/**
 * Encodes a message: BeginString, BodyLength, MsgType, then `rest` (header fields first, then the
 * body, as given), then CheckSum.
 */
export function encodeMessage(beginString: string, msgType: string, rest: readonly FixField[]): string {
  let body = `35=${msgType}${SOH}`;
  for (const [tag, value] of rest) body += `${tag}=${value}${SOH}`;
  const head = `8=${beginString}${SOH}9=${latin1Length(body)}${SOH}`;
  const text = head + body;
  return `${text}10=${pad3(checksum(text))}${SOH}`;
}

function latin1Length(text: string): number {
  return Buffer.byteLength(text, 'latin1');
}

/** FIX UTCTimestamp with milliseconds: YYYYMMDD-HH:MM:SS.sss */
export function fixTimestamp(date: Date): string {
  const iso = date.toISOString(); // 2026-11-27T10:00:00.123Z
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 23)}`;
}

/** FIX UTCTimestamp (seconds, optional fraction) as a Date; undefined when it is not one. */
export function parseFixTimestamp(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})-(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/.exec(value);
  if (!m) return undefined;
  const ms = m[7] !== undefined ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), ms));
  return Number.isNaN(date.getTime()) ? undefined : date;
}
