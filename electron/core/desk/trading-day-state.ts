import type { DeskEvent } from '../journal/desk-events';
import type { PartCodec, ReadModel } from '../journal/read-model';

/** The trading day the journal is in: the last `dayStarted` (undefined before the first). */
export class TradingDayState implements ReadModel<string | undefined, { readonly day: () => string | undefined }, { day: string }> {
  readonly name = 'day';
  readonly version = 1;
  readonly parts = { day: DAY_CODEC };
  private current: string | undefined;
  readonly view = { day: () => this.current };

  /** The day that began, on a `dayStarted`. */
  apply(event: DeskEvent): string | undefined {
    if (event.type !== 'dayStarted') return undefined;
    this.current = event.day;
    return event.day;
  }

  capture() {
    return { day: this.current === undefined ? [] : [this.current] };
  }

  restore(parts: { readonly day: readonly string[] }): void {
    this.current = parts.day[0];
  }
}

const DAY_CODEC: PartCodec<string> = { entriesPerBlock: 1, write: (day, w) => w.str(day), read: (r) => r.str() };
