/** Lists of scored claims as one, best first: a claim found by two texts keeps its better score. */
export function mergeMatches<T extends { id: number; score: number }>(lists: T[][], limit: number): T[] {
  const best = new Map<number, T>();
  for (const list of lists) for (const c of list) if ((best.get(c.id)?.score ?? -1) < c.score) best.set(c.id, c);
  return [...best.values()].sort((a, b) => b.score - a.score || a.id - b.id).slice(0, limit);
}
