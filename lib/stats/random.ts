// Seeded pseudo-random numbers for simulations (A/A tests, coverage checks): the generator is passed in, never global,
// so a seed reproduces a run exactly. sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, PractRand-tested).

/** Uniform numbers in [0, 1) from a 32-bit seed. */
export interface Random {
  next(): number;
}

/** sfc32 seeded from one integer (splitmix32 spreads it over the four words of state). */
export function seededRandom(seed: number): Random {
  let s = seed >>> 0;
  const splitmix = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  const next = () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return { next };
}

/** A standard normal draw (Marsaglia's polar method; the second value of each pair is kept for the next call). */
export function normalSampler(random: Random): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const v = spare;
      spare = null;
      return v;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * random.next() - 1;
      v = 2 * random.next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    spare = v * f;
    return u * f;
  };
}

/** An exponential draw with the given mean (inversion: -mean ln(1 - U)). */
export function exponential(random: Random, mean: number): number {
  return -mean * Math.log(1 - random.next());
}
