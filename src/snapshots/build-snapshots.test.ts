// The snapshot stage on the golden data set (../shared/golden/features): cutoffs from its data range,
// snapshots at three of them under non-contractual churn (transactions, H = 90 d), checked against
// labelsAt and computeFeatures at the same cutoffs; the atomic replace; the time split on the result.

import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeFeatures } from '../features/compute-features.js';
import { feature, profile, rfmScore } from '../features/feature-nodes.js';
import { standardFeatures } from '../features/standard-features.js';
import type { ChurnDefinition } from '../labels/churn-definition.js';
import { labelsAt } from '../labels/labels-at.js';
import { loadCsv } from '../warehouse/load-csv.js';
import { postgresDialect } from '../warehouse/postgres-dialect.js';
import { openWarehouse, type Warehouse } from '../warehouse/warehouse.js';
import { buildSnapshots, populationSelectSql, type SnapshotProgress } from './build-snapshots.js';
import { cutoffDates } from './cutoff-dates.js';
import { dataRange } from './data-range.js';
import { checkTimeSplit, timeSplit } from './time-split.js';

const golden = (name: string) =>
  fileURLToPath(new URL(`../../../shared/golden/features/${name}`, import.meta.url));
const SOURCES = ['customers', 'events', 'transactions', 'tickets'] as const;
const H = 90;
const definition: ChurnDefinition = {
  kind: 'nonContractual',
  horizonDays: H,
  activity: [{ source: 'transactions' }],
};

let warehouse: Warehouse;
let all: string[];
let picked: string[];

beforeAll(async () => {
  warehouse = await openWarehouse(':memory:');
  for (const table of SOURCES) await loadCsv(warehouse, table, golden(`${table}.csv`));
  const range = await dataRange(warehouse);
  all = cutoffDates({ dataStart: range!.start, dataEnd: range!.end, horizonDays: H });
  // Every third, ending with the latest: 2024-10-03, 2025-01-01, 2025-04-01.
  picked = all.filter((_, index) => (all.length - 1 - index) % 3 === 0).slice(-3);
});

afterAll(() => warehouse.close());

type Row = Record<string, unknown>;

async function snapshotRows(cutoff: string): Promise<Row[]> {
  return warehouse.all<Row>('SELECT * FROM snapshots WHERE cutoff = CAST(? AS DATE) ORDER BY customer_id', [
    cutoff,
  ]);
}

describe('cutoffs from the data range', () => {
  it('reads the range of activity and derives monthly matured cutoffs', async () => {
    expect(await dataRange(warehouse)).toEqual({ start: '2024-01-01 01:10:11', end: '2025-06-30 23:43:32' });
    expect(all).toHaveLength(13);
    expect(all.at(-1)).toBe('2025-04-01'); // + 90 d = 2025-06-30 00:00 ≤ the data end
    expect(picked).toEqual(['2024-10-03', '2025-01-01', '2025-04-01']);
  });

  it('is null for a warehouse without activity', async () => {
    const empty = await openWarehouse(':memory:');
    try {
      expect(await dataRange(empty)).toBeNull();
    } finally {
      empty.close();
    }
  });
});

describe('buildSnapshots on the golden data', () => {
  it('writes features and known labels per cutoff, consistent with computeFeatures and labelsAt', async () => {
    const progress: SnapshotProgress[] = [];
    const counts = await buildSnapshots(warehouse, {
      definition,
      cutoffs: picked,
      onProgress: (p) => progress.push(p),
    });
    expect(progress.map((p) => [p.done, p.total, p.counts.cutoff])).toEqual(
      picked.map((cutoff, i) => [i + 1, 3, cutoff]),
    );
    expect(counts.map((c) => c.cutoff)).toEqual(picked);

    const columns = await warehouse.all<{ column_name: string; data_type: string }>(
      "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'snapshots' ORDER BY column_index",
    );
    expect(columns.map((c) => c.column_name)).toEqual([
      'cutoff',
      'customer_id',
      ...standardFeatures.map((f) => f.name),
      'churned',
      'churn_type',
    ]);
    expect(columns[0]!.data_type).toBe('DATE');

    for (const count of counts) {
      const labels = (await labelsAt(warehouse, definition, count.cutoff)).rows.filter(
        (r) => r.churned !== null,
      );
      const positives = labels.filter((r) => r.churned === 1).length;
      expect(count.customers).toBe(labels.length);
      expect(count.positives).toBe(positives);
      expect(count.positiveRate).toBeCloseTo(positives / labels.length, 15);
      expect(count.customers).toBeGreaterThan(500);
      expect(count.positives).toBeGreaterThan(0);
      expect(count.positives).toBeLessThan(count.customers);

      const features = await computeFeatures(warehouse, count.cutoff);
      const featureById = new Map(features.rows.map((row) => [row['customer_id'], row]));
      const rows = await snapshotRows(count.cutoff);
      expect(rows.map((r) => [r['customer_id'], r['churned'], r['churn_type']])).toEqual(
        labels.map((l) => [l.customer_id, l.churned, null]),
      );
      for (const { cutoff, churned, churn_type, ...rest } of rows) {
        expect(cutoff).toEqual(new Date(`${count.cutoff}T00:00:00Z`));
        expect(rest).toEqual(featureById.get(rest['customer_id'] as string));
      }
    }
    // The horizon of 2025-04-01 ends 2025-06-30: every label there is known.
    const latest = await labelsAt(warehouse, definition, '2025-04-01');
    expect(counts.at(-1)!.customers).toBe(latest.rows.length);
  });

  it('replaces the table atomically: a failure part-way leaves the previous snapshots intact', async () => {
    const small = [feature('segment', profile('segment'))];
    await buildSnapshots(warehouse, { features: small, definition, cutoffs: picked.slice(0, 2) });
    const before = await warehouse.all('SELECT * FROM snapshots ORDER BY cutoff, customer_id');
    expect(before.length).toBeGreaterThan(1000);

    // The first cutoff is written (CREATE OR REPLACE) before the callback throws on it.
    const failing = buildSnapshots(warehouse, {
      definition,
      cutoffs: picked,
      onProgress: (p) => {
        if (p.done === 1) throw new Error('disk full');
      },
    });
    await expect(failing).rejects.toThrow('disk full');
    expect(await warehouse.all('SELECT * FROM snapshots ORDER BY cutoff, customer_id')).toEqual(before);

    // A bad input fails before anything runs, and names what is wrong.
    await expect(
      buildSnapshots(warehouse, { definition, cutoffs: ['2025-01-01', '2025-01-01'] }),
    ).rejects.toThrow('cutoff 2025-01-01 is given twice');
    await expect(buildSnapshots(warehouse, { definition, cutoffs: ['2025-01-01 12:00:00'] })).rejects.toThrow(
      'must be a date (midnight)',
    );
    await expect(buildSnapshots(warehouse, { definition, cutoffs: [] })).rejects.toThrow('at least one');
    await expect(
      buildSnapshots(warehouse, {
        features: [feature('churned', profile('segment'))],
        definition,
        cutoffs: picked,
      }),
    ).rejects.toThrow('feature "churned": the name is a column of the snapshot table');
    expect(await warehouse.all('SELECT * FROM snapshots ORDER BY cutoff, customer_id')).toEqual(before);
  });

  it('splits the snapshot cutoffs by time without label overlap', async () => {
    await buildSnapshots(warehouse, { definition, cutoffs: picked });
    const stored = await warehouse.all<{ cutoff: Date }>(
      'SELECT DISTINCT cutoff FROM snapshots ORDER BY cutoff',
    );
    const cutoffs = stored.map((row) => row.cutoff.toISOString().slice(0, 10));
    const split = timeSplit(cutoffs, { horizonDays: H });
    expect(split).toEqual({ train: ['2024-10-03', '2025-01-01'], test: '2025-04-01', dropped: [] });
    // Over all 13 monthly cutoffs the two whose horizons reach into the test period are left out.
    const monthly = timeSplit(all, { horizonDays: H });
    expect(monthly.test).toBe('2025-04-01');
    expect(monthly.dropped).toEqual(['2025-01-31', '2025-03-02']);
    expect(() => checkTimeSplit({ train: all.slice(0, -1), test: '2025-04-01' }, H)).toThrow(
      'training cutoff 2025-01-31 + 90 days reaches past the test cutoff 2025-04-01',
    );
  });
});

describe('populationSelectSql for some customers', () => {
  it("gives the whole population query's rows of those customers, ranks included", async () => {
    const features = [...standardFeatures, feature('rfm_score', rfmScore('total'))];
    const cutoff = '2025-04-01';
    const all = await warehouse.all<Row>(
      `SELECT * FROM (${populationSelectSql(features, cutoff, { definition })}) ORDER BY customer_id`,
    );
    const some = all.filter((_, index) => index % 7 === 3).map((row) => String(row.customer_id));
    expect(some.length).toBeGreaterThan(2);
    const filtered = await warehouse.all<Row>(
      `SELECT * FROM (${populationSelectSql(features, cutoff, { definition, customerIds: some })}) ORDER BY customer_id`,
    );
    expect(filtered).toEqual(all.filter((row) => some.includes(String(row.customer_id))));
    const postgres = populationSelectSql(features, cutoff, {
      definition,
      customerIds: ['x'],
      dialect: postgresDialect,
    });
    expect(postgres).toContain(`) AS "labels" WHERE "customer_id" IN ('x')`);
  });
});
