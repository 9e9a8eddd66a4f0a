// SQL dialects, the Kysely way: `DefaultSqlCompiler` writes every expression the feature layer needs in
// DuckDB's SQL (the embedded default); another engine subclasses it and overrides only what differs.
// Differences that are not syntax are capability flags, documented with their default.

import { quoteIdentifier, quoteString } from './sql-text.js';

/** What an engine can do beyond syntax; the compiler picks a portable form where a flag is false. */
export interface DialectCapabilities {
  /**
   * `agg(x) FILTER (WHERE cond)` on aggregates (DuckDB, PostgreSQL, Trino, Spark ≥ 3). Default true.
   * When false, the compiler writes `agg(CASE WHEN cond THEN x END)`, which every engine accepts.
   */
  readonly aggregateFilter: boolean;
}

export const defaultCapabilities: DialectCapabilities = { aggregateFilter: true };

/** A SQL engine: a name, its capabilities and the compiler that writes its SQL. */
export interface Dialect {
  readonly name: string;
  readonly capabilities: DialectCapabilities;
  /** A compiler for this engine; `capabilities` overrides the dialect's own (tests, engine versions). */
  createCompiler(capabilities?: DialectCapabilities): DefaultSqlCompiler;
}

/** Aggregate functions the feature layer uses. */
export type AggregateFunction = 'count' | 'sum' | 'avg' | 'max' | 'min';

/** Writes SQL expressions; DuckDB syntax unless a subclass overrides a method. */
export class DefaultSqlCompiler {
  constructor(readonly capabilities: DialectCapabilities = defaultCapabilities) {}

  identifier(name: string): string {
    return quoteIdentifier(name);
  }

  /** `alias.column`. */
  column(alias: string, name: string): string {
    return `${alias}.${this.identifier(name)}`;
  }

  string(text: string): string {
    return quoteString(text);
  }

  number(value: number): string {
    if (!Number.isFinite(value)) throw new Error(`cannot write ${value} as a SQL number`);
    return String(value);
  }

  /** A naive timestamp; `isoSeconds` is `YYYY-MM-DD HH:MM:SS`. */
  timestamp(isoSeconds: string): string {
    return `TIMESTAMP ${this.string(isoSeconds)}`;
  }

  /** `expr` moved back by whole days (naive timestamps: a day is 86,400 s). */
  minusDays(expr: string, days: number): string {
    if (days === 0) return expr;
    return `${expr} - INTERVAL '${this.number(days)}' DAY`;
  }

  /** `expr` moved forward by whole days (naive timestamps: a day is 86,400 s). */
  plusDays(expr: string, days: number): string {
    if (days === 0) return expr;
    return `${expr} + INTERVAL '${this.number(days)}' DAY`;
  }

  /** Whole seconds from `from` to `to` as an integer or exact number. */
  secondsBetween(from: string, to: string): string {
    return `date_diff('second', ${from}, ${to})`;
  }

  /** Days from `from` to `to` as a float: seconds / 86400. */
  daysBetween(from: string, to: string): string {
    return `${this.castDouble(this.secondsBetween(from, to))} / 86400`;
  }

  doubleType(): string {
    return 'DOUBLE';
  }

  castDouble(expr: string): string {
    return `CAST(${expr} AS ${this.doubleType()})`;
  }

  /**
   * A sum in exact decimal arithmetic, as a double. A parallel engine adds doubles in no fixed order, so a plain
   * sum of amounts can differ in the last bit from run to run — and the same seed must give the same model.
   */
  exactSum(arg: string, filter?: string): string {
    return this.castDouble(this.aggregate('sum', `CAST(${arg} AS DECIMAL(38, 10))`, filter));
  }

  /** `fn(arg)` over the rows where `filter` holds (all rows if it is undefined); `arg` '*' only for count. */
  aggregate(fn: AggregateFunction, arg: string, filter?: string): string {
    if (filter === undefined) return `${fn}(${arg})`;
    if (this.capabilities.aggregateFilter) return `${fn}(${arg}) FILTER (WHERE ${filter})`;
    const value = arg === '*' ? '1' : arg;
    return `${fn}(CASE WHEN ${filter} THEN ${value} END)`;
  }

  coalesce(expr: string, fallback: string): string {
    return `coalesce(${expr}, ${fallback})`;
  }

  /** Float division; NULL where the denominator is 0 or NULL. */
  divide(numerator: string, denominator: string, nullIfZero: boolean): string {
    const below = nullIfZero ? `nullif(${denominator}, 0)` : `(${denominator})`;
    return `${this.castDouble(numerator)} / ${below}`;
  }

  /** `CASE WHEN c1 THEN v1 … ELSE otherwise END`. */
  caseWhen(branches: readonly (readonly [condition: string, value: string])[], otherwise: string): string {
    const whens = branches.map(([condition, value]) => `WHEN ${condition} THEN ${value}`);
    return `CASE ${whens.join(' ')} ELSE ${otherwise} END`;
  }

  /** The group 1 … `buckets` of the row in its partition ordered by `orderBy` (equal-sized groups, SQL:2003). */
  ntile(buckets: number, orderBy: readonly string[], partitionBy: readonly string[] = []): string {
    const partition = partitionBy.length === 0 ? '' : `PARTITION BY ${partitionBy.join(', ')} `;
    return `ntile(${this.number(buckets)}) OVER (${partition}ORDER BY ${orderBy.join(', ')})`;
  }

  /**
   * The group 1 … `buckets` of the row by its rank in the partition: 1 + floor(buckets · (rank − 1) / rows),
   * rank as RANK() (ties share the lowest), so tied rows share a group.
   */
  rankGroup(buckets: number, orderBy: readonly string[], partitionBy: readonly string[] = []): string {
    const partition = partitionBy.length === 0 ? '' : `PARTITION BY ${partitionBy.join(', ')}`;
    const ranked = `${partition}${partition && ' '}ORDER BY ${orderBy.join(', ')}`;
    const share = `${this.castDouble(`${this.number(buckets)} * (rank() OVER (${ranked}) - 1)`)} / count(*) OVER (${partition})`;
    return `1 + CAST(floor(${share}) AS BIGINT)`;
  }

  /** An ORDER BY key for text that sorts by code point on every engine (DuckDB's default already does). */
  codePointOrder(expr: string): string {
    return expr;
  }

  and(conditions: readonly string[]): string {
    if (conditions.length === 0) return 'TRUE';
    return conditions.join(' AND ');
  }

  /** Parenthesised when there are several, so it can stand inside `and`. */
  or(conditions: readonly string[]): string {
    if (conditions.length === 0) return 'FALSE';
    return conditions.length === 1 ? conditions[0] : `(${conditions.join(' OR ')})`;
  }
}

/** DuckDB, the embedded default: the default compiler as it is. */
export const duckdbDialect: Dialect = {
  name: 'duckdb',
  capabilities: defaultCapabilities,
  createCompiler: (capabilities = defaultCapabilities) => new DefaultSqlCompiler(capabilities),
};

/** The same dialect with other capabilities (e.g. `{ aggregateFilter: false }` to test the portable form). */
export function withCapabilities(dialect: Dialect, changes: Partial<DialectCapabilities>): Dialect {
  const capabilities = { ...dialect.capabilities, ...changes };
  return { ...dialect, capabilities, createCompiler: () => dialect.createCompiler(capabilities) };
}
