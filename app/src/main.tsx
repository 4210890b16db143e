import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { startAttention } from './attention/attention';
import { registerGridModules } from './grid/theme';
import { App } from './shell/App';
import { windowRoleFrom } from './shell/window-role';
import { connectQuoteSubscriptions } from './quotes/quotes-stream';
import { quoteSubscriptions } from './quotes/use-quote';
import { applyDeskMessage, callDesk, pushLocalAlert, setConnectionStatus, setDeskApi } from './store/actions';
import { deskStore } from './store/desk-store';
import { createDeskTransport } from './transport';
import { loadWorkspace } from './workspace/workspace-store';

registerGridModules();

const role = windowRoleFrom(window.location.search);
deskStore.setState({ windowRole: role });

const transport = createDeskTransport(window);
setDeskApi(transport);
let workspaceAsked = false;
transport.onStatus((status) => {
  setConnectionStatus(status);
  // The workspace (layouts, settings) once the desk answers; the screens start from the defaults till then.
  if (status.state === 'connected' && !workspaceAsked) {
    workspaceAsked = true;
    void loadWorkspace();
  }
});
transport.onServerError?.((message) => pushLocalAlert('error', `Desk: ${message}`));
// This window holds its quote subscriptions as one holder (the ticket's instrument, the market watch's rows).
connectQuoteSubscriptions(quoteSubscriptions, callDesk, `window@${role.kind === 'main' ? 'main' : role.id}-${Math.random().toString(36).slice(2, 10)}`, (message) => pushLocalAlert('warning', message));
transport.subscribe(applyDeskMessage);
transport.start();
window.addEventListener('pagehide', () => transport.stop());
// Back from the back/forward cache: connect again (the desk sends a fresh snapshot).
window.addEventListener('pageshow', (event) => {
  if (event.persisted) transport.start();
});
// Sounds and desktop notifications come from the main window only (popped-out windows would repeat them).
if (role.kind === 'main') startAttention();

const container = document.getElementById('root');
if (container === null) throw new Error('index.html has no #root');
createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
