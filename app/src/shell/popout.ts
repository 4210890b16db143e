import type { PopoutPanel } from '../../../shared/contract/workspace';
import { deskStore } from '../store/desk-store';
import { recordWindow } from '../workspace/workspace-store';
import { popoutQuery } from './window-role';

/** A window id: 8 characters of a–z0–9 (crypto-random). */
export function newWindowId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return [...bytes].map((b) => (b % 36).toString(36)).join('');
}

/** How long a popped-out tab may be gone before it counts as closed by the person (not by the browser quitting). */
const CLOSED_GRACE_MS = 2_000;

/**
 * Opens a panel in a window of its own on the same contract: in Electron the shell turns the request
 * into a BrowserWindow (and remembers it and its place); from the headless host it is a tab, which
 * the workspace remembers so the desk can offer to reopen it at the next start.
 */
export function popOut(panel: PopoutPanel, id: string = newWindowId()): void {
  const url = `${window.location.pathname}${popoutQuery(panel, id)}`;
  // Not noopener: the new tab must receive this tab's session storage (the access token).
  const opened = window.open(url, `meridian-${id}`);
  if (deskStore.getState().connection.transport !== 'websocket' || opened === null) return;
  recordWindow({ id, panel }, true);
  let goneSince: number | undefined;
  const watch = setInterval(() => {
    if (!opened.closed) {
      goneSince = undefined;
      return;
    }
    goneSince ??= Date.now();
    if (Date.now() - goneSince < CLOSED_GRACE_MS) return;
    clearInterval(watch);
    recordWindow({ id, panel }, false);
  }, 500);
}
