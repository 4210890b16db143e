import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';

/** The `backups` block of desk.json. Backups are on unless `enabled: false`. */
export const backupsConfigSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** Absolute, or relative to the data folder. Default: `backups` in the data folder. */
    dir: z.string().min(1).optional(),
    everyMinutes: z.number({ error: 'backups.everyMinutes must be a number' }).min(1).max(7 * 24 * 60).default(60),
    keep: z.number({ error: 'backups.keep must be a number' }).int().min(1).max(1_000).default(6),
  })
  .strict();
export type BackupsConfig = z.infer<typeof backupsConfigSchema>;

export interface BackupPolicy {
  readonly dir: string;
  readonly everyMs: number;
  readonly keep: number;
}

export interface BackupOverrides {
  readonly enabled?: boolean;
  readonly dir?: string;
  readonly everyMinutes?: number;
  readonly keep?: number;
}

/** The configuration, with command-line overrides laid over it; undefined when backups are off. */
export function backupPolicy(config: BackupsConfig | undefined, dataDir: string, overrides: BackupOverrides = {}): BackupPolicy | undefined {
  const base = config ?? backupsConfigSchema.parse({});
  if ((overrides.enabled ?? base.enabled) === false) return undefined;
  const dir = overrides.dir ?? base.dir ?? 'backups';
  return {
    dir: isAbsolute(dir) ? dir : resolve(join(dataDir, dir)),
    everyMs: (overrides.everyMinutes ?? base.everyMinutes) * 60_000,
    keep: overrides.keep ?? base.keep,
  };
}
