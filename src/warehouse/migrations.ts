// Versioned schema migrations: an ordered list, each applied once in its own transaction and recorded in
// `schema_migrations`. Applied migrations are history: change the schema by appending a new one.

import type { Warehouse } from './warehouse.js';

export interface Migration {
  /** 1, 2, 3 … in order, no gaps. */
  readonly version: number;
  readonly name: string;
  readonly statements: readonly string[];
}

/** The source tables of R1. No primary keys yet: uniqueness is checked by the loader (quarantine, issue 5). */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'source tables',
    statements: [
      `CREATE TABLE customers (
        customer_id VARCHAR NOT NULL,
        signup_at TIMESTAMP NOT NULL,
        segment VARCHAR,
        region VARCHAR,
        plan VARCHAR
      )`,
      `CREATE TABLE events (
        customer_id VARCHAR NOT NULL,
        ts TIMESTAMP NOT NULL,
        event_type VARCHAR NOT NULL,
        properties VARCHAR
      )`,
      `CREATE TABLE transactions (
        customer_id VARCHAR NOT NULL,
        ts TIMESTAMP NOT NULL,
        amount DOUBLE NOT NULL,
        product VARCHAR,
        payment_method VARCHAR
      )`,
      `CREATE TABLE tickets (
        customer_id VARCHAR NOT NULL,
        opened_at TIMESTAMP NOT NULL,
        resolved_at TIMESTAMP,
        category VARCHAR,
        satisfaction DOUBLE
      )`,
      `CREATE TABLE cancellations (
        customer_id VARCHAR NOT NULL,
        cancelled_at TIMESTAMP NOT NULL,
        reason VARCHAR,
        voluntary BOOLEAN
      )`,
    ],
  },
];

/** Applies the migrations not yet recorded; returns the versions applied now. */
export async function migrate(
  warehouse: Warehouse,
  list: readonly Migration[] = migrations,
): Promise<number[]> {
  list.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(
        `migration "${migration.name}" has version ${migration.version}, expected ${index + 1}`,
      );
    }
  });
  await warehouse.run(
    `CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      name VARCHAR NOT NULL,
      applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp
    )`,
  );
  const rows = await warehouse.all<{ version: number }>('SELECT version FROM schema_migrations');
  const done = new Set(rows.map((row) => row.version));
  const newest = Math.max(0, ...done);
  if (newest > list.length) {
    throw new Error(
      `warehouse schema version ${newest} is newer than this churnwatch knows (${list.length})`,
    );
  }
  const applied: number[] = [];
  for (const migration of list) {
    if (done.has(migration.version)) continue;
    await warehouse.transaction(async (tx) => {
      for (const statement of migration.statements) await tx.run(statement);
      await tx.run('INSERT INTO schema_migrations (version, name) VALUES (?, ?)', [
        migration.version,
        migration.name,
      ]);
    });
    applied.push(migration.version);
  }
  return applied;
}

/** The highest applied version (0 for an empty database). */
export async function schemaVersion(warehouse: Warehouse): Promise<number> {
  const [row] = await warehouse.all<{ version: number | null }>(
    'SELECT max(version) AS version FROM schema_migrations',
  );
  return row?.version ?? 0;
}
