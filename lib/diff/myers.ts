/**
 * The runs two sequences of numbers have in common along a shortest edit script between them
 * (Myers' O(ND) algorithm, in linear space: each step finds the middle snake of the script and
 * recurses on either side of it).
 *
 * Returns flat triples `[aStart, bStart, length, …]` in order (two runs may adjoin); everything
 * between the runs is deleted from `a` or inserted from `b`. With `maxCost` (at least 1), a search
 * that has not met its other half after that many edits splits at the point it reached furthest
 * instead: the script is then valid but may be longer than the shortest, and the time stays about
 * linear in the input times maxCost.
 */
export function commonRuns(a: ArrayLike<number>, b: ArrayLike<number>, maxCost = Infinity): number[] {
  const budget = maxCost >= 1 ? Math.floor(maxCost) : 1;
  const runs: number[] = [];
  // Both searches index their diagonals from -size to size; one pair of arrays serves every step.
  const size = ((a.length + b.length + 1) >> 1) + 2;
  const forward = new Int32Array(2 * size + 1);
  const backward = new Int32Array(2 * size + 1);
  const split = new Int32Array(4);

  const run = (aStart: number, bStart: number, length: number) => {
    if (length > 0) runs.push(aStart, bStart, length);
  };

  const between = (aLo: number, aHi: number, bLo: number, bHi: number): void => {
    let prefix = 0;
    while (aLo + prefix < aHi && bLo + prefix < bHi && a[aLo + prefix] === b[bLo + prefix]) prefix++;
    run(aLo, bLo, prefix);
    aLo += prefix;
    bLo += prefix;
    let suffix = 0;
    while (aHi - suffix > aLo && bHi - suffix > bLo && a[aHi - suffix - 1] === b[bHi - suffix - 1]) suffix++;
    aHi -= suffix;
    bHi -= suffix;
    if (aLo < aHi && bLo < bHi) {
      middleSnake(aLo, aHi, bLo, bHi);
      const [x, y, u, v] = split;
      between(aLo, x!, bLo, y!);
      run(x!, y!, u! - x!);
      between(u!, aHi, v!, bHi);
    }
    run(aHi, bHi, suffix);
  };

  // Sets `split` to the snake [x, y] → [u, v] that a shortest script through the range passes
  // through halfway. Called only on ranges whose ends differ, so the script has two edits or more
  // and both halves are smaller than the range.
  //
  // Both searches keep, per diagonal k (x - y = k, counted from their own corner), the furthest x
  // reached with d edits, or -1 where no such path stays on the grid. The diagonals a step reads
  // were written by the step before, or never in this call, and so still hold the -1 they start with.
  const middleSnake = (aLo: number, aHi: number, bLo: number, bHi: number): void => {
    const n = aHi - aLo;
    const m = bHi - bLo;
    const delta = n - m;
    const odd = (delta & 1) !== 0;
    const limit = Math.min((n + m + 1) >> 1, budget);
    const at = size;
    forward.fill(-1, at - limit - 2, at + limit + 3);
    backward.fill(-1, at - limit - 2, at + limit + 3);
    for (let d = 0; d <= limit; d++) {
      const lowest = Math.max(-d, -m);
      const highest = Math.min(d, n);
      const first = lowest + ((lowest + d) & 1);
      for (let k = first; k <= highest; k += 2) {
        let x = 0;
        if (d > 0) {
          // One more insertion (down from k + 1) or deletion (right from k - 1), on the grid.
          const above = forward[at + k + 1]!;
          const left = forward[at + k - 1]!;
          const down = above >= 0 && above - k - 1 < m ? above : -1;
          const right = left >= 0 && left < n ? left + 1 : -1;
          x = down > right ? down : right;
          if (x < 0) {
            forward[at + k] = -1;
            continue;
          }
        }
        const x0 = x;
        while (x < n && x - k < m && a[aLo + x] === b[bLo + x - k]) x++;
        forward[at + k] = x;
        // The backward search's diagonal delta - k, as far as it got one step ago.
        if (odd && delta - k >= 1 - d && delta - k <= d - 1) {
          const other = backward[at + delta - k]!;
          if (other >= 0 && x + other >= n) {
            split[0] = aLo + x0;
            split[1] = bLo + x0 - k;
            split[2] = aLo + x;
            split[3] = bLo + x - k;
            return;
          }
        }
      }
      for (let k = first; k <= highest; k += 2) {
        let x = 0;
        if (d > 0) {
          const above = backward[at + k + 1]!;
          const left = backward[at + k - 1]!;
          const down = above >= 0 && above - k - 1 < m ? above : -1;
          const right = left >= 0 && left < n ? left + 1 : -1;
          x = down > right ? down : right;
          if (x < 0) {
            backward[at + k] = -1;
            continue;
          }
        }
        const x0 = x;
        while (x < n && x - k < m && a[aHi - 1 - x] === b[bHi - 1 - x + k]) x++;
        backward[at + k] = x;
        if (!odd && delta - k >= -d && delta - k <= d) {
          const other = forward[at + delta - k]!;
          if (other >= 0 && x + other >= n) {
            split[0] = aHi - x;
            split[1] = bHi - x + k;
            split[2] = aHi - x0;
            split[3] = bHi - x0 + k;
            return;
          }
        }
      }
    }
    // Over budget: split where the forward search got furthest, which lies strictly inside the
    // range (it has made at least one edit and not reached the far corner).
    let bestX = 0;
    let bestY = 0;
    for (let k = Math.max(-limit, -m); k <= Math.min(limit, n); k++) {
      const x = forward[at + k]!;
      if (x >= 0 && ((k + limit) & 1) === 0 && 2 * x - k > bestX + bestY) {
        bestX = x;
        bestY = x - k;
      }
    }
    split[0] = split[2] = aLo + bestX;
    split[1] = split[3] = bLo + bestY;
  };

  between(0, a.length, 0, b.length);
  return runs;
}
