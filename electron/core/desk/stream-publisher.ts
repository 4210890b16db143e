import type { DeskStreamMessage } from '../../../shared/contract/streams';
import type { AlertView, ExecutionView, OrderView, SessionView } from '../../../shared/contract/views';
import type { Clock, TimerHandle } from '../time/clock';

type Listener = (message: DeskStreamMessage) => void;

/**
 * Coalesces deltas so a subscriber gets at most one batch per stream per frame: an order updated
 * ten times within a frame is sent once, at its latest version.
 */
export class StreamPublisher {
  private readonly listeners = new Set<Listener>();
  private orders = new Map<string, OrderView>();
  private executions: ExecutionView[] = [];
  private sessions = new Map<string, SessionView>();
  private alerts: AlertView[] = [];
  private timer: TimerHandle | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly snapshot: () => Extract<DeskStreamMessage, { kind: 'snapshot' }>,
    private readonly frameMs = 16,
    private readonly onListenerError: (error: unknown) => void = () => {},
  ) {}

  subscribe(listener: Listener): () => void {
    this.deliver(listener, this.snapshot());
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  order(view: OrderView): void {
    this.orders.set(view.orderId, view);
    this.schedule();
  }

  execution(view: ExecutionView): void {
    this.executions.push(view);
    this.schedule();
  }

  session(view: SessionView): void {
    this.sessions.set(view.broker, view);
    this.schedule();
  }

  alert(view: AlertView): void {
    this.alerts.push(view);
    this.schedule();
  }

  /** Sends whatever is pending now (also called by the timer). */
  flush(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    const batches: DeskStreamMessage[] = [];
    if (this.orders.size > 0) batches.push({ kind: 'orders', rows: [...this.orders.values()] });
    if (this.executions.length > 0) batches.push({ kind: 'executions', rows: this.executions });
    if (this.sessions.size > 0) batches.push({ kind: 'sessions', rows: [...this.sessions.values()] });
    if (this.alerts.length > 0) batches.push({ kind: 'alerts', rows: this.alerts });
    this.orders = new Map();
    this.executions = [];
    this.sessions = new Map();
    this.alerts = [];
    for (const batch of batches) for (const l of this.listeners) this.deliver(l, batch);
  }

  close(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.listeners.clear();
  }

  private schedule(): void {
    if (this.timer === undefined) this.timer = this.clock.setTimeout(() => this.flush(), this.frameMs);
  }

  private deliver(listener: Listener, message: DeskStreamMessage): void {
    try {
      listener(message);
    } catch (error) {
      this.onListenerError(error);
    }
  }
}
