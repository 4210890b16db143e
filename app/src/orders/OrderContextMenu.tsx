import type { KeyboardEvent } from 'react';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { openOrderHistory } from '../history/history-store';
import { closeContextMenu, copyClOrdId, cancelOrder, openAmend, openSettle, requestCancelOrders } from '../store/actions';
import { deskStore, useDesk } from '../store/desk-store';
import { amendRefusal, canCancel, canSettle } from '../store/order-rules';
import { brokerCapabilities, selectCancelableSelectedIds } from '../store/selectors';

interface MenuItem {
  readonly label: string;
  readonly disabled: boolean;
  /** Why it is greyed out, when that is not obvious (the broker does not take it). */
  readonly reason?: string;
  readonly run: () => void;
}

/** The orders blotter's context menu (ag-grid community has none): right-click, Shift+F10 or the Menu key. */
export function OrderContextMenu() {
  const menu = useDesk((s) => s.contextMenu);
  if (menu === null) return null;
  return <OpenMenu key={`${menu.orderId}@${menu.x},${menu.y}`} orderId={menu.orderId} x={menu.x} y={menu.y} />;
}

function OpenMenu({ orderId, x, y }: { orderId: string; x: number; y: number }) {
  const order = useDesk((s) => s.data.orders.get(orderId));
  const cancelableSelected = useDesk((s) => selectCancelableSelectedIds(s).length);
  const capabilities = useDesk((s) => (order === undefined ? undefined : brokerCapabilities(s, order.broker)));
  const ref = useRef<HTMLDivElement>(null);
  const [position, setPosition] = useState({ left: x, top: y });
  const [returnFocus] = useState(() => (document.activeElement instanceof HTMLElement ? document.activeElement : null));

  const close = () => {
    closeContextMenu();
    if (returnFocus?.isConnected) returnFocus.focus();
  };

  const items: MenuItem[] = order
    ? [
        { label: 'History', disabled: false, run: () => openOrderHistory(orderId) },
        amendItem(amendRefusal(order, capabilities), capabilities?.cancelReplace === false, () => openAmend(orderId)),
        { label: 'Cancel', disabled: !canCancel(order), run: () => void cancelOrder(orderId) },
        ...(canSettle(order) ? [{ label: 'Mark settled…', disabled: false, run: () => openSettle(orderId) }] : []),
        {
          label: `Cancel selected (${cancelableSelected})`,
          disabled: cancelableSelected === 0,
          run: () => requestCancelOrders(deskStore.getState().selectedOrderIds),
        },
        { label: 'Copy ClOrdID', disabled: false, run: () => void copyClOrdId(orderId) },
      ]
    : [];

  // Keep the menu inside the window, then focus its first enabled item.
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const rect = element.getBoundingClientRect();
    setPosition({
      left: Math.max(4, Math.min(x, window.innerWidth - rect.width - 4)),
      top: Math.max(4, Math.min(y, window.innerHeight - rect.height - 4)),
    });
    element.querySelector<HTMLButtonElement>('[role="menuitem"]:not(:disabled)')?.focus();
  }, [x, y]);

  useEffect(() => {
    const onPointerDown = (event: PointerEvent) => {
      if (ref.current && event.target instanceof Node && !ref.current.contains(event.target)) closeContextMenu();
    };
    const onScrollOrResize = () => closeContextMenu();
    document.addEventListener('pointerdown', onPointerDown, true);
    window.addEventListener('resize', onScrollOrResize);
    window.addEventListener('blur', onScrollOrResize);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown, true);
      window.removeEventListener('resize', onScrollOrResize);
      window.removeEventListener('blur', onScrollOrResize);
    };
  }, []);

  if (order === undefined) return null;

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const buttons = [...(ref.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]:not(:disabled)') ?? [])];
    const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const move = (to: number) => buttons[(to + buttons.length) % buttons.length]?.focus();
    switch (event.key) {
      case 'ArrowDown':
        move(index + 1);
        break;
      case 'ArrowUp':
        move(index - 1);
        break;
      case 'Home':
        move(0);
        break;
      case 'End':
        move(buttons.length - 1);
        break;
      case 'Escape':
      case 'Tab':
        close();
        break;
      default:
        return;
    }
    event.preventDefault();
    event.stopPropagation();
  };

  return (
    <div
      ref={ref}
      className="context-menu"
      role="menu"
      aria-label={`Actions for order ${orderId}`}
      style={{ left: position.left, top: position.top }}
      onKeyDown={onKeyDown}
    >
      {items.map((item) => (
        <button
          key={item.label}
          type="button"
          role="menuitem"
          className="context-menu-item"
          disabled={item.disabled}
          onClick={() => {
            const focusBack = returnFocus;
            item.run();
            closeContextMenu();
            // Dialogs opened by the item take focus themselves; otherwise go back to the grid.
            const ui = deskStore.getState();
            if (focusBack?.isConnected && ui.amendOrderId === null && ui.confirmCancelIds === null && ui.settleOrderId === null) {
              focusBack.focus();
            }
          }}
          aria-label={item.reason !== undefined ? `${item.label}: ${item.reason}` : item.label}
          title={item.reason}
        >
          {item.label}
          {item.reason !== undefined && (
            <span className="context-menu-reason" aria-hidden="true">
              {item.reason}
            </span>
          )}
        </button>
      ))}
    </div>
  );
}

/** Amend, greyed out with the reason when the broker takes no cancel/replace (other refusals are plain from the order). */
function amendItem(refusal: string | undefined, brokerRefuses: boolean, run: () => void): MenuItem {
  return { label: 'Amend', disabled: refusal !== undefined, ...(brokerRefuses && refusal !== undefined && { reason: refusal }), run };
}
