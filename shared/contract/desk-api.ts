import type { CommandName, CommandParams, CommandResults } from './commands';
import type { Result } from './result';
import type { DeskStreamMessage } from './streams';

/**
 * The one interface between the desk and any window. The core implements it; the Electron preload
 * and the WebSocket client expose it to the renderer, which never knows which transport it has.
 */
export interface DeskApi {
  call<C extends CommandName>(command: C, params: CommandParams<C>): Promise<Result<CommandResults[C]>>;
  /** Delivers a snapshot first, then deltas. Returns the unsubscribe function. */
  subscribe(listener: (message: DeskStreamMessage) => void): () => void;
}
