import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** The WebSocket subprotocol of the contract; the token travels beside it as `token.<token>`. */
export const WIRE_PROTOCOL = 'meridian.v1';
export const TOKEN_PROTOCOL_PREFIX = 'token.';

/** Tokens go into a URL and a Sec-WebSocket-Protocol value: URL-safe characters only, and long enough to guess at no cost. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{16,256}$/;

export function generateToken(): string {
  return randomBytes(32).toString('hex');
}

/** Returns an error message for a token that cannot be used, else undefined. */
export function checkTokenFormat(token: string): string | undefined {
  return TOKEN_PATTERN.test(token) ? undefined : 'the token must be 16-256 characters of A-Z a-z 0-9 _ -';
}

/** The comma-separated values of Sec-WebSocket-Protocol. */
export function offeredProtocols(header: string | undefined): string[] {
  if (header === undefined) return [];
  return header
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}

/**
 * True when the client offered the wire protocol and exactly one token equal to `expected`.
 * Both sides are hashed before the constant-time compare so that neither the length nor a prefix
 * of the token leaks through timing.
 */
export function hasValidToken(protocols: readonly string[], expected: string): boolean {
  if (!protocols.includes(WIRE_PROTOCOL)) return false;
  const tokens = protocols.filter((p) => p.startsWith(TOKEN_PROTOCOL_PREFIX));
  if (tokens.length !== 1) return false;
  const offered = tokens[0]!.slice(TOKEN_PROTOCOL_PREFIX.length);
  return timingSafeEqual(sha256(offered), sha256(expected));
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** The origins a browser on this machine uses to reach the host: http://127.0.0.1:<port> and http://localhost:<port>. */
export function ownOrigins(port: number): string[] {
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
}

/**
 * A browser always sends Origin on a WebSocket upgrade; a page on another site (or a DNS-rebinding
 * page) therefore shows up with a foreign origin and is refused. No Origin at all means a
 * non-browser client (a test, a script), which still needs the token.
 */
export function isAllowedOrigin(origin: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined) return true;
  let normalized: string;
  try {
    normalized = new URL(origin).origin;
  } catch {
    return false; // includes the opaque origin "null"
  }
  return allowed.includes(normalized);
}
