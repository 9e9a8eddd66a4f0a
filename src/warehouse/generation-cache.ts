// A bounded least-recently-used cache of query answers, each kept with the write generation of the tables it
// was read from (see Warehouse.generation): an entry read under an older generation is never returned.

/** Answers by key, at most `capacity` of them; the least recently used goes first. */
export class GenerationCache<V> {
  // A Map iterates in insertion order: re-inserting on every hit keeps the least recently used first.
  private readonly entries = new Map<string, { generation: number; value: V }>();

  constructor(readonly capacity: number) {
    if (!(Number.isInteger(capacity) && capacity >= 1)) {
      throw new Error(`GenerationCache capacity=${capacity} must be an integer >= 1`);
    }
  }

  /** The value kept for `key` under `generation`, or undefined (a stale entry is dropped). */
  get(key: string, generation: number): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    if (entry.generation !== generation) return undefined;
    this.entries.set(key, entry);
    return entry.value;
  }

  /** Keeps `value` for `key`, read when the tables' generation was `generation`. */
  set(key: string, generation: number, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, { generation, value });
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  /** Drops `key` (an answer that must be read again). */
  delete(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * One value read from the warehouse, such as a table held in memory, kept while its generation holds. The
 * requests that arrive while it loads share that load; a failed load is forgotten, so the next one retries.
 */
export class GenerationSlot<V> {
  private current: { generation: number; value: Promise<V>; loaded?: V } | null = null;

  /** The value as of `generation`: the one kept when it was read at that generation, else `load()`'s. */
  get(generation: number, load: () => Promise<V>): Promise<V> {
    if (this.current && this.current.generation === generation) return this.current.value;
    const entry: { generation: number; value: Promise<V>; loaded?: V } = { generation, value: load() };
    this.current = entry;
    entry.value.then(
      (value) => {
        entry.loaded = value;
      },
      () => {
        if (this.current === entry) this.current = null;
      },
    );
    return entry.value;
  }

  /** The value read at `generation` when it has finished loading; undefined otherwise (nothing is loaded). */
  ready(generation: number): V | undefined {
    return this.current?.generation === generation ? this.current.loaded : undefined;
  }
}

/**
 * Per-warehouse state kept beside it (caches, tables held in memory) without a field on the warehouse:
 * `state(db)` makes it on first use and drops it with the warehouse.
 */
export function perWarehouse<S, D extends object = object>(make: (db: D) => S): (db: D) => S {
  const states = new WeakMap<D, S>();
  return (db) => {
    let state = states.get(db);
    if (state === undefined) {
      state = make(db);
      states.set(db, state);
    }
    return state;
  };
}
