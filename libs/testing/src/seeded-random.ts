/**
 * mulberry32: a small seeded generator with a full 2^32 period, enough for generated sample and benchmark
 * data. Written here because a few lines are all it takes, and its output must never change with a
 * dependency's version: a seed names a data set (the enrichment sample, the dedupe benchmark's leads).
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
