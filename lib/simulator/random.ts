/** A source of uniform numbers in [0, 1); every pure simulator function takes one instead of calling Math.random. */
export type Random = () => number;

/** mulberry32 PRNG (Tommy Ettinger, public domain): a 32-bit state, period 2^32, uniform in [0, 1). */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 32-bit FNV-1a over the UTF-16 code units of `text`, finished with murmur3's fmix32 so nearby inputs spread out. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** The RNG for one request: mulberry32 seeded with hashString(`${seed}:${requestKey}`), so it depends on the content, not the arrival order. */
export function requestRandom(seed: number, requestKey: string): Random {
  return mulberry32(hashString(`${seed}:${requestKey}`));
}

/** A jitter multiplier uniform in [1 - jitter, 1 + jitter]. */
export function jitterFactor(random: Random, jitter: number): number {
  return 1 - jitter + 2 * jitter * random();
}

/** An integer uniform in [min, max] (both inclusive). */
export function randomInt(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** One element of a non-empty list, uniformly. */
export function pickOne<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}
