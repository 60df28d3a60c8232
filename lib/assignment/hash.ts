// GrowthBook's hashing, version 2 (so that bucket numbers match the ecosystem's SDKs): 32-bit FNV-1a over UTF-16 code
// units, applied twice. https://docs.growthbook.io/lib/build-your-own#hashing

const OFFSET = 0x811c9dc5;
const PRIME = 0x01000193;

/** FNV-1a state after `text`, starting from `h` (not yet made unsigned): lets a seed's state be computed once. */
export function fnv1a32From(h: number, text: string): number {
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), PRIME);
  return h;
}

/** 32-bit FNV-1a of a string's UTF-16 code units, as an unsigned integer. */
export function fnv1a32(text: string): number {
  return fnv1a32From(OFFSET, text) >>> 0;
}

/** The FNV-1a state of a seed, for bucketNumberFromSeed. */
export function seedState(seed: string): number {
  return fnv1a32From(OFFSET, seed);
}

const digits = new Uint8Array(10);

/** bucketNumber with the seed's state precomputed; hashes the first hash's decimal digits without making a string. */
export function bucketNumberFromSeed(state: number, userId: string): number {
  let first = fnv1a32From(state, userId) >>> 0;
  let n = 0;
  do {
    digits[n++] = first % 10;
    first = Math.floor(first / 10);
  } while (first > 0);
  let h = OFFSET;
  while (n > 0) h = Math.imul(h ^ (48 + digits[--n]), PRIME);
  return ((h >>> 0) % 10000) / 10000;
}

/** The user's position in [0, 1) for an experiment: `(fnv1a32(String(fnv1a32(seed + userId))) % 10000) / 10000`. */
export function bucketNumber(seed: string, userId: string): number {
  return bucketNumberFromSeed(seedState(seed), userId);
}
