import type { CommandName, CommandParams, CommandResults } from '../../../shared/contract/commands';
import type { Result } from '../../../shared/contract/result';
import { fail } from '../../../shared/contract/result';
import type { DeskStreamMessage } from '../../../shared/contract/streams';
import type { ConnectionStatus, DeskTransport } from './connection';
import { CALL_TIMEOUT_MS } from './connection';
import { checkResultEnvelope, parseStreamMessage } from './wire-parse';

type Bridge = NonNullable<Window['meridianDesk']>;

/** DeskApi over the Electron preload. IPC does not drop, but a hung main process must not hang the UI. */
export function createPreloadTransport(bridge: Bridge, timeoutMs = CALL_TIMEOUT_MS): DeskTransport {
  const status: ConnectionStatus = { state: 'connected', transport: 'ipc' };
  return {
    call<C extends CommandName>(command: C, params: CommandParams<C>): Promise<Result<CommandResults[C]>> {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<Result<unknown>>((resolve) => {
        timer = setTimeout(
          () => resolve(fail('INTERNAL', `No answer from the desk within ${timeoutMs / 1000} s: check the blotter before sending again`)),
          timeoutMs,
        );
      });
      const answer = Promise.resolve()
        .then(() => bridge.call(command, params))
        .then(
          (result): Result<unknown> => {
            const problem = checkResultEnvelope(result);
            return problem ? fail('INTERNAL', `Malformed answer from the desk: ${problem}`) : result;
          },
          (error: unknown) => fail('INTERNAL', `The desk call failed: ${String(error)}`),
        );
      return Promise.race([answer, timeout]).finally(() => clearTimeout(timer)) as Promise<Result<CommandResults[C]>>;
    },
    subscribe(listener: (message: DeskStreamMessage) => void): () => void {
      return bridge.subscribe((raw) => {
        const parsed = parseStreamMessage(raw);
        if (!parsed.ok) {
          console.warn(`[desk] ignored a malformed message from the desk: ${parsed.reason}`);
          return;
        }
        listener(parsed.value);
      });
    },
    onStatus(listener) {
      listener(status);
      return () => undefined;
    },
    start() {},
    stop() {},
  };
}
