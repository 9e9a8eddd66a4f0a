// The SQL dialects churnwatch can generate for, by name: a new one does not compile until it is registered.

import { postgresDialect } from './postgres-dialect.js';
import { type Dialect, duckdbDialect } from './sql-dialect.js';

export type DialectName = 'duckdb' | 'postgres';

export const dialects = {
  duckdb: duckdbDialect,
  postgres: postgresDialect,
} as const satisfies Record<DialectName, Dialect>;
