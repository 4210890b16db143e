import type { ConnectionStatus, DeskTransport } from './connection';
import { createPreloadTransport } from './preload-transport';
import { isValidSubprotocolToken, takeToken, webSocketUrl } from './token';
import { WsDeskClient } from './ws-desk-client';

export type { ConnectionState, ConnectionStatus, DeskTransport } from './connection';

/** A transport that never connects, with the reason shown in the status bar. */
function unavailable(detail: string): DeskTransport {
  const status: ConnectionStatus = { state: 'unavailable', transport: 'websocket', detail };
  return {
    call: () => Promise.resolve({ ok: false, error: { code: 'INTERNAL', message: `Not connected to the desk: ${detail}` } }),
    subscribe: () => () => undefined,
    onStatus(listener) {
      listener(status);
      return () => undefined;
    },
    start() {},
    stop() {},
  };
}

/** The preload's bridge inside Electron; otherwise the WebSocket back to the host that served the page. */
export function createDeskTransport(win: Window): DeskTransport & { onServerError?: WsDeskClient['onServerError'] } {
  if (win.meridianDesk) return createPreloadTransport(win.meridianDesk);
  const url = webSocketUrl(win.location);
  if (url === null) return unavailable('this page was not served by the desk host');
  const { token, cleanedUrl } = takeToken(win.location.href, win.sessionStorage);
  if (cleanedUrl !== null) win.history.replaceState(win.history.state, '', cleanedUrl);
  if (token === null) return unavailable('no access token (open the link the desk printed, …?token=…)');
  if (!isValidSubprotocolToken(token)) return unavailable('the access token in the link is malformed');
  return new WsDeskClient({ url, token });
}
