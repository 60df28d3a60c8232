// Adjusted p-values for many tests at once (metrics x treatment variants), equal to
// statsmodels.stats.multitest.multipletests(p, method="holm") and (p, method="fdr_bh").

/** The p-values' indices in ascending order of p (a stable order for ties). */
function ascending(p: readonly number[]): number[] {
  return p.map((_, i) => i).sort((a, b) => p[a] - p[b] || a - b);
}

/** Holm's step-down: for the i-th smallest (1-based) p, max over j <= i of min(1, (m - j + 1) p_(j)). Holm 1979. */
export function holmAdjust(p: readonly number[]): number[] {
  const m = p.length;
  const out = new Array<number>(m);
  let running = 0;
  ascending(p).forEach((index, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p[index]));
    out[index] = running;
  });
  return out;
}

/** Benjamini-Hochberg step-up: for the i-th smallest p, min over j >= i of min(1, m p_(j) / j). Benjamini and Hochberg 1995. */
export function benjaminiHochbergAdjust(p: readonly number[]): number[] {
  const m = p.length;
  const out = new Array<number>(m);
  const order = ascending(p);
  let running = 1;
  for (let rank = m - 1; rank >= 0; rank--) {
    const index = order[rank];
    running = Math.min(running, Math.min(1, (m * p[index]) / (rank + 1)));
    out[index] = running;
  }
  return out;
}
