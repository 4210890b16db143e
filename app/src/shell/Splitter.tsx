import type { KeyboardEvent, PointerEvent } from 'react';
import { useRef } from 'react';

interface SplitterProps {
  readonly label: string;
  readonly orientation: 'vertical' | 'horizontal';
  readonly value: number;
  readonly min: number;
  readonly max: number;
  /** One arrow key press moves by this much (Page Up/Down by five times it). */
  readonly step: number;
  /** The value for a pointer at `position` (clientX for a vertical splitter, clientY for a horizontal one). */
  readonly valueAt: (position: number) => number;
  /** While dragging (not saved yet). */
  readonly onMove: (value: number) => void;
  /** At the end of a drag or on a key: the value to keep. */
  readonly onCommit: (value: number) => void;
  readonly format?: (value: number) => string;
}

/**
 * A splitter between two panels (WAI-ARIA window splitter): drag it, or focus it and use the arrow
 * keys, Page Up/Down, Home and End.
 */
export function Splitter({ label, orientation, value, min, max, step, valueAt, onMove, onCommit, format }: SplitterProps) {
  const dragging = useRef(false);
  const last = useRef(value);
  const clamp = (v: number) => Math.min(max, Math.max(min, v));

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    dragging.current = true;
    event.currentTarget.setPointerCapture(event.pointerId);
    event.preventDefault();
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    if (!dragging.current) return;
    last.current = clamp(valueAt(orientation === 'vertical' ? event.clientX : event.clientY));
    onMove(last.current);
  };
  const onPointerUp = () => {
    if (!dragging.current) return;
    dragging.current = false;
    onCommit(last.current);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const less = orientation === 'vertical' ? 'ArrowLeft' : 'ArrowUp';
    const more = orientation === 'vertical' ? 'ArrowRight' : 'ArrowDown';
    let next: number | undefined;
    if (event.key === less) next = value - step;
    else if (event.key === more) next = value + step;
    else if (event.key === 'PageUp') next = value - step * 5;
    else if (event.key === 'PageDown') next = value + step * 5;
    else if (event.key === 'Home') next = min;
    else if (event.key === 'End') next = max;
    if (next === undefined) return;
    event.preventDefault();
    onCommit(clamp(next));
  };

  return (
    <div
      className={`splitter splitter-${orientation}`}
      role="separator"
      tabIndex={0}
      aria-label={label}
      aria-orientation={orientation}
      aria-valuemin={min}
      aria-valuemax={max}
      aria-valuenow={value}
      aria-valuetext={format?.(value)}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onKeyDown={onKeyDown}
    />
  );
}
