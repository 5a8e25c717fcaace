/**
 * Read-through caches for the readers of each area (lib/claims, lib/stories, …) and the page
 * cache. Every committed write anywhere moves the generation on (lib/invalidation.ts), so a read
 * after a write never sees what was there before it.
 *
 * lru-cache was weighed for the stores below: its `fetch` shares concurrent loads too, but a
 * `clear()` aborts the loads in flight, failing the readers waiting on them, where here they
 * get their answer and only its keeping is refused. The LRU itself is a Map's insertion order.
 */
type Entry = { generation: number; storedAt: number; bytes: number; value: Promise<unknown>; loaded?: { value: unknown } };
/** `newest` is the key last used, which a hit need not move: a popular page is read many times in a row. */
type Store = { entries: Map<string, Entry>; bytes: number; newest?: string };
type CacheState = { generation: number; stores: Map<string, Store>; followers: (() => Promise<void> | void)[] };

const holder = globalThis as { claimtrailCache?: CacheState };
const state: CacheState = (holder.claimtrailCache ??= { generation: 0, stores: new Map(), followers: [] });

// A lost notification (a dropped listening connection) cannot keep a page stale for longer.
const MAX_AGE_MS = 60_000;
const DONE = Promise.resolve();

/**
 * Drops every cache of this process and tells its followers (afterInvalidation). Resolves once
 * they have dropped theirs: a committing write waits for that before it answers.
 */
export function invalidateAll(): Promise<unknown> {
  state.generation++;
  for (const store of state.stores.values()) {
    store.entries.clear();
    store.bytes = 0;
  }
  return state.followers.length === 0 ? DONE : Promise.all(state.followers.map((follower) => follower()));
}

/**
 * Runs `follower` after every invalidation, and lets the invalidation wait for what it returns:
 * how the application process keeps the front's cache in step (lib/app-process.ts).
 */
export function afterInvalidation(follower: () => Promise<void> | void): void {
  state.followers.push(follower);
}

export type Limits<T> = { maxEntries: number; maxBytes?: number; sizeOf?: (value: T) => number };

/** A named cache's reader, and `peek`, which hands over a value already loaded without a promise. */
export type CacheStore<T> = ((key: string, load: () => Promise<T>) => Promise<T>) & { peek: (key: string) => T | undefined };

/**
 * A named cache: `load` runs once per key and generation, concurrent readers share its promise,
 * and a failed load is forgotten. The least recently used entries go first when over a limit.
 */
export function cacheStore<T>(name: string, limits: Limits<T>): CacheStore<T> {
  const store: Store = state.stores.get(name) ?? { entries: new Map(), bytes: 0 };
  state.stores.set(name, store);
  const forget = (key: string, entry: Entry) => {
    if (store.entries.get(key) !== entry) return;
    store.entries.delete(key);
    store.bytes -= entry.bytes;
  };
  const trim = () => {
    while (store.entries.size > 1 && (store.entries.size > limits.maxEntries || store.bytes > (limits.maxBytes ?? Infinity))) {
      const [oldestKey, oldest] = store.entries.entries().next().value!;
      forget(oldestKey, oldest);
    }
  };

  const current = (key: string, now: number): Entry | undefined => {
    const hit = store.entries.get(key);
    if (!hit || hit.generation !== state.generation || now - hit.storedAt >= MAX_AGE_MS) return undefined;
    // Re-inserting keeps the Map in least-recently-used order for eviction.
    if (store.newest !== key) {
      store.entries.delete(key);
      store.entries.set(key, hit);
      store.newest = key;
    }
    return hit;
  };

  const read = (key: string, load: () => Promise<T>): Promise<T> => {
    const now = Date.now();
    const fresh = current(key, now);
    if (fresh) return fresh.value as Promise<T>;
    const hit = store.entries.get(key);
    if (hit) forget(key, hit);
    // The generation is taken before loading: if a write lands meanwhile, this entry is already old.
    const value = load();
    const entry: Entry = { generation: state.generation, storedAt: now, bytes: 0, value };
    store.entries.set(key, entry);
    store.newest = key;
    trim();
    value.then(
      (loaded) => {
        if (store.entries.get(key) !== entry) return;
        entry.loaded = { value: loaded };
        if (!limits.sizeOf) return;
        entry.bytes = limits.sizeOf(loaded);
        store.bytes += entry.bytes;
        trim();
      },
      () => forget(key, entry),
    );
    return value;
  };
  // A page served from memory is answered within the request's own turn of the event loop: with
  // the framework's async context tracking in the process, every promise has a cost.
  const peek = (key: string): T | undefined => current(key, Date.now())?.loaded?.value as T | undefined;
  return Object.assign(read, { peek });
}

const data = cacheStore<unknown>("data", { maxEntries: 2000 });

/** A read through the data cache: how every area's reader is cached. */
export function memo<T>(key: string, load: () => Promise<T>): Promise<T> {
  return data(key, load) as Promise<T>;
}
