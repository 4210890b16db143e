/**
 * The desk's access token arrives once in the page URL (`?token=…`). We take it out of the address
 * bar (so it does not end up in screenshots, history or bookmarks) and keep it in sessionStorage,
 * which survives a reload of this tab but not a new tab or a closed browser.
 */
export const TOKEN_STORAGE_KEY = 'meridian.token';

export interface TokenStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export interface TakenToken {
  readonly token: string | null;
  /** The URL without the token, to put in the address bar; null when the URL had none. */
  readonly cleanedUrl: string | null;
}

export function takeToken(href: string, storage: TokenStorage): TakenToken {
  const url = new URL(href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl !== null && fromUrl !== '') {
    storage.setItem(TOKEN_STORAGE_KEY, fromUrl);
    url.searchParams.delete('token');
    return { token: fromUrl, cleanedUrl: url.toString() };
  }
  const stored = storage.getItem(TOKEN_STORAGE_KEY);
  return { token: stored === '' ? null : stored, cleanedUrl: null };
}

/** `ws(s)://<same host>/ws`; null where the page has no host to connect back to (file://). */
export function webSocketUrl(location: { protocol: string; host: string }): string | null {
  if (location.protocol === 'https:') return `wss://${location.host}/ws`;
  if (location.protocol === 'http:') return `ws://${location.host}/ws`;
  return null;
}

/** A WebSocket subprotocol must be an RFC 7230 token; anything else would make the handshake throw. */
export function isValidSubprotocolToken(token: string): boolean {
  return /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(token);
}
