/**
 * Minimal FIX 4.4 tag=value framing for the bench's own FIX counterparty: encode with BodyLength and
 * CheckSum, split a byte stream into messages. No dictionary, no validation beyond framing.
 */
const SOH = '\x01';

export function checksum(text: string): string {
  let sum = 0;
  for (let i = 0; i < text.length; i++) sum += text.charCodeAt(i);
  return String(sum % 256).padStart(3, '0');
}

/** `body` starts with 35=… and ends with SOH. */
export function frame(body: string): string {
  const head = `8=FIX.4.4${SOH}9=${body.length}${SOH}`;
  const text = head + body;
  return `${text}10=${checksum(text)}${SOH}`;
}

let cachedMs = -1;
let cachedText = '';
/** FIX UTCTimestamp with milliseconds. */
export function utcTimestamp(ms = Date.now()): string {
  if (ms === cachedMs) return cachedText;
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  cachedText = `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds(), 3)}`;
  cachedMs = ms;
  return cachedText;
}

/** Splits a latin1 text stream into complete FIX messages (each returned as a tag → value map). */
export class FixSplitter {
  private pending = '';

  push(chunk: string): Array<Map<string, string>> {
    this.pending += chunk;
    const out: Array<Map<string, string>> = [];
    for (;;) {
      const start = this.pending.indexOf('8=FIX');
      if (start < 0) {
        this.pending = '';
        break;
      }
      const lenStart = this.pending.indexOf(`${SOH}9=`, start);
      if (lenStart < 0) break;
      const lenEnd = this.pending.indexOf(SOH, lenStart + 3);
      if (lenEnd < 0) break;
      const bodyLength = Number(this.pending.slice(lenStart + 3, lenEnd));
      const end = lenEnd + 1 + bodyLength + 7; // "10=ddd" + SOH
      if (this.pending.length < end) break;
      const message = this.pending.slice(start, end);
      this.pending = this.pending.slice(end);
      const fields = new Map<string, string>();
      for (const part of message.split(SOH)) {
        const eq = part.indexOf('=');
        if (eq > 0 && !fields.has(part.slice(0, eq))) fields.set(part.slice(0, eq), part.slice(eq + 1));
      }
      out.push(fields);
    }
    return out;
  }
}

/** A bench acceptor's answer to session administration: a Heartbeat to a TestRequest (1), a Logout to a Logout (5). */
export function adminReply(fields: ReadonlyMap<string, string>, header: (msgType: string) => string): string | undefined {
  switch (fields.get('35')) {
    case '1':
      return frame(header('0') + `112=${fields.get('112') ?? ''}${SOH}`);
    case '5':
      return frame(header('5'));
    default:
      return undefined;
  }
}
