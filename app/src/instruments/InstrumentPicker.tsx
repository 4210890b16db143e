import type { KeyboardEvent } from 'react';
import { useEffect, useId, useRef, useState } from 'react';
import type { Instrument } from '../../../shared/domain/instrument';
import { callDesk } from '../store/actions';
import { rememberInstruments } from './instrument-cache';
import type { SearchState } from './instrument-search';
import { InstrumentSearch } from './instrument-search';
import { CLASS_BADGES, CLASS_NAMES } from './instrument-terms';

export interface InstrumentPickerProps {
  readonly id: string;
  /** The picked instrument (shown as its symbol), or undefined. */
  readonly value: Instrument | undefined;
  readonly onPick: (instrument: Instrument) => void;
  /** The person typed over the pick: nothing is picked any more. */
  readonly onClear?: () => void;
  /** Empty the input after each pick (the market watch's "add"). */
  readonly clearOnPick?: boolean;
  readonly placeholder?: string;
  readonly 'aria-invalid'?: boolean;
  readonly 'aria-describedby'?: string | undefined;
  readonly 'aria-label'?: string;
  readonly onBlur?: () => void;
}

const searchDesk = (query: string) => callDesk('searchInstruments', { query, limit: 12 });

/**
 * The instrument picker: type part of a symbol, name or ISIN and the desk's ranked matches list as
 * you type. A WAI-ARIA 1.2 combobox (an input that owns a listbox): ↓/↑ move through the matches
 * (the first is highlighted, so Enter takes the best match), Enter or Tab picks, Escape closes the list
 * (a second Escape restores the pick). Each match shows its class badge, symbol, name and currency.
 */
export function InstrumentPicker(props: InstrumentPickerProps) {
  const { id, value, onPick, onClear, clearOnPick, placeholder } = props;
  const listId = useId();
  const [text, setText] = useState(value?.symbol ?? '');
  const [open, setOpen] = useState(false);
  const [state, setState] = useState<SearchState>({ kind: 'idle' });
  const [active, setActive] = useState(0);
  const searchRef = useRef<InstrumentSearch | null>(null);

  useEffect(() => {
    const search = new InstrumentSearch(searchDesk, (s) => {
      setState(s);
      if (s.kind === 'results') {
        rememberInstruments(s.instruments);
        setActive(0);
      }
    });
    searchRef.current = search;
    return () => search.close();
  }, []);

  // A pick from elsewhere (re-ticket, the market watch) shows its symbol.
  useEffect(() => {
    if (value !== undefined) setText(value.symbol);
  }, [value]);

  const matches = state.kind === 'results' ? state.instruments : [];
  const showList = open && state.kind !== 'idle';
  const activeMatch = showList ? matches[active] : undefined;
  const optionId = (i: number) => `${listId}-option-${i}`;

  function pick(instrument: Instrument) {
    searchRef.current?.cancel();
    setOpen(false);
    setState({ kind: 'idle' });
    setText(clearOnPick ? '' : instrument.symbol);
    onPick(instrument);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp': {
        event.preventDefault();
        if (!open) {
          setOpen(true);
          if (state.kind === 'idle' && text.trim() !== '') searchRef.current?.type(text);
          return;
        }
        if (matches.length === 0) return;
        const step = event.key === 'ArrowDown' ? 1 : -1;
        setActive((a) => (a + step + matches.length) % matches.length);
        return;
      }
      case 'Enter':
        // With the list open, Enter picks; closed, it submits the ticket as everywhere else.
        if (showList) {
          event.preventDefault();
          event.stopPropagation();
          if (activeMatch !== undefined) pick(activeMatch);
        }
        return;
      case 'Tab':
        if (activeMatch !== undefined) pick(activeMatch);
        return;
      case 'Escape':
        if (showList) {
          event.preventDefault();
          event.stopPropagation();
          searchRef.current?.cancel();
          setOpen(false);
        } else if (value !== undefined && text !== value.symbol) {
          event.preventDefault();
          setText(value.symbol);
        }
        return;
    }
  }

  const status =
    state.kind === 'searching'
      ? 'Searching…'
      : state.kind === 'failed'
        ? `Search failed: ${state.message}`
        : state.kind === 'results'
          ? state.instruments.length === 0
            ? `No instrument matches “${state.query}”`
            : `${state.instruments.length}${state.more ? '+' : ''} ${state.instruments.length === 1 ? 'match' : 'matches'}`
          : '';

  return (
    <div className="picker">
      <input
        id={id}
        type="text"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={showList && matches.length > 0}
        aria-controls={listId}
        aria-activedescendant={activeMatch !== undefined ? optionId(active) : undefined}
        aria-invalid={props['aria-invalid']}
        aria-describedby={props['aria-describedby']}
        aria-label={props['aria-label']}
        autoComplete="off"
        spellCheck={false}
        placeholder={placeholder ?? 'Symbol, name or ISIN'}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
          searchRef.current?.type(e.target.value);
          if (value !== undefined) onClear?.();
        }}
        onKeyDown={onKeyDown}
        onBlur={() => {
          setOpen(false);
          props.onBlur?.();
        }}
      />
      <ul id={listId} role="listbox" aria-label="Matching instruments" className="picker-list" hidden={!showList || matches.length === 0}>
        {matches.map((m, i) => (
          <li
            key={m.id}
            id={optionId(i)}
            role="option"
            aria-selected={i === active}
            className={`picker-option${i === active ? ' active' : ''}`}
            onMouseDown={(e) => {
              e.preventDefault();
              pick(m);
            }}
            onMouseEnter={() => setActive(i)}
          >
            <span className={`class-badge class-${m.assetClass}`} title={CLASS_NAMES[m.assetClass]}>
              {CLASS_BADGES[m.assetClass]}
            </span>
            <span className="picker-symbol">{m.symbol}</span>
            <span className="picker-name">{m.name}</span>
            <span className="picker-ccy">{m.currency}</span>
          </li>
        ))}
      </ul>
      {showList && matches.length === 0 && <div className="picker-list picker-note">{status}</div>}
      <span className="sr-only" role="status" aria-live="polite">
        {showList ? status : ''}
      </span>
    </div>
  );
}
