/**
 * Read-through cache for reader pages and feeds. Every committed write anywhere moves the
 * generation on (in this process right after commit, in other processes through PostgreSQL
 * NOTIFY), so a read after a write never sees what was there before it.
 */
type Entry = { generation: number; storedAt: number; value: Promise<unknown> };
type CacheState = { generation: number; entries: Map<string, Entry> };

const holder = globalThis as { claimtrailCache?: CacheState };
const state: CacheState = (holder.claimtrailCache ??= { generation: 0, entries: new Map() });

const MAX_ENTRIES = 2000;
// A lost notification (a dropped listening connection) cannot keep a page stale for longer.
const MAX_AGE_MS = 60_000;

export const WRITES_CHANNEL = "claimtrail_writes";

export function invalidateAll(): void {
  state.generation++;
  state.entries.clear();
}

export function cacheGeneration(): number {
  return state.generation;
}

export function memo<T>(key: string, load: () => Promise<T>): Promise<T> {
  const now = Date.now();
  const hit = state.entries.get(key);
  if (hit && hit.generation === state.generation && now - hit.storedAt < MAX_AGE_MS) {
    // Re-inserting keeps the Map in least-recently-used order for eviction.
    state.entries.delete(key);
    state.entries.set(key, hit);
    return hit.value as Promise<T>;
  }
  // The generation is taken before loading: if a write lands meanwhile, this entry is already old.
  const generation = state.generation;
  const value = load();
  state.entries.set(key, { generation, storedAt: now, value });
  value.catch(() => {
    if (state.entries.get(key)?.value === value) state.entries.delete(key);
  });
  if (state.entries.size > MAX_ENTRIES) state.entries.delete(state.entries.keys().next().value!);
  return value;
}
