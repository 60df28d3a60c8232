// The limits and defaults of a design's A/A simulations, once for the schema, the page's form and the API reference
// (free of the schema library, so the page's bundle stays small).

/** The design page's A/A simulations: at most this many tests per request. */
export const DESIGN_AA_MAX_TESTS = 2000;
/** At most this many looks per simulated test. */
export const DESIGN_AA_MAX_PEEKS = 20;
/**
 * At most this many simulated values per request (tests x per-variant x 2 arms, twice with a planted effect): about two
 * seconds of one core, so an answer never keeps the page waiting long. A design with a larger sample gets fewer tests.
 */
export const DESIGN_AA_MAX_DRAWS = 24_000_000;
export const DESIGN_AA_DEFAULTS = { tests: 1000, peeks: 10, seed: 1 } as const;
