// The contract every registered dialect meets for the feature layer (one suite, run for each dialect, as
// Hono runs one suite against all its routers). Only DuckDB can run here; the others are checked as SQL.

import { describe, expect, it } from 'vitest';
import { dialects } from '../warehouse/dialects.js';
import { withCapabilities } from '../warehouse/sql-dialect.js';
import { compileFeatureQuery, featureColumns } from './compile-features.js';
import { standardFeatures } from './standard-features.js';
import { workspaceFeatureSet } from './workspace-features.js';

/** A workspace set with every kind of feature: events of two types, transactions (RFM), tickets, lifecycle. */
const workspaceSet = workspaceFeatureSet(
  {
    profileColumns: ['segment', 'plan'],
    eventTypes: [
      { eventType: 'app_open', rows: 10 },
      { eventType: 'Add-To-Cart', rows: 5 },
    ],
    distinctEventTypes: 2,
    transactions: 10,
    tickets: 3,
    resolvedTickets: 2,
    ratedTickets: 1,
  },
  { windows: [7, 30, 90] },
);

for (const [name, dialect] of Object.entries(dialects)) {
  describe(`dialect contract: ${name}`, () => {
    for (const aggregateFilter of [true, false]) {
      it(`compiles the standard set to one query with the reference columns (aggregateFilter=${aggregateFilter})`, () => {
        const sql = compileFeatureQuery(standardFeatures, '2025-04-01', {
          dialect: withCapabilities(dialect, { aggregateFilter }),
        });
        const aliases = [...sql.matchAll(/ AS "([a-z0-9_]+)"(?:,|\n)/g)].map((m) => m[1]);
        expect(['customer_id', ...aliases]).toEqual(featureColumns(standardFeatures).map((c) => c.name));
        expect(sql.match(/GROUP BY/g)).toHaveLength(3); // one scan per source table
        expect(sql.includes('FILTER (WHERE')).toBe(aggregateFilter);
        expect(sql.split(';')).toHaveLength(1);
      });
    }

    for (const aggregateFilter of [true, false]) {
      it(`compiles a workspace set with RFM scores and the lifecycle stage (aggregateFilter=${aggregateFilter})`, () => {
        const sql = compileFeatureQuery(workspaceSet, '2025-04-01', {
          dialect: withCapabilities(dialect, { aggregateFilter }),
        });
        const aliases = [...sql.matchAll(/ AS "([a-z0-9_]+)"(?:,|\n)/g)].map((m) => m[1]);
        expect(['customer_id', ...aliases]).toEqual(featureColumns(workspaceSet).map((c) => c.name));
        expect(aliases).toContain('add_to_cart_30d');
        expect(sql.match(/GROUP BY/g)).toHaveLength(3);
        expect(sql.match(/rank\(\) OVER \(PARTITION BY /g)).toHaveLength(6); // three parts + their total
        expect(sql).toContain('ELSE \'mature\' END AS "lifecycle_stage"');
        expect(sql.includes('FILTER (WHERE')).toBe(aggregateFilter);
        expect(sql.split(';')).toHaveLength(1);
      });
    }

    it('writes the shared primitives', () => {
      const sql = dialect.createCompiler();
      expect(sql.minusDays('x', 0)).toBe('x');
      expect(sql.plusDays('x', 0)).toBe('x');
      expect(sql.plusDays('x', 90)).toBe("x + INTERVAL '90' DAY");
      expect(sql.identifier('a"b')).toBe('"a""b"');
      expect(sql.string("it's")).toBe("'it''s'");
      expect(sql.daysBetween('a', 'b')).toMatch(/^CAST\(.* AS [A-Z ]+\) \/ 86400$/);
      expect(() => sql.number(Number.NaN)).toThrow();
      expect(sql.caseWhen([['a', '1']], '2')).toBe('CASE WHEN a THEN 1 ELSE 2 END');
      expect(sql.ntile(4, ['x', 'y'], ['p'])).toBe('ntile(4) OVER (PARTITION BY p ORDER BY x, y)');
      expect(sql.ntile(5, ['x'])).toBe('ntile(5) OVER (ORDER BY x)');
      expect(sql.rankGroup(5, ['x'], ['p'])).toBe(
        `1 + CAST(floor(${sql.castDouble('5 * (rank() OVER (PARTITION BY p ORDER BY x) - 1)')} / count(*) OVER (PARTITION BY p)) AS BIGINT)`,
      );
      expect(sql.rankGroup(5, ['x'])).toContain('rank() OVER (ORDER BY x) - 1) AS');
      expect(sql.codePointOrder('x')).toMatch(/^x( COLLATE "C")?$/);
    });
  });
}
