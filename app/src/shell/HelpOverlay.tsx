import { setHelpOpen } from '../store/actions';
import { useDesk } from '../store/desk-store';
import { ModalDialog } from './ModalDialog';
import { SHORTCUT_HELP } from './shortcuts';

export function HelpOverlay() {
  const open = useDesk((s) => s.helpOpen);
  if (!open) return null;
  const close = () => setHelpOpen(false);
  return (
    <ModalDialog titleId="help-title" onClose={close} className="help-dialog">
      <h2 id="help-title">Keyboard shortcuts</h2>
      <table className="help-table">
        <thead>
          <tr>
            <th scope="col">Keys</th>
            <th scope="col">Action</th>
            <th scope="col">Where</th>
          </tr>
        </thead>
        <tbody>
          {SHORTCUT_HELP.map((s) => (
            <tr key={s.keys}>
              <td>
                <kbd>{s.keys}</kbd>
              </td>
              <td>{s.action}</td>
              <td className="muted">{s.where}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="dialog-buttons">
        <button type="button" className="btn" onClick={close} data-autofocus>
          Close
        </button>
      </div>
    </ModalDialog>
  );
}
