import type { TradingCalendar } from '../time/trading-day';
import { nextRollAfter, tradingDayOf } from '../time/trading-day';
import type { TimerHandle } from '../time/clock';
import type { DeskContext } from './desk-context';
import { record } from './desk-context';

/**
 * The start of each trading day (time/trading-day.ts), journaled as `dayStarted`: at the desk's
 * first start on a new day, and at the roll time while it runs (on the desk's clock). What a new day
 * means is the read models' to say (orders finished before it leave the book: orders/order-book.ts).
 */
export class DayRoll {
  private timer: TimerHandle | undefined;

  constructor(
    private readonly ctx: DeskContext,
    private readonly calendar: TradingCalendar,
  ) {}

  start(): void {
    this.check();
  }

  stop(): void {
    if (this.timer !== undefined) this.ctx.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private check(): void {
    this.timer = undefined;
    const now = this.ctx.clock.now();
    const today = tradingDayOf(now, this.calendar);
    const journaled = this.ctx.models.day.view.day();
    if (journaled === undefined || today > journaled) record(this.ctx, { type: 'dayStarted', at: now.toISOString(), day: today });
    else if (today < journaled) this.ctx.log.warn('the clock is before the journal’s trading day: no new day until it passes it', { today, journaled });
    this.timer = this.ctx.clock.setTimeout(() => this.check(), Math.max(0, nextRollAfter(now, this.calendar).getTime() - now.getTime()));
  }
}
