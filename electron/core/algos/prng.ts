/**
 * mulberry32: a small seeded PRNG. The seed is journaled with the parent (algoParentStarted), so a
 * randomised schedule is the same on every replay. Returns a function of [0, 1).
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A value in [-1, 1) from a [0, 1) source. */
export function signed(random: () => number): number {
  return random() * 2 - 1;
}
