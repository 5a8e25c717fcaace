import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lcsLength } from "@/lib/testing/lcs";
import { commonRuns } from "./myers";

/** The runs must be in order, not overlap, and pair equal elements; returns how many they keep. */
function kept(a: number[], b: number[], runs: number[]): number {
  expect(runs.length % 3).toBe(0);
  let aNext = 0;
  let bNext = 0;
  let total = 0;
  for (let r = 0; r < runs.length; r += 3) {
    const [aStart, bStart, length] = [runs[r]!, runs[r + 1]!, runs[r + 2]!];
    expect(length).toBeGreaterThan(0);
    expect(aStart).toBeGreaterThanOrEqual(aNext);
    expect(bStart).toBeGreaterThanOrEqual(bNext);
    expect(a.slice(aStart, aStart + length)).toEqual(b.slice(bStart, bStart + length));
    aNext = aStart + length;
    bNext = bStart + length;
    total += length;
  }
  expect(aNext).toBeLessThanOrEqual(a.length);
  expect(bNext).toBeLessThanOrEqual(b.length);
  return total;
}

// Few distinct values, so that random sequences share a lot and the search has to choose.
const sequence = fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 40 });

describe("commonRuns", () => {
  it("keeps as many elements as the longest common subsequence", () => {
    fc.assert(
      fc.property(sequence, sequence, (a, b) => {
        expect(kept(a, b, commonRuns(a, b))).toBe(lcsLength(a, b));
      }),
      { numRuns: 2000 },
    );
  });

  it("stays valid when its search is bounded, and then keeps what it can", () => {
    fc.assert(
      fc.property(sequence, sequence, fc.oneof(fc.integer({ min: 0, max: 4 }), fc.double({ min: 0, max: 5 }), fc.constant(Number.NaN)), (a, b, maxCost) => {
        expect(kept(a, b, commonRuns(a, b, maxCost))).toBeLessThanOrEqual(lcsLength(a, b));
      }),
      { numRuns: 2000 },
    );
  });

  it("handles empty, equal and disjoint sequences", () => {
    expect(commonRuns([], [])).toEqual([]);
    expect(commonRuns([1, 2], [])).toEqual([]);
    expect(commonRuns([1, 2, 3], [1, 2, 3])).toEqual([0, 0, 3]);
    expect(commonRuns([1, 2], [3, 4])).toEqual([]);
    expect(commonRuns([1, 2, 3, 4], [1, 9, 3, 4])).toEqual([0, 0, 1, 2, 2, 2]);
  });
});
