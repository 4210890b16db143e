import type { PopoutPanel } from '../../../shared/contract/workspace';
import { POPOUT_PANELS } from '../../../shared/contract/workspace';

/**
 * What this window shows: the whole desk, or one panel popped out into a window of its own
 * (`?panel=orders&window=k3x9`: Electron opens it as a BrowserWindow on the same contract, the
 * headless host as a tab).
 */
export type WindowRole = { readonly kind: 'main' } | { readonly kind: 'popout'; readonly panel: PopoutPanel; readonly id: string };

export const MAIN_WINDOW: WindowRole = { kind: 'main' };

export function windowRoleFrom(search: string): WindowRole {
  const params = new URLSearchParams(search);
  const panel = params.get('panel');
  const id = params.get('window');
  if (panel === null || id === null || !/^[a-z0-9]{1,12}$/.test(id)) return MAIN_WINDOW;
  if (!(POPOUT_PANELS as readonly string[]).includes(panel)) return MAIN_WINDOW;
  return { kind: 'popout', panel: panel as PopoutPanel, id };
}

/** The layout key of a blotter in this window: `orders` in the main window, `orders-<id>` in a popped-out one. */
export function blotterId(role: WindowRole, panel: 'orders' | 'executions'): string {
  return role.kind === 'main' ? panel : `${panel}-${role.id}`;
}

/** The query of a popped-out window's page. */
export function popoutQuery(panel: PopoutPanel, id: string): string {
  return `?panel=${panel}&window=${id}`;
}

export const PANEL_TITLES: Readonly<Record<PopoutPanel, string>> = { orders: 'Orders', executions: 'Executions', ticket: 'Order ticket' };
