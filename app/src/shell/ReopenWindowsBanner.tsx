import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useDesk } from '../store/desk-store';
import { recordWindow } from '../workspace/workspace-store';
import { popOut } from './popout';
import { PANEL_TITLES } from './window-role';

/**
 * From the headless host, windows popped out last time are tabs the browser will not reopen by
 * itself (a page may open a tab only when the person asks): the desk offers each one back. The
 * Electron shell reopens its windows, in their places, itself.
 */
export function ReopenWindowsBanner() {
  const windows = useDesk(useShallow((s) => (s.workspace.loaded && s.connection.transport === 'websocket' ? s.workspace.doc.windows : [])));
  const [handled, setHandled] = useState<ReadonlySet<string>>(() => new Set());
  const waiting = windows.filter((w) => !handled.has(w.id));
  if (waiting.length === 0) return null;
  const done = (id: string) => setHandled((h) => new Set(h).add(id));
  return (
    <div className="reopen" role="region" aria-label="Windows open last time">
      <span className="muted">Open last time:</span>
      {waiting.map((w) => (
        <button
          key={w.id}
          type="button"
          className="btn btn-row"
          onClick={() => {
            done(w.id);
            popOut(w.panel, w.id);
          }}
        >
          Reopen {PANEL_TITLES[w.panel].toLowerCase()}
        </button>
      ))}
      <button
        type="button"
        className="btn btn-row btn-ghost"
        onClick={() => {
          for (const w of waiting) {
            done(w.id);
            recordWindow(w, false);
          }
        }}
      >
        Forget
      </button>
    </div>
  );
}
