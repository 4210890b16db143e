import type { PopoutPanel } from '../../../shared/contract/workspace';
import { useDesk } from '../store/desk-store';
import { popOut } from './popout';
import { PANEL_TITLES } from './window-role';

/** "Pop out": the panel in a window of its own (shown in the main window only). */
export function PopOutButton({ panel }: { panel: PopoutPanel }) {
  const main = useDesk((s) => s.windowRole.kind === 'main');
  if (!main) return null;
  return (
    <button type="button" className="btn" onClick={() => popOut(panel)} aria-label={`Pop out ${PANEL_TITLES[panel].toLowerCase()}`} title={`${PANEL_TITLES[panel]} in a window of its own (for another monitor)`}>
      Pop out
    </button>
  );
}
