import type { CommandName } from '../../shared/contract/commands';
import type { DeskApi } from '../../shared/contract/desk-api';
import type { Result } from '../../shared/contract/result';
import type { Logger } from '../core/log/logger';
import { dispatchCommand } from './dispatch';

/**
 * The quote holders one connection (a WebSocket, an Electron window) subscribed with, released when
 * the connection goes (closed, crashed, reloaded): a window that dies leaves no subscription behind.
 */
export class ConnectionQuoteHolders {
  private readonly holders = new Set<string>();

  constructor(
    private readonly desk: DeskApi,
    private readonly log: Logger,
  ) {}

  /** Called with every command the connection made and its result. */
  noted(command: CommandName, result: Result<unknown>): void {
    if (!result.ok) return;
    if (command !== 'subscribeQuotes' && command !== 'unsubscribeQuotes') return;
    const value = result.value as { holder: string; instrumentIds: readonly string[] };
    if (value.instrumentIds.length > 0) this.holders.add(value.holder);
    else this.holders.delete(value.holder);
  }

  /** Releases everything the connection still holds. */
  async releaseAll(): Promise<void> {
    const holders = [...this.holders];
    this.holders.clear();
    await Promise.all(holders.map((holder) => dispatchCommand(this.desk, 'unsubscribeQuotes', { holder }, this.log)));
  }
}
