import type { InstrumentSearchResult } from '../../../shared/contract/instruments';
import type { Result } from '../../../shared/contract/result';
import type { Instrument } from '../../../shared/domain/instrument';

export type SearchFn = (query: string) => Promise<Result<InstrumentSearchResult>>;

export type SearchState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'searching'; readonly query: string }
  | { readonly kind: 'results'; readonly query: string; readonly instruments: readonly Instrument[]; readonly more: boolean }
  | { readonly kind: 'failed'; readonly query: string; readonly message: string };

/**
 * As-you-type search for the instrument picker: each keystroke restarts a short wait (`debounceMs`),
 * then one request goes to the desk; an answer to a query that is no longer the latest is dropped, so
 * a slow answer never replaces the results of what the person typed since.
 */
export class InstrumentSearch {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private latest = 0;
  private closed = false;

  constructor(
    private readonly search: SearchFn,
    private readonly onState: (state: SearchState) => void,
    private readonly debounceMs = 120,
  ) {}

  type(text: string): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    const query = text.trim();
    const seq = ++this.latest;
    if (query === '') {
      this.onState({ kind: 'idle' });
      return;
    }
    this.onState({ kind: 'searching', query });
    this.timer = setTimeout(() => {
      void this.search(query).then(
        (result) => {
          if (this.closed || seq !== this.latest) return;
          this.onState(result.ok ? { kind: 'results', query, instruments: result.value.instruments, more: result.value.more } : { kind: 'failed', query, message: result.error.message });
        },
        (error: unknown) => {
          if (this.closed || seq !== this.latest) return;
          this.onState({ kind: 'failed', query, message: error instanceof Error ? error.message : String(error) });
        },
      );
    }, this.debounceMs);
  }

  /** Forget what was asked (the picker closed or picked): a late answer is dropped. */
  cancel(): void {
    clearTimeout(this.timer);
    this.latest++;
  }

  close(): void {
    this.cancel();
    this.closed = true;
  }
}
