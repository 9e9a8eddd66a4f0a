// Differential test against the pandas reference (../shared/bench/ref_features.py) on the golden data set,
// and the leakage test: features at T do not change when rows at or after T are removed.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCsv } from '../warehouse/load-csv.js';
import { duckdbDialect, withCapabilities } from '../warehouse/sql-dialect.js';
import { openWarehouse, type Warehouse } from '../warehouse/warehouse.js';
import { computeFeatures, type FeatureTable } from './compute-features.js';

const golden = (name: string) =>
  fileURLToPath(new URL(`../../../shared/golden/features/${name}`, import.meta.url));
const SOURCES = ['customers', 'events', 'transactions', 'tickets'] as const;
const CUTOFFS = ['2024-10-15', '2025-04-01'] as const;

/**
 * How far a float written with %.10g may lie from the double it came from: half a unit in the 10th
 * significant digit, 0.5·10^(e−9) for a value in [10^e, 10^(e+1)) — between 5e-11 and 5e-10 relative.
 * Taken at the larger of the two magnitudes (a value can round up into the next decade), plus 1e-12
 * relative for the last bits that legitimately differ (summation order of amounts, ns vs s arithmetic).
 */
function withinPrintedPrecision(ours: number, printed: number): boolean {
  const magnitude = Math.max(Math.abs(ours), Math.abs(printed));
  if (magnitude === 0) return true;
  const halfUnit = 0.5 * 10 ** (Math.floor(Math.log10(magnitude)) - 9);
  return Math.abs(ours - printed) <= halfUnit + 1e-12 * magnitude;
}

/** C's %.10g, to count how many cells print identically (ties aside, all of them should). */
function formatG10(value: number): string {
  if (value === 0) return '0';
  const [mantissa, exponentText] = value.toExponential(9).split('e');
  const exponent = Number(exponentText);
  const strip = (text: string) => (text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text);
  if (exponent < -4 || exponent >= 10) {
    return `${strip(mantissa!)}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return strip(value.toFixed(9 - exponent));
}

function readReference(cutoff: string): { header: string[]; rows: string[][] } {
  const lines = readFileSync(golden(`features_${cutoff}.csv`), 'utf8')
    .trimEnd()
    .split('\n');
  return { header: lines[0]!.split(','), rows: lines.slice(1).map((line) => line.split(',')) };
}

interface Comparison {
  mismatches: string[];
  cells: number;
  printedDifferently: number;
}

function compareWithReference(table: FeatureTable, cutoff: string): Comparison {
  const reference = readReference(cutoff);
  const mismatches: string[] = [];
  let cells = 0;
  let printedDifferently = 0;
  expect(table.columns.map((c) => c.name)).toEqual(reference.header);
  expect(table.rows.length).toBe(reference.rows.length);
  const ours = new Map(table.rows.map((row) => [row['customer_id'], row]));
  for (const expected of reference.rows) {
    const id = expected[0]!;
    const row = ours.get(id);
    if (!row) {
      mismatches.push(`customer ${id}: missing`);
      continue;
    }
    table.columns.forEach(({ name, type }, index) => {
      const want = expected[index]!;
      const got = row[name] ?? null;
      cells++;
      let same: boolean;
      if (want === '' || got === null) same = want === '' && got === null;
      else if (type === 'text') same = got === want;
      else if (type === 'integer')
        same = typeof got === 'number' && Number.isInteger(got) && String(got) === want;
      else {
        same = typeof got === 'number' && withinPrintedPrecision(got, Number(want));
        if (same && formatG10(got as number) !== want) printedDifferently++;
      }
      if (!same) mismatches.push(`customer ${id}, ${name}: ours ${String(got)}, reference "${want}"`);
    });
  }
  return { mismatches, cells, printedDifferently };
}

let warehouse: Warehouse;

beforeAll(async () => {
  warehouse = await openWarehouse(':memory:');
  for (const table of SOURCES) await loadCsv(warehouse, table, golden(`${table}.csv`));
});

afterAll(() => warehouse.close());

describe('standard features against ref_features.py on ../shared/golden/features', () => {
  for (const cutoff of CUTOFFS) {
    it(`matches the reference cell by cell at ${cutoff}`, async () => {
      const table = await computeFeatures(warehouse, cutoff);
      const { mismatches, cells, printedDifferently } = compareWithReference(table, cutoff);
      expect(mismatches.slice(0, 10)).toEqual([]);
      expect(cells).toBe(table.rows.length * 32);
      // Every float also prints as the same %.10g text (a tie in the 11th digit could flip one; none does here).
      expect(printedDifferently).toBe(0);
    });
  }

  it('gives the same table through the portable form without FILTER (WHERE …)', async () => {
    const portable = withCapabilities(duckdbDialect, { aggregateFilter: false });
    const withFilter = await computeFeatures(warehouse, CUTOFFS[1]);
    const withCase = await computeFeatures(warehouse, CUTOFFS[1], { dialect: portable });
    expect(withCase).toEqual(withFilter);
  });
});

describe('leakage', () => {
  it('features at T are identical whether or not data at or after T exists', async () => {
    const cutoff = CUTOFFS[0];
    const T = "TIMESTAMP '2024-10-15 00:00:00'";
    const leaky = await openWarehouse(':memory:');
    try {
      for (const table of SOURCES) await loadCsv(leaky, table, golden(`${table}.csv`));
      const withFuture = await computeFeatures(leaky, cutoff);
      const removed = await leaky.transaction(async (tx) => {
        let rows = 0;
        rows += await tx.run(`DELETE FROM events WHERE ts >= ${T}`);
        rows += await tx.run(`DELETE FROM transactions WHERE ts >= ${T}`);
        rows += await tx.run(`DELETE FROM tickets WHERE opened_at >= ${T}`);
        rows += await tx.run(`DELETE FROM customers WHERE signup_at >= ${T}`);
        // What was known at T: a ticket resolved later was still open, without a score.
        rows += await tx.run(
          `UPDATE tickets SET resolved_at = NULL, satisfaction = NULL WHERE resolved_at >= ${T}`,
        );
        return rows;
      });
      expect(removed).toBeGreaterThan(10_000);
      const withoutFuture = await computeFeatures(leaky, cutoff);
      expect(withoutFuture).toEqual(withFuture);
    } finally {
      leaky.close();
    }
  });
});
