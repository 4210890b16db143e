import { z } from 'zod';

/** Acknowledges alerts of the desk's list (journaled, with who and when): every window sees it. */
export const acknowledgeAlertsRequestSchema = z
  .object({
    alertIds: z
      .array(z.string().min(1).max(64).regex(/^[\x21-\x7e]+$/, { error: 'an alert id is printable ASCII' }))
      .min(1, { error: 'name at least one alert' })
      .max(1_000, { error: 'at most 1,000 alerts at once' }),
  })
  .strict();
export type AcknowledgeAlertsRequest = z.infer<typeof acknowledgeAlertsRequestSchema>;
