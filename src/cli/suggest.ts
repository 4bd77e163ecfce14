/** "Did you mean": the closest known name to a mistyped one, if it is close enough. */

/** Edit distance with adjacent transpositions (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The known name closest to `typed` (a unique prefix, or at most ~a third of it wrong), else undefined. */
export function closest(typed: string, known: readonly string[]): string | undefined {
  const prefixed = known.filter((k) => typed.length >= 3 && k.startsWith(typed));
  if (prefixed.length === 1) return prefixed[0];
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const distance = editDistance(typed.toLowerCase(), k);
    if (distance < bestDistance) {
      best = k;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.min(2, Math.floor(typed.length / 3))) ? best : undefined;
}

/** "; did you mean X?" or nothing. */
export function didYouMean(typed: string, known: readonly string[], prefix = ''): string {
  const hit = closest(typed, known);
  return hit ? `; did you mean ${prefix}${hit}?` : '';
}
