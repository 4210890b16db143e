import { z } from 'zod';
import { COMMAND_NAMES } from './commands';
import type { CommandName } from './commands';
import type { Result } from './result';
import type { DeskStreamMessage } from './streams';

/** Messages on the WebSocket (and the IPC channel): requests up, responses and stream messages down. */
export const MAX_WIRE_MESSAGE_BYTES = 1_000_000;

export const wireRequestSchema = z
  .object({
    id: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    command: z.enum(COMMAND_NAMES as [CommandName, ...CommandName[]]),
    params: z.unknown(),
  })
  .strict();
export type WireRequest = z.infer<typeof wireRequestSchema>;

export type WireDown =
  | { readonly kind: 'response'; readonly id: number; readonly result: Result<unknown> }
  | { readonly kind: 'stream'; readonly message: DeskStreamMessage }
  | { readonly kind: 'error'; readonly message: string };
