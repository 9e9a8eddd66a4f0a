// The contract every registered dialect meets for the feature layer (one suite, run for each dialect, as
// Hono runs one suite against all its routers). Only DuckDB can run here; the others are checked as SQL.

import { describe, expect, it } from 'vitest';
import { dialects } from '../warehouse/dialects.js';
import { withCapabilities } from '../warehouse/sql-dialect.js';
import { compileFeatureQuery, featureColumns } from './compile-features.js';
import { standardFeatures } from './standard-features.js';

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

    it('writes the shared primitives', () => {
      const sql = dialect.createCompiler();
      expect(sql.minusDays('x', 0)).toBe('x');
      expect(sql.plusDays('x', 0)).toBe('x');
      expect(sql.plusDays('x', 90)).toBe("x + INTERVAL '90' DAY");
      expect(sql.identifier('a"b')).toBe('"a""b"');
      expect(sql.string("it's")).toBe("'it''s'");
      expect(sql.daysBetween('a', 'b')).toMatch(/^CAST\(.* AS [A-Z ]+\) \/ 86400$/);
      expect(() => sql.number(Number.NaN)).toThrow();
    });
  });
}
