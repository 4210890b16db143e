import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { registerGridModules } from './grid/theme';
import { App } from './shell/App';
import { applyDeskMessage, pushLocalAlert, setConnectionStatus, setDeskApi } from './store/actions';
import { createDeskTransport } from './transport';

registerGridModules();

const transport = createDeskTransport(window);
setDeskApi(transport);
transport.onStatus(setConnectionStatus);
transport.onServerError?.((message) => pushLocalAlert('error', `Desk: ${message}`));
transport.subscribe(applyDeskMessage);
transport.start();
window.addEventListener('pagehide', () => transport.stop());
// Back from the back/forward cache: connect again (the desk sends a fresh snapshot).
window.addEventListener('pageshow', (event) => {
  if (event.persisted) transport.start();
});

const container = document.getElementById('root');
if (container === null) throw new Error('index.html has no #root');
createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
