import { ModalDialog } from '../shell/ModalDialog';
import { closeDialog } from '../store/actions';
import { useDesk } from '../store/desk-store';
import { OrderTicket } from './OrderTicket';

/** The order ticket in a dialog: in a window that has no ticket panel (a popped-out blotter), re-ticket and F2 open it here. */
export function TicketDialog() {
  const open = useDesk((s) => s.dialog?.kind === 'ticket');
  if (!open) return null;
  return (
    <ModalDialog titleId="ticket-dialog-title" onClose={closeDialog} className="ticket-dialog">
      <h2 id="ticket-dialog-title" className="visually-hidden">
        Order ticket
      </h2>
      <OrderTicket />
      <div className="dialog-buttons">
        <button type="button" className="btn" onClick={closeDialog}>
          Close
        </button>
      </div>
    </ModalDialog>
  );
}
