// GrowthBook's hashing, version 2 (so that bucket numbers match the ecosystem's SDKs): 32-bit FNV-1a over UTF-16 code
// units, applied twice. https://docs.growthbook.io/lib/build-your-own#hashing

/** 32-bit FNV-1a of a string's UTF-16 code units, as an unsigned integer. */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    // h *= 16777619 (the FNV prime), in 32-bit arithmetic.
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The user's position in [0, 1) for an experiment: `(fnv1a32(String(fnv1a32(seed + userId))) % 10000) / 10000`. */
export function bucketNumber(seed: string, userId: string): number {
  return (fnv1a32(String(fnv1a32(seed + userId))) % 10000) / 10000;
}
