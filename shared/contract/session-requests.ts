import { z } from 'zod';
import { identifier } from './ticket';

/** FIX MsgSeqNum (34) is a positive integer; counterparties store it in 32 bits. */
export const MAX_SEQ_NUM = 2_147_483_647;
/** The most FIX log entries one call returns. */
export const MAX_FIX_LOG_PAGE = 500;

const sessionRole = z.enum(['trading', 'dropCopy'], { error: "session must be 'trading' or 'dropCopy'" });

const seqNum = (what: string) =>
  z
    .number({ error: `${what} must be a number` })
    .int({ error: `${what} must be a whole number` })
    .min(1, { error: `${what} must be at least 1` })
    .max(MAX_SEQ_NUM, { error: `${what} is at most ${MAX_SEQ_NUM}` });

/** Connect (log on) or log out one session of a broker. The trading session unless `session` says otherwise. */
export const sessionActionRequestSchema = z
  .object({
    broker: identifier('broker', 32),
    session: sessionRole.optional(),
  })
  .strict();
export type SessionActionRequest = z.infer<typeof sessionActionRequestSchema>;

/**
 * The sequence numbers the next logon uses. Dangerous (a wrong number loses or replays messages),
 * so the caller must say `confirm: true`, and the desk refuses while the session is logged on.
 */
export const setNextSequenceNumbersRequestSchema = z
  .object({
    broker: identifier('broker', 32),
    session: sessionRole.optional(),
    incoming: seqNum('next incoming sequence number').optional(),
    outgoing: seqNum('next outgoing sequence number').optional(),
    confirm: z.literal(true, { error: 'setting sequence numbers needs confirm: true' }),
  })
  .strict()
  .refine((r) => r.incoming !== undefined || r.outgoing !== undefined, {
    error: 'give the next incoming or the next outgoing sequence number (or both)',
  });
export type SetNextSequenceNumbersRequest = z.infer<typeof setNextSequenceNumbersRequestSchema>;

/** A page of a session's FIX log, newest first, filtered. */
export const fixLogRequestSchema = z
  .object({
    broker: identifier('broker', 32),
    session: sessionRole.optional(),
    /** Case-insensitive text anywhere in the raw message (a ClOrdID, an ExecID, "35=8"). */
    search: z.string().max(200, { error: 'search is at most 200 characters' }).optional(),
    msgType: z
      .string()
      .regex(/^[0-9A-Za-z]{1,4}$/, { error: 'message type is a FIX MsgType such as 8 or D' })
      .optional(),
    direction: z.enum(['in', 'out'], { error: "direction must be 'in' or 'out'" }).optional(),
    beforeId: z.number().int().min(1).optional(),
    limit: z
      .number()
      .int()
      .min(1, { error: 'limit must be at least 1' })
      .max(MAX_FIX_LOG_PAGE, { error: `limit is at most ${MAX_FIX_LOG_PAGE}` })
      .default(100),
  })
  .strict();
export type FixLogRequest = z.infer<typeof fixLogRequestSchema>;
