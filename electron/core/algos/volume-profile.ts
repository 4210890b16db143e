import { z } from 'zod';

/** Weights are integers: a slice's share of the quantity is computed in exact decimals from them. */
const WEIGHT_SCALE = 1_000;

/**
 * The default intraday volume curve: U-shaped (heavy at the open and the close), one weight per
 * slice over the window: w(x) = 1 + 2·(2x − 1)² at each slice's midpoint x in [0, 1].
 */
export function uShapedProfile(slices: number): number[] {
  return Array.from({ length: slices }, (_, i) => {
    const x = (i + 0.5) / slices;
    return Math.round(WEIGHT_SCALE * (1 + 2 * (2 * x - 1) ** 2));
  });
}

/**
 * Resamples an instrument's profile (any number of buckets over its window) to `slices` weights:
 * each slice takes the bucket its midpoint falls in.
 */
export function resampleProfile(buckets: readonly number[], slices: number): number[] {
  const total = buckets.reduce((a, b) => a + b, 0);
  return Array.from({ length: slices }, (_, i) => {
    const bucket = buckets[Math.min(buckets.length - 1, Math.floor(((i + 0.5) / slices) * buckets.length))] as number;
    return Math.max(1, Math.round((WEIGHT_SCALE * bucket * buckets.length) / total));
  });
}

/** A file of per-instrument profiles: `{ "AAPL.XNAS": [12, 8, 6, …] }`, relative volume per equal bucket of the day. */
export const volumeProfilesSchema = z.record(
  z.string().min(1),
  z.array(z.number().finite().nonnegative(), { error: 'a profile is an array of non-negative numbers' }).min(1).max(1_000).refine((w) => w.some((x) => x > 0), { error: 'a profile needs some volume' }),
);

export type VolumeProfiles = z.infer<typeof volumeProfilesSchema>;

/** Parses a profiles file's text: every error named, nothing half-loaded. */
export function parseVolumeProfiles(text: string): { ok: true; profiles: VolumeProfiles } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `volume profiles: not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  const parsed = volumeProfilesSchema.safeParse(json);
  if (!parsed.success) return { ok: false, error: `volume profiles: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` };
  return { ok: true, profiles: parsed.data };
}

/** The profile a VWAP parent uses: the instrument's own, resampled, else the U-shaped default. */
export function profileFor(profiles: VolumeProfiles | undefined, instrumentId: string, slices: number): number[] {
  const own = profiles?.[instrumentId];
  return own !== undefined ? resampleProfile(own, slices) : uShapedProfile(slices);
}
