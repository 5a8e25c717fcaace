/** Length of the longest common subsequence, by the textbook table: slow, but obviously right. */
export function lcsLength<T>(a: readonly T[], b: readonly T[]): number {
  let previous = new Array<number>(b.length + 1).fill(0);
  for (const x of a) {
    const row = [0];
    for (let j = 0; j < b.length; j++) row.push(x === b[j] ? previous[j]! + 1 : Math.max(previous[j + 1]!, row[j]!));
    previous = row;
  }
  return previous[b.length]!;
}
