import DataLoader from 'dataloader';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Per-request DataLoaders, one per name. Federation sends N references of a type in one `_entities` call;
 * loading them through here turns N lookups into one SQL query.
 */
export class Loaders {
  private readonly byName = new Map<string, DataLoader<string, unknown>>();

  /** Loads rows by id with one batched query; ids that the query does not return resolve to null. */
  byId<T extends { id: string }>(name: string, fetch: (ids: readonly string[]) => Promise<T[]>): DataLoader<string, T | null> {
    let loader = this.byName.get(name) as DataLoader<string, T | null> | undefined;
    if (!loader) {
      loader = new DataLoader<string, T | null>(async (ids) => {
        // A malformed id can match no row; leaving it out keeps the database from rejecting the whole batch.
        const valid = ids.filter((id) => UUID.test(id));
        const rows = valid.length > 0 ? await fetch(valid) : [];
        const found = new Map(rows.map((row) => [row.id, row]));
        return ids.map((id) => found.get(id) ?? null);
      });
      this.byName.set(name, loader);
    }
    return loader;
  }

  /** Loads a list per key (e.g. the brands of each organization) with one batched query. */
  groupedBy<T>(name: string, fetch: (keys: readonly string[]) => Promise<T[]>, keyOf: (row: T) => string): DataLoader<string, T[]> {
    let loader = this.byName.get(name) as DataLoader<string, T[]> | undefined;
    if (!loader) {
      loader = new DataLoader<string, T[]>(async (keys) => {
        const groups = new Map<string, T[]>();
        for (const row of await fetch(keys)) {
          const key = keyOf(row);
          const group = groups.get(key);
          if (group) group.push(row);
          else groups.set(key, [row]);
        }
        return keys.map((key) => groups.get(key) ?? []);
      });
      this.byName.set(name, loader);
    }
    return loader;
  }
}
