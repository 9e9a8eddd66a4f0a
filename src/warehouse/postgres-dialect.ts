// PostgreSQL: only what differs from the default (DuckDB) compiler.

import { DefaultSqlCompiler, type Dialect, defaultCapabilities } from './sql-dialect.js';

class PostgresSqlCompiler extends DefaultSqlCompiler {
  override doubleType(): string {
    return 'DOUBLE PRECISION';
  }

  override secondsBetween(from: string, to: string): string {
    return `EXTRACT(EPOCH FROM (${to} - ${from}))`;
  }

  /** The database's default collation is often a locale's (en_US.UTF-8); "C" compares UTF-8 bytes. */
  override codePointOrder(expr: string): string {
    return `${expr} COLLATE "C"`;
  }
}

export const postgresDialect: Dialect = {
  name: 'postgres',
  capabilities: defaultCapabilities,
  createCompiler: (capabilities = defaultCapabilities) => new PostgresSqlCompiler(capabilities),
};
