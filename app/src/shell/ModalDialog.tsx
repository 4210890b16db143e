import type { ReactNode } from 'react';
import { useLayoutEffect, useRef } from 'react';

interface ModalDialogProps {
  readonly titleId: string;
  readonly onClose: () => void;
  readonly children: ReactNode;
  readonly className?: string;
  readonly role?: 'dialog' | 'alertdialog';
  readonly describedBy?: string;
  /** Where focus goes on close when the element focused before the dialog is gone (a grid re-rendered its cell). */
  readonly restoreFocus?: () => void;
}

/**
 * A native modal <dialog>: the browser traps focus and turns Escape into a `cancel` event.
 * Mark the element to focus first with `data-autofocus`. Mounted = open; on unmount, focus goes back to where it was before the dialog opened.
 */
export function ModalDialog({ titleId, onClose, children, className, role, describedBy, restoreFocus }: ModalDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;
  const restoreFocusRef = useRef(restoreFocus);
  restoreFocusRef.current = restoreFocus;

  useLayoutEffect(() => {
    const dialog = ref.current;
    const previouslyFocused = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (dialog && !dialog.open) {
      dialog.showModal();
      // React does not render `autofocus`, so showModal would pick the first focusable element.
      dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    }
    return () => {
      if (dialog?.open) dialog.close();
      if (previouslyFocused?.isConnected) previouslyFocused.focus();
      else restoreFocusRef.current?.();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className={`modal ${className ?? ''}`}
      role={role === 'alertdialog' ? 'alertdialog' : undefined}
      aria-modal="true"
      aria-labelledby={titleId}
      aria-describedby={describedBy}
      onCancel={(event) => {
        event.preventDefault();
        // A dialog opened over another one: Escape closes only the top one.
        event.stopPropagation();
        onCloseRef.current();
      }}
    >
      {children}
    </dialog>
  );
}
