import type { CommandName } from '../../shared/contract/commands';
import { parseCommand } from '../../shared/contract/commands';
import type { DeskApi } from '../../shared/contract/desk-api';
import type { Result } from '../../shared/contract/result';
import { fail } from '../../shared/contract/result';
import type { Logger } from '../core/log/logger';

/**
 * The one path from an untrusted transport (WebSocket, IPC) into the desk: validate the params with
 * the command's schema, then call. Invalid params never reach the desk; a desk that throws (a bug)
 * becomes an INTERNAL result, so the caller always gets a Result.
 */
export async function dispatchCommand(desk: DeskApi, command: CommandName, params: unknown, log: Logger): Promise<Result<unknown>> {
  const parsed = parseCommand(command, params);
  if (!parsed.ok) return parsed.result;
  // `call` is generic per command; after parseCommand the pair (command, params) is consistent.
  const call = desk.call.bind(desk) as (command: CommandName, params: unknown) => Promise<Result<unknown>>;
  try {
    return await call(command, parsed.params);
  } catch (e) {
    log.error('desk call threw', { command, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    return fail('INTERNAL', `the desk failed to handle ${command}; see the log`);
  }
}
