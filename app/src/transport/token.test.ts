import { describe, expect, it } from 'vitest';
import { isValidSubprotocolToken, takeToken, TOKEN_STORAGE_KEY, webSocketUrl } from './token';

function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v), data };
}

describe('takeToken', () => {
  it('takes the token from the URL, stores it and gives back the URL without it', () => {
    const storage = memoryStorage();
    const taken = takeToken('http://127.0.0.1:8787/?token=abc123&view=x#top', storage);
    expect(taken.token).toBe('abc123');
    expect(taken.cleanedUrl).toBe('http://127.0.0.1:8787/?view=x#top');
    expect(storage.data.get(TOKEN_STORAGE_KEY)).toBe('abc123');
  });
  it('falls back to the stored token on reload', () => {
    const storage = memoryStorage({ [TOKEN_STORAGE_KEY]: 'kept' });
    expect(takeToken('http://127.0.0.1:8787/', storage)).toEqual({ token: 'kept', cleanedUrl: null });
  });
  it('has no token when neither has one', () => {
    expect(takeToken('http://localhost/', memoryStorage()).token).toBeNull();
  });
});

describe('webSocketUrl', () => {
  it('connects back to the same host', () => {
    expect(webSocketUrl({ protocol: 'http:', host: '127.0.0.1:8787' })).toBe('ws://127.0.0.1:8787/ws');
    expect(webSocketUrl({ protocol: 'https:', host: 'desk.example' })).toBe('wss://desk.example/ws');
    expect(webSocketUrl({ protocol: 'file:', host: '' })).toBeNull();
  });
});

describe('isValidSubprotocolToken', () => {
  it('accepts hex and base64url, refuses separators', () => {
    expect(isValidSubprotocolToken('a1B2-c3_d4')).toBe(true);
    expect(isValidSubprotocolToken('has space')).toBe(false);
    expect(isValidSubprotocolToken('a,b')).toBe(false);
    expect(isValidSubprotocolToken('')).toBe(false);
  });
});
