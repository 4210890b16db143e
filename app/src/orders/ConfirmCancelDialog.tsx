import { ModalDialog } from '../shell/ModalDialog';
import { confirmCancelOrders, dismissCancelConfirmation } from '../store/actions';
import { useDesk } from '../store/desk-store';

const SHOWN = 12;

/** Asked before cancelling more than one order at once. Enter confirms (the confirm button has focus). */
export function ConfirmCancelDialog() {
  const orderIds = useDesk((s) => s.confirmCancelIds);
  if (orderIds === null) return null;
  const more = orderIds.length - SHOWN;
  return (
    <ModalDialog titleId="confirm-cancel-title" describedBy="confirm-cancel-list" onClose={dismissCancelConfirmation} role="alertdialog" className="confirm-dialog">
      <h2 id="confirm-cancel-title">Cancel {orderIds.length} orders?</h2>
      <p id="confirm-cancel-list" className="dialog-summary mono">
        {orderIds.slice(0, SHOWN).join(', ')}
        {more > 0 ? ` and ${more} more` : ''}
      </p>
      <div className="dialog-buttons">
        <button type="button" className="btn" onClick={dismissCancelConfirmation}>
          Keep orders
        </button>
        <button type="button" className="btn btn-danger" data-autofocus onClick={() => void confirmCancelOrders()}>
          Confirm cancel
        </button>
      </div>
    </ModalDialog>
  );
}
