/**
 * The Content-Security-Policy of the desk's window, in one place. The headless host allows WebSocket
 * connections back to 127.0.0.1/localhost (the contract travels over /ws); the Electron window talks
 * over IPC and needs nothing beyond 'self'.
 */
export const WEB_CONNECT_SRC = "'self' ws://127.0.0.1:* ws://localhost:*";
export const ELECTRON_CONNECT_SRC = "'self'";

export function contentSecurityPolicy(connectSrc: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    // ag-grid sets inline styles on its cells.
    "style-src 'self' 'unsafe-inline'",
    // ag-grid's icons are data: URLs.
    "img-src 'self' data:",
    `connect-src ${connectSrc}`,
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers on every HTTP response of the headless host. */
export function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(WEB_CONNECT_SRC),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    // With COOP, makes the page cross-origin isolated: nothing from another origin can be embedded
    // (there is nothing to embed), and performance.now() and frame times have 5 µs resolution instead
    // of 100 µs (the blotter's frame budget is read at 0.1 ms).
    'Cross-Origin-Embedder-Policy': 'require-corp',
  };
}
